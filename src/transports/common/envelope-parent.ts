import { decodeEnvelope } from './envelope.js';
import { TransportError, type Payload } from '../types.js';

/**
 * The parent side of every envelope transport (raw-socket, chunked), the counterpart of
 * envelope-peer.ts: a whole reply message read back as its payload, the peer's peak RSS handed to
 * `notePeak` from a reply or an error alike. A message that does not decode is `corrupted`; an error
 * envelope is the peer's `error`. Throws TransportError.
 */
export function replyPayload(message: Buffer, peerPid: number, notePeak: (peakRssBytes: number) => void): Payload {
  let envelope;
  try {
    envelope = decodeEnvelope(message);
  } catch (error) {
    throw new TransportError('corrupted', `reply from peer ${peerPid}: ${(error as Error).message}`);
  }
  const { header, payload } = envelope;
  if (header.type !== 'request') notePeak(header.peakRssBytes);
  if (header.type === 'error') throw new TransportError('error', `peer ${peerPid}: ${header.message}`);
  if (payload === null) throw new TransportError('corrupted', `peer ${peerPid} replied without a payload`);
  return payload;
}
