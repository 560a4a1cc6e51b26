import net from 'node:net';
import { ChunkedEndpoint } from './chunked-endpoint.js';
import { answer } from './socket-peer.js';

/** Peer side of chunked: connects to the parent, answers each message with one message. */
export function serveChunkedPeer(socketPath: string, maxMessageBytes: number, frameBytes: number): void {
  const socket = net.connect(socketPath, () => process.send?.({ type: 'ready' }));
  const endpoint: ChunkedEndpoint = new ChunkedEndpoint(socket, { maxMessageBytes, frameBytes }, {
    message: (message) => {
      const parts = answer(message);
      const sizeBytes = parts.reduce((sum, part) => sum + part.length, 0);
      // A refused reply fails the exchange on the parent's side; we stay ready for the next one.
      endpoint.send(parts, sizeBytes).catch(() => undefined);
    },
    refusedIncoming: () => undefined, // the parent's send rejects with the reason
    failed: (error) => {
      console.error(`chunked peer: ${error.message}`);
      process.exit(1);
    },
  });
}
