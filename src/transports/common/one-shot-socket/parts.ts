import type net from 'node:net';

// Both sides of a one-shot socket write a message as parts (a small prefix, a large body) and read
// it back as the chunks the stream delivered.

export function writeParts(socket: net.Socket, parts: readonly Buffer[]): void {
  // Corked, so a small message's prefix and body leave in one writev.
  socket.cork();
  for (const part of parts) socket.write(part);
  socket.uncork();
}

/** The chunks as one Buffer, without a copy when there is only one. */
export function joinChunks(chunks: readonly Buffer[]): Buffer {
  return chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks);
}
