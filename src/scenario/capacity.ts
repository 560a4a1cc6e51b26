import { runCapacity, type CapacityOptions } from '../load/capacity.js';
import { summarizeCapacity } from '../load/capacity-stats.js';
import type { CapacityResult, ImportRecord } from '../results/schema.js';
import { runImportsBackToBack, type ImportEvent } from './imports.js';
import { mainThreadCpuMs } from './proc.js';

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
  /** The processes serving HTTP: their main threads' CPU time is read around each phase. */
  servingPids: readonly number[];
}

/**
 * Starts counting the serving processes' main-thread CPU time; the returned function gives the ms
 * used since, or null when a process could not be read (gone, or no /proc).
 */
function httpThreadCpu(pids: readonly number[]): () => number | null {
  const read = (): number | null => {
    const readings = pids.map(mainThreadCpuMs);
    return pids.length > 0 && readings.every((ms) => ms !== null) ? readings.reduce((a: number, b) => a + (b ?? 0), 0) : null;
  };
  const startMs = read();
  return () => {
    const endMs = read();
    return startMs === null || endMs === null ? null : endMs - startMs;
  };
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
  const idleCpu = httpThreadCpu(plan.servingPids);
  const idle = { ...summarizeCapacity(await runCapacity(options, hooks.signal), []), httpThreadCpuMs: idleCpu(), httpThreadCpuWindow: 'phase' as const };
  hooks.checkAborted();

  hooks.log(`capacity during imports: the same while imports of ${plan.records} records run back to back`);
  hooks.onPhase?.('capacityImports');
  const importsStartMs = performance.now();
  const duringCpu = httpThreadCpu(plan.servingPids);
  let duringImportsCpuMs: number | null = null;
  // allSettled: if autocannon fails, the imports still end with the phase before the error is thrown.
  const [measured, imported] = await Promise.allSettled([
    // The CPU window ends with autocannon's phase, not with the last import (which runs on past it):
    // the requests it is divided by are the phase's.
    runCapacity(options, hooks.signal).then((recording) => {
      duringImportsCpuMs = duringCpu();
      return recording;
    }),
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
  return { idle, duringImports: { ...summarizeCapacity(recording, imports), httpThreadCpuMs: duringImportsCpuMs, httpThreadCpuWindow: 'phase' as const } };
}
