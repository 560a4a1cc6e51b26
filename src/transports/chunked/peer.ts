import type net from 'node:net';
import { answerEnvelope } from '../common/envelope-peer.js';
import { openPeerLink } from '../common/in-place-link/peer.js';
import { peerArgs, type PeerEntry } from '../common/peer-entry.js';
import { markFault, misbehaveMidReply, PROTOCOL_FAULTS, takeFaultForReply, type PeerFault, type ProtocolFault } from '../common/peer-fault.js';
import { ChunkedEndpoint } from './endpoint.js';
import { controlFrame } from './framing.js';

/** An announced size no receiver accepts (1 TiB): it must be refused before anything is allocated. */
export const OVERSIZE_ANNOUNCE_BYTES = 2 ** 40;

/**
 * `npm run faults` only: sends the reply broken the way `fault` says; true when it did (the
 * ordinary reply is then not sent).
 */
function sendFaulty(fault: PeerFault, socket: net.Socket, endpoint: ChunkedEndpoint, parts: Buffer[], sizeBytes: number): boolean {
  if (PROTOCOL_FAULTS.includes(fault as ProtocolFault)) markFault();
  switch (fault) {
    case 'truncated-frame': {
      // An announce frame cut after 10 of its bytes, then the end of the stream.
      socket.end(controlFrame({ type: 'announce', sizeBytes }).subarray(0, 10));
      return true;
    }
    case 'garbage-header':
      socket.write(Buffer.from('GARBAGE, NOT A FRAME'));
      return true;
    case 'oversize-announce':
      endpoint.send(parts, OVERSIZE_ANNOUNCE_BYTES).catch(() => undefined);
      return true;
    case 'length-mismatch':
      // Announces one byte less than the data frames then carry.
      endpoint.send(parts, sizeBytes - 1).catch(() => undefined);
      return true;
    default:
      return false;
  }
}

/**
 * Peer side of chunked (the protocol: messages.ts; argv: to-peer path, from-peer path, max message
 * bytes, frame bytes, eager max bytes): opens the in-place link and answers each request message with one message.
 */
export const chunkedPeer: PeerEntry = (args) => {
  const [toPeer, fromPeer, maxMessageBytes, frameBytes, eagerMaxBytes] = peerArgs('chunked', args, [
    'to-peer socket path',
    'from-peer socket path',
    'max message bytes',
    'frame bytes',
    'eager max bytes',
  ]);
  let outbound: net.Socket | null = null;
  const endpoint: ChunkedEndpoint = new ChunkedEndpoint({ maxMessageBytes: Number(maxMessageBytes), frameBytes: Number(frameBytes), eagerMaxBytes: Number(eagerMaxBytes) }, {
    message: (message) => {
      const parts = answerEnvelope(message);
      const sizeBytes = parts.reduce((sum, part) => sum + part.length, 0);
      const fault = takeFaultForReply();
      // Requests come only after our 'ready', sent once the link is whole.
      if (fault !== null && outbound !== null && sendFaulty(fault, outbound, endpoint, parts, sizeBytes)) return;
      // A refused reply fails the exchange on the parent's side; we stay ready for the next one.
      endpoint
        .send(parts, sizeBytes)
        .then(() => misbehaveMidReply(fault))
        .catch(() => undefined);
    },
    refusedIncoming: () => undefined, // the parent's send rejects with the reason
    // Garbage, or the parent is gone (the link ended): nothing more can arrive, so leave.
    failed: (error) => {
      console.error(`chunked peer: ${error.message}`);
      process.exit(1);
    },
  });
  openPeerLink({ toPeer, fromPeer }, endpoint.reader, (message) => process.send?.(message)).then(
    (link) => {
      // The endpoint's `failed` handler leaves when either connection ends.
      endpoint.attach(link);
      outbound = link.outbound;
      process.send?.({ type: 'ready' });
    },
    (error: Error) => {
      console.error(`chunked peer: ${error.message}`);
      process.exit(1);
    },
  );
};
