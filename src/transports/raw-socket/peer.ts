import { answerEnvelope } from '../shared/envelope-peer.js';
import { joinChunks, writeParts } from '../shared/one-shot-socket/parts.js';
import { serveOneShotSocket } from '../shared/one-shot-socket/peer.js';
import { peerArgs, type PeerEntry } from '../shared/peer-entry.js';

/**
 * Peer side of raw-socket (argv: socket path). The request ends when the parent ends its side, so it
 * is read whole at any size; the reply envelope is written and our side ended.
 */
export const rawSocketPeer: PeerEntry = (args) => {
  const [socketPath] = peerArgs('raw-socket', args, ['socket path']);
  serveOneShotSocket(
    socketPath,
    (socket) => {
      const chunks: Buffer[] = [];
      socket.on('data', (chunk: Buffer) => chunks.push(chunk));
      socket.on('end', () => {
        writeParts(socket, answerEnvelope(joinChunks(chunks)));
        socket.end();
      });
    },
    () => process.send?.({ type: 'ready' }),
  );
};
