import type { JsonWirePayload } from '../common/json-wire.js';
import type { Job } from '../types.js';

// The talk's first protocol over node-ipc, messages by type:
//   client connects -> 'peer.ready' -> server sends 'server.work' -> client works -> 'peer.result'.
// A request the client cannot run is answered with 'peer.failed' instead of 'peer.result'.
// node-ipc writes JSON.stringify({ type, data }) + '\f' per message; payloads as json-wire's form
// (bytes as base64).

export const NodeIpcEvent = { ready: 'peer.ready', work: 'server.work', result: 'peer.result', failed: 'peer.failed' } as const;

export interface NodeIpcWork {
  id: number;
  job: Job;
  body: JsonWirePayload;
}

export interface NodeIpcResult {
  id: number;
  body: JsonWirePayload;
  peakRssBytes: number;
  requestBodyBytes: number;
  replyBodyBytes: number;
}

export interface NodeIpcFailure {
  id: number;
  message: string;
  peakRssBytes: number;
}

/** Isolated, quiet and without reconnection attempts (a closed peer stays closed). */
export function configureIpc(config: { silent: boolean; maxRetries: number; stopRetrying: boolean; appspace: string }): void {
  config.silent = true;
  config.maxRetries = 0;
  config.stopRetrying = true;
  config.appspace = '';
}
