// Facts read from results (first failure, largest intact size, unresponsive share, ...): pure, shared
// by the report's claims and tables and by the charts.
import {
  isFailedPoint,
  type Capacity,
  type CompletedScenarioResult,
  type FailureState,
  type OkSweepPoint,
  type Phase,
  type ScenarioResult,
  type SweepPoint,
  type SweepResult,
  type SweepTransportResult,
} from './schema.js';

export function transportOf(sweep: SweepResult | null, id: string): SweepTransportResult | undefined {
  return sweep?.transports.find((t) => t.transport === id);
}

export function completed(result: ScenarioResult | undefined): CompletedScenarioResult | undefined {
  return result?.state === 'completed' ? result : undefined;
}

function bySize(t: SweepTransportResult): SweepPoint[] {
  return [...t.points].sort((a, b) => a.sizeBytes - b.sizeBytes);
}

/** Largest size delivered intact, or null when none was. */
export function largestOk(t: SweepTransportResult): number | null {
  const ok = t.points.filter((p) => p.state === 'ok').map((p) => p.sizeBytes);
  return ok.length > 0 ? Math.max(...ok) : null;
}

export interface Failure {
  sizeBytes: number;
  state: FailureState;
  error?: string;
}

/** The recorded failure point, or else the smallest failed point (a sweep may stop before recording it). */
export function firstFailure(t: SweepTransportResult): Failure | null {
  if (t.failurePoint) return t.failurePoint;
  const failed = bySize(t).find(isFailedPoint);
  return failed ? { sizeBytes: failed.sizeBytes, state: failed.state, ...(failed.error ? { error: failed.error } : {}) } : null;
}

export function okPoint(t: SweepTransportResult | undefined, sizeBytes: number): OkSweepPoint | undefined {
  return t?.points.find((p): p is OkSweepPoint => p.sizeBytes === sizeBytes && p.state === 'ok');
}

/** Sizes at which both transports delivered intact with a throughput, ascending. */
export function commonOkSizes(a: SweepTransportResult, b: SweepTransportResult): number[] {
  return bySize(a)
    .filter((p) => p.state === 'ok' && p.mbPerS > 0 && (okPoint(b, p.sizeBytes)?.mbPerS ?? 0) > 0)
    .map((p) => p.sizeBytes);
}

/** Share of light requests that were slow (> 100 ms) or failed outright (error, timeout). */
export function unresponsiveShare(phase: Phase): number {
  const failedShare = phase.requests > 0 ? (phase.errors + phase.timeouts) / phase.requests : 0;
  return phase.slowShare + failedShare;
}

export function maxEventLoopDelayMs(result: CompletedScenarioResult): number | null {
  const maxes = Object.values(result.eventLoop).map((e) => e.maxMs);
  return maxes.length > 0 ? Math.max(...maxes) : null;
}

export interface CapacityFacts {
  connections: number;
  idleRps: number;
  duringImportsRps: number;
  /** duringImportsRps / idleRps: the share of its idle capacity the server kept while importing. */
  keptShare: number;
  /**
   * When more than one process served the connections (cluster): the import that left the most
   * connections stuck, and how many connections its process held. Null otherwise.
   */
  stuckOnBusyProcess: { stuck: number; onBusyProcess: number } | null;
  /** The load generator's CPU time in its busier phase, as a share of all the machine's cores. */
  loadGeneratorCpuShare: number;
  /**
   * The HTTP threads' CPU in each phase (cores: CPU ms per wall ms) and the requests they served per
   * CPU-second; null when it was not recorded. A design that keeps its requests per CPU-second but
   * loses capacity lost CPU time to the import's process, not efficiency.
   */
  httpThread: HttpThreadFacts | null;
}

export interface HttpThreadFacts {
  idleCores: number;
  duringImportsCores: number;
  idlePerCpuSecond: number;
  duringImportsPerCpuSecond: number;
  /** duringImportsPerCpuSecond / idlePerCpuSecond. */
  perCpuSecondKept: number;
  /**
   * The thread answered nearly as many requests per CPU-second (>= 80%) but got markedly less CPU
   * (< 80% of idle): the capacity it lost is CPU the import's process took, not work added to it.
   */
  lostCpuNotEfficiency: boolean;
}

/** Null when either phase lacks the CPU figure or had no CPU time to divide by. */
export function httpThreadFacts(idle: Capacity, duringImports: Capacity): HttpThreadFacts | null {
  const idleCpuMs = idle.httpThreadCpuMs;
  const duringCpuMs = duringImports.httpThreadCpuMs;
  if (idleCpuMs === undefined || idleCpuMs === null || duringCpuMs === undefined || duringCpuMs === null) return null;
  // Before the window matched the phase, the during-imports CPU ran on past it: not comparable.
  if (idle.httpThreadCpuWindow !== 'phase' || duringImports.httpThreadCpuWindow !== 'phase') return null;
  if (idleCpuMs <= 0 || duringCpuMs <= 0 || idle.durationMs <= 0 || duringImports.durationMs <= 0) return null;
  const idlePerCpuSecond = idle.requests / (idleCpuMs / 1000);
  const duringImportsPerCpuSecond = duringImports.requests / (duringCpuMs / 1000);
  const idleCores = idleCpuMs / idle.durationMs;
  const duringImportsCores = duringCpuMs / duringImports.durationMs;
  const perCpuSecondKept = duringImportsPerCpuSecond / idlePerCpuSecond;
  return {
    idleCores,
    duringImportsCores,
    idlePerCpuSecond,
    duringImportsPerCpuSecond,
    perCpuSecondKept,
    lostCpuNotEfficiency: perCpuSecondKept >= 0.8 && duringImportsCores < 0.8 * idleCores,
  };
}

/** What the capacity phases of a result say; null when they were not measured. */
export function capacityFacts(result: CompletedScenarioResult): CapacityFacts | null {
  const capacity = result.capacity;
  if (!capacity) return null;
  const { idle, duringImports } = capacity;
  const servingPids = new Set([...Object.keys(idle.connectionsByPid), ...Object.keys(duringImports.connectionsByPid)]);
  const measured = duringImports.imports.filter((imp) => imp.stuckConnections !== null && imp.connectionsOnBusyProcess !== null);
  const worst = measured.sort((a, b) => (b.stuckConnections ?? 0) - (a.stuckConnections ?? 0))[0];
  const cpuShare = (phase: Capacity) => (phase.durationMs > 0 ? phase.loadGeneratorCpuMs / (phase.durationMs * Math.max(1, result.env.cores)) : 0);
  return {
    connections: duringImports.connections,
    idleRps: idle.rps,
    duringImportsRps: duringImports.rps,
    keptShare: idle.rps > 0 ? duringImports.rps / idle.rps : 0,
    stuckOnBusyProcess:
      servingPids.size > 1 && worst ? { stuck: worst.stuckConnections ?? 0, onBusyProcess: worst.connectionsOnBusyProcess ?? 0 } : null,
    loadGeneratorCpuShare: Math.max(cpuShare(idle), cpuShare(duringImports)),
    httpThread: httpThreadFacts(idle, duringImports),
  };
}
