import net from 'node:net';
import { answerEnvelope } from '../shared/envelope-peer.js';
import { peerArgs, type PeerEntry } from '../shared/peer-entry.js';
import { ChunkedEndpoint } from './endpoint.js';

/**
 * Peer side of chunked (the protocol: messages.ts; argv: socket path, max message bytes, frame
 * bytes): connects to the parent's socket and answers each request message with one message.
 */
export const chunkedPeer: PeerEntry = (args) => {
  const [socketPath, maxMessageBytes, frameBytes] = peerArgs('chunked', args, ['socket path', 'max message bytes', 'frame bytes']);
  const socket = net.connect(socketPath, () => process.send?.({ type: 'ready' }));
  const endpoint: ChunkedEndpoint = new ChunkedEndpoint(socket, { maxMessageBytes: Number(maxMessageBytes), frameBytes: Number(frameBytes) }, {
    message: (message) => {
      const parts = answerEnvelope(message);
      const sizeBytes = parts.reduce((sum, part) => sum + part.length, 0);
      // A refused reply fails the exchange on the parent's side; we stay ready for the next one.
      endpoint.send(parts, sizeBytes).catch(() => undefined);
    },
    refusedIncoming: () => undefined, // the parent's send rejects with the reason
    // Garbage, or the parent is gone (the connection ended): nothing more can arrive, so leave.
    failed: (error) => {
      console.error(`chunked peer: ${error.message}`);
      process.exit(1);
    },
  });
};
