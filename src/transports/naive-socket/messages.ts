import type { PayloadKind } from '../common/envelope.js';
import type { Job } from '../types.js';

// naive-socket's control messages. They travel over the forked child's IPC channel so that the Unix
// socket carries nothing but the payload bytes: the receiver's bug (one 'data' event taken as the
// whole message) then breaks exactly where a single read stops, just above 64 KiB, as in the talk.
// One exchange, in order:
//   IPC     parent -> peer   request { job, payloadKind }
//   IPC     peer -> parent   armed
//   socket  parent -> peer   a fresh connection: the payload's bytes (payloadBody), then its end
//   IPC     peer -> parent   reply { payloadKind } | error { message }
//   socket  peer -> parent   the reply's bytes (none after an error), then its end

/** Parent to peer, before the payload is written: what the next connection's bytes are and what to do. */
export interface NaiveRequest {
  type: 'request';
  job: Job;
  payloadKind: PayloadKind;
}

export type NaiveToPeer = NaiveRequest;

export type NaiveFromPeer =
  | { type: 'ready' }
  /** The request is noted: the parent may connect and write the payload. */
  | { type: 'armed' }
  /** Sent before the reply's bytes go over the socket (which then ends). */
  | { type: 'reply'; payloadKind: PayloadKind; peakRssBytes: number }
  /** Nothing follows on the socket but its end. */
  | { type: 'error'; message: string; peakRssBytes: number };

/** Bytes one message takes on a JSON IPC channel (one line of JSON). */
export function ipcMessageBytes(message: NaiveToPeer | NaiveFromPeer): number {
  return Buffer.byteLength(JSON.stringify(message)) + 1;
}
