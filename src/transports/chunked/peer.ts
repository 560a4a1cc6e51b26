import { answerEnvelope } from '../shared/envelope-peer.js';
import { openPeerLink } from '../shared/in-place-link/peer.js';
import { peerArgs, type PeerEntry } from '../shared/peer-entry.js';
import { ChunkedEndpoint } from './endpoint.js';

/**
 * Peer side of chunked (the protocol: messages.ts; argv: to-peer path, from-peer path, max message
 * bytes, frame bytes): opens the in-place link and answers each request message with one message.
 */
export const chunkedPeer: PeerEntry = (args) => {
  const [toPeer, fromPeer, maxMessageBytes, frameBytes] = peerArgs('chunked', args, [
    'to-peer socket path',
    'from-peer socket path',
    'max message bytes',
    'frame bytes',
  ]);
  const endpoint: ChunkedEndpoint = new ChunkedEndpoint({ maxMessageBytes: Number(maxMessageBytes), frameBytes: Number(frameBytes) }, {
    message: (message) => {
      const parts = answerEnvelope(message);
      const sizeBytes = parts.reduce((sum, part) => sum + part.length, 0);
      // A refused reply fails the exchange on the parent's side; we stay ready for the next one.
      endpoint.send(parts, sizeBytes).catch(() => undefined);
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
      process.send?.({ type: 'ready' });
    },
    (error: Error) => {
      console.error(`chunked peer: ${error.message}`);
      process.exit(1);
    },
  );
};
