import type { BusyWorkerStats, ImportRecord } from '../results/schema.js';

export interface PidSample {
  sentAtMs: number;
  latencyMs: number;
  pid: number | null;
}

export function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/**
 * Of the light requests sent while an import ran, how many were served by the process running it.
 * Under single-thread that is all of them; under cluster it is the share that landed on the busy worker.
 */
export function busyWorkerStats(samples: readonly PidSample[], imports: readonly ImportRecord[]): BusyWorkerStats {
  const busy: number[] = [];
  const other: number[] = [];
  for (const sample of samples) {
    const running = imports.filter(
      (imp) => sample.sentAtMs >= imp.startedAtMs && sample.sentAtMs < imp.startedAtMs + imp.durationMs,
    );
    if (running.length === 0) continue;
    const onBusy = running.some((imp) => imp.workerPid !== undefined && imp.workerPid === sample.pid);
    (onBusy ? busy : other).push(sample.latencyMs);
  }
  return {
    requestsDuringImports: busy.length + other.length,
    servedByBusyProcess: busy.length,
    busyP50Ms: median(busy),
    otherP50Ms: median(other),
  };
}
