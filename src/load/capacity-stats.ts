import type { Capacity, CapacityImport, ImportRecord } from '../results/schema.js';
import type { CapacityRecording, ConnectionAnswers } from './capacity.js';

/** Shorter stretches of an import inside the phase say nothing about stuck connections. */
export const MIN_STUCK_WINDOW_MS = 500;
/** Answers this close to an import's start or end may belong to before or after it. */
const EDGE_MS = 100;

/**
 * Connections without a single answer in [fromMs + edge, toMs - edge], the window clipped to the
 * phase [0, phaseMs]; edge is 100 ms or a tenth of the window, whichever is shorter. Null when less
 * than MIN_STUCK_WINDOW_MS of the window lies in the phase.
 */
export function stuckConnections(connections: readonly ConnectionAnswers[], fromMs: number, toMs: number, phaseMs: number): number | null {
  const from = Math.max(0, fromMs);
  const to = Math.min(phaseMs, toMs);
  if (to - from < MIN_STUCK_WINDOW_MS) return null;
  const edgeMs = Math.min(EDGE_MS, (to - from) / 10);
  const answeredWithin = (c: ConnectionAnswers) => c.answeredAtMs.some((t) => t >= from + edgeMs && t <= to - edgeMs);
  return connections.filter((c) => !answeredWithin(c)).length;
}

/** Connections per pid of their latest answer; connections never answered are left out. */
export function connectionsByPid(connections: readonly ConnectionAnswers[]): Record<string, number> {
  const byPid: Record<string, number> = {};
  for (const c of connections) {
    if (c.pid !== null) byPid[String(c.pid)] = (byPid[String(c.pid)] ?? 0) + 1;
  }
  return byPid;
}

/** The results' Capacity of a recording and the imports that ran during it (on the phase's clock). */
export function summarizeCapacity(recording: CapacityRecording, imports: readonly ImportRecord[]): Capacity {
  const byPid = connectionsByPid(recording.perConnection);
  const capacityImports: CapacityImport[] = imports.map((imp) => ({
    ...imp,
    connectionsOnBusyProcess: imp.workerPid === undefined ? null : (byPid[String(imp.workerPid)] ?? 0),
    stuckConnections: stuckConnections(recording.perConnection, imp.startedAtMs, imp.startedAtMs + imp.durationMs, recording.durationMs),
  }));
  return {
    durationMs: recording.durationMs,
    connections: recording.connections,
    requests: recording.requests,
    rps: recording.durationMs > 0 ? recording.requests / (recording.durationMs / 1000) : 0,
    rpsPerSecond: recording.requestsPerSecond,
    closedLoopLatencyMs: recording.closedLoopLatencyMs,
    errors: recording.errors,
    timeouts: recording.timeouts,
    non2xx: recording.non2xx,
    requestsByPid: recording.requestsByPid,
    connectionsByPid: byPid,
    loadGeneratorCpuMs: recording.loadGeneratorCpuMs,
    imports: capacityImports,
  };
}
