import net from 'node:net';
import { decodeEnvelope, encodeEnvelope } from './envelope.js';
import { errorMessage, peakRssBytes, runJob } from './peer-jobs.js';

/** Answers one whole request message with the whole reply message (parts to write, in order). */
export function answer(message: Buffer): Buffer[] {
  try {
    const { header, payload } = decodeEnvelope(message);
    if (header.type !== 'request' || payload === null) throw new Error(`expected a request, got a '${header.type}' message`);
    const reply = runJob(header.job, payload);
    return encodeEnvelope({ type: 'reply', payloadKind: reply.kind, peakRssBytes: peakRssBytes() }, reply).parts;
  } catch (error) {
    return encodeEnvelope({ type: 'error', message: errorMessage(error), peakRssBytes: peakRssBytes() }, null).parts;
  }
}

export function writeParts(socket: net.Socket, parts: Buffer[]): void {
  // Corked, so a small message's prefix and body leave in one writev.
  socket.cork();
  for (const part of parts) socket.write(part);
  socket.uncork();
}

/**
 * Peer side of raw-socket: one message per connection, no framing. The request ends when the parent
 * ends its side (allowHalfOpen keeps ours open for the reply), so it is read whole at any size.
 * (naive-socket has its own peer, naive-socket-peer.ts: only payload bytes on its socket.)
 */
export function serveSocketPeer(socketPath: string): void {
  const server = net.createServer({ allowHalfOpen: true }, (socket) => {
    socket.on('error', () => socket.destroy());
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('end', () => {
      writeParts(socket, answer(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks)));
      socket.end();
    });
  });
  server.listen(socketPath, () => process.send?.({ type: 'ready' }));
}
