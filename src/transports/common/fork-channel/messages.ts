import type { Job, Payload } from '../../types.js';
import type { PeerFault } from '../peer-fault.js';

// Every message that crosses the fork channel (process.send) of fork-json, fork-advanced and
// buffer-zlib; each transport's codec decides what `body` is and how its bytes are counted.
//   peer -> parent   ready                              once, when it listens
//   parent -> peer   request { id, job, body }
//   peer -> parent   reply { id, body, ... }  or  error { id, message }
// A request the peer cannot decode or run is answered with an error: the peer stays ready.

export interface ForkReady {
  type: 'ready';
}

export interface ForkRequest<Body> {
  type: 'request';
  id: number;
  job: Job;
  body: Body;
}

export interface ForkReply<Body> {
  type: 'reply';
  id: number;
  body: Body;
  peakRssBytes: number;
  /** Measured on the peer, where sizing structured data does not block the HTTP process. */
  requestBodyBytes: number;
  replyBodyBytes: number;
}

export interface ForkFailure {
  type: 'error';
  id: number;
  message: string;
  peakRssBytes: number;
}

export type ForkToPeer<Body> = ForkRequest<Body>;
export type ForkFromPeer<Body> = ForkReady | ForkReply<Body> | ForkFailure;

/** How one transport turns a payload into what process.send carries, and counts it. */
export interface ForkCodec<Body> {
  serialization: 'json' | 'advanced';
  encode(payload: Payload): Promise<Body>;
  /** `maxBytes`: the largest payload accepted; a codec that inflates refuses above it before allocating. */
  decode(body: Body, maxBytes?: number): Promise<Payload>;
  /** Size of the body on the channel. */
  bodyWireBytes(body: Body): number;
  /** Size of a whole message on the channel, given it with `body: null` and the body's size. */
  messageWireBytes(messageWithNullBody: object, bodyBytes: number): number;
  /** `npm run faults` only: the body broken the way `fault` says; absent where the codec has no format of its own. */
  faultyBody?(body: Body, fault: PeerFault): Promise<Body>;
}
