import { scenarios } from '../../scenarios/index.js';
import { idleAvailable, IMPORT_PRIORITIES, type ImportPriority } from '../transports/common/priority.js';
import { parseChoice, UsageError } from './usage.js';

// --import-priority: how a scenario's imports are scheduled where they leave the HTTP process.

/**
 * Offloaded imports run at idle priority where the machine has it (Linux with util-linux's chrt),
 * as background work on a back-office server would: see transports/common/priority.ts for what was
 * measured. Elsewhere nice 19.
 */
export function defaultImportPriority(idle: () => boolean = idleAvailable): ImportPriority {
  return idle() ? 'idle' : 'low';
}

/** Scenarios whose imports leave the HTTP process (a child, a pool thread, a queue worker): --import-priority reaches them. */
export function offloadingScenarioIds(): string[] {
  return scenarios.filter((s) => s.transport !== undefined).map((s) => s.id);
}

/**
 * How the scenario's imports are scheduled: normal where they run in an HTTP process (nothing to lower).
 * `idle` asks the machine by running chrt (idleAvailable): a caller that must start nothing on bad
 * input passes a stand-in and asks again once every other check has passed.
 */
export function resolveImportPriority(
  id: string | undefined,
  given: string | undefined,
  workers: string | undefined,
  idle: () => boolean = idleAvailable,
): ImportPriority {
  if (id === undefined || !offloadingScenarioIds().includes(id)) {
    if (given !== undefined) {
      throw new UsageError(`--import-priority applies to scenarios whose imports leave the HTTP process: ${offloadingScenarioIds().join(', ')}`);
    }
    return 'normal';
  }
  // The queue with --workers 0 runs no import on this machine: workers elsewhere start as they are started.
  if (id === 'queue' && workers !== undefined && Number(workers) === 0) {
    if (given !== undefined) throw new UsageError('--import-priority reaches only local queue workers, and --workers 0 starts none');
    return 'normal';
  }
  if (given === undefined) return defaultImportPriority(idle);
  const priority = parseChoice('import-priority', given, IMPORT_PRIORITIES);
  if (priority === 'idle' && !idle()) throw new UsageError('--import-priority idle needs chrt (util-linux) on Linux, allowed to set SCHED_IDLE; use low here');
  return priority;
}

