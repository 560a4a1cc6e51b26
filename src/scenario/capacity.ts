import { runCapacity, type CapacityOptions } from '../load/capacity.js';
import { summarizeCapacity } from '../load/capacity-stats.js';
import type { CapacityResult, ImportRecord } from '../results/schema.js';
import { runImportsBackToBack, type ImportEvent } from './imports.js';

export interface CapacityPlan {
  baseUrl: string;
  records: number;
  changes: number;
  workPerRecord: number;
  connections: number;
  durationS: number;
  importTimeoutMs: number;
  /** Per-request timeout of the closed loop, seconds. */
  requestTimeoutS: number;
}

export interface CapacityHooks {
  progress: boolean;
  log: (line: string) => void;
  signal: AbortSignal;
  /** Throws when the run must not go on (interrupted, server lost). */
  checkAborted: () => void;
  /** Told as each of the two phases begins, and of each import (a live view listens); must not throw. */
  onPhase?: (phase: 'capacityIdle' | 'capacityImports') => void;
  onImport?: (event: ImportEvent) => void;
}

/**
 * The closed-loop capacity of the scenario's server: autocannon for durationS on `connections`
 * connections, first idle, then while imports run back to back for the whole phase.
 */
export async function measureCapacity(plan: CapacityPlan, hooks: CapacityHooks): Promise<CapacityResult> {
  const options: CapacityOptions = {
    baseUrl: plan.baseUrl,
    stationCount: plan.records,
    connections: plan.connections,
    durationS: plan.durationS,
    timeoutS: plan.requestTimeoutS,
    progress: hooks.progress,
  };
  hooks.log(`capacity, idle: autocannon closed loop on ${plan.connections} connections for ${plan.durationS} s`);
  hooks.onPhase?.('capacityIdle');
  const idle = summarizeCapacity(await runCapacity(options, hooks.signal), []);
  hooks.checkAborted();

  hooks.log(`capacity during imports: the same while imports of ${plan.records} records run back to back`);
  hooks.onPhase?.('capacityImports');
  const importsStartMs = performance.now();
  // allSettled: if autocannon fails, the imports still end with the phase before the error is thrown.
  const [measured, imported] = await Promise.allSettled([
    runCapacity(options, hooks.signal),
    runImportsBackToBack(
      { baseUrl: plan.baseUrl, records: plan.records, changes: plan.changes, workPerRecord: plan.workPerRecord, phaseMs: plan.durationS * 1000, timeoutMs: plan.importTimeoutMs, ...(hooks.onImport ? { onImport: hooks.onImport } : {}) },
      importsStartMs,
      hooks.signal,
    ),
  ]);
  hooks.checkAborted();
  if (measured.status === 'rejected') throw measured.reason;
  if (imported.status === 'rejected') throw imported.reason;
  const recording = measured.value;
  const rawImports = imported.value;
  const shiftMs = importsStartMs - recording.startedAtPerfMs;
  const imports: ImportRecord[] = rawImports.map((imp) => ({ ...imp, startedAtMs: Math.round(imp.startedAtMs + shiftMs) }));
  return { idle, duringImports: summarizeCapacity(recording, imports) };
}
