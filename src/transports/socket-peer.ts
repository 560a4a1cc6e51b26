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
  // Corked, so small messages leave in one writev and the naive receiver gets them in one read.
  socket.cork();
  for (const part of parts) socket.write(part);
  socket.uncork();
}

/**
 * Peer side of raw-socket and naive-socket: one message per connection, no framing. The request ends
 * when the parent ends its side (allowHalfOpen keeps ours open for the reply).
 */
export function serveSocketPeer(socketPath: string, naive: boolean): void {
  const server = net.createServer({ allowHalfOpen: true }, (socket) => {
    socket.on('error', () => socket.destroy());
    if (naive) {
      // THE BUG, KEPT ON PURPOSE (the talk's sixth iteration found it): this receiver treats one
      // 'data' event as one whole message. A stream socket delivers big messages in pieces (Node
      // reads at most 64 KiB at a time), so above that it answers a truncated message. Do not fix.
      socket.once('data', (firstChunk: Buffer) => {
        writeParts(socket, answer(firstChunk));
        socket.end();
        socket.on('data', () => undefined); // discard the rest, so the sender is not blocked
      });
      return;
    }
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('end', () => {
      writeParts(socket, answer(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks)));
      socket.end();
    });
  });
  server.listen(socketPath, () => process.send?.({ type: 'ready' }));
}
