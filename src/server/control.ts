import type { ServerMetrics } from './contract.js';

// Typed messages between the runner (CLI process) and the server process it forks, and between a
// cluster primary and its workers. Measurement data never travels here: only control.

export type ControlRequest =
  | { type: 'reset-metrics'; requestId: number }
  | { type: 'collect-metrics'; requestId: number }
  | { type: 'shutdown' };

export type ControlReply =
  | { type: 'ready'; port: number; pids: number[] }
  | ({ type: 'metrics'; requestId: number } & ServerMetrics)
  | { type: 'ack'; requestId: number }
  /** Something the run must record: a worker died and was replaced, ... */
  | { type: 'event'; message: string }
  | { type: 'failed'; error: string; code?: string };

export function isControlRequest(value: unknown): value is ControlRequest {
  const type = (value as { type?: unknown } | null)?.type;
  return type === 'reset-metrics' || type === 'collect-metrics' || type === 'shutdown';
}

export function isControlReply(value: unknown): value is ControlReply {
  const type = (value as { type?: unknown } | null)?.type;
  return type === 'ready' || type === 'metrics' || type === 'ack' || type === 'event' || type === 'failed';
}
