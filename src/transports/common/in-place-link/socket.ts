import { once } from 'node:events';
import net from 'node:net';
import { asError } from '../../../format/error.js';
import type { InPlaceReader } from '../in-place-reader.js';

// The in-place link between a parent and its peer (raw-socket, chunked): two Unix socket connections
// in the parent's private temp dir, each read in place (`onread`) by the side that opened it.
//
// Only the connecting side of a Node socket can read in place: `net.connect` takes `onread`, but in
// Node 20 `net.createServer` hands out accepted sockets without it. So the peer connects to the
// parent's socket (toPeer) and reads requests from it, and the parent connects to the peer's socket
// (fromPeer) and reads replies from it; each side writes on the connection it accepted. Start-up,
// over the fork channel: the parent listens on toPeer and forks; the peer listens on fromPeer,
// connects to toPeer and says 'link-listening'; the parent connects to fromPeer; the peer accepts it
// and says 'ready'.

/**
 * Connects to `socketPath` and reads with `onread`: every read lands in the view `reader` hands out.
 * A reader that throws (garbage, a size above its limit, a stream ending mid-message) destroys the
 * socket with its error, so the owner sees it as the socket's 'error'.
 */
export function connectReadingInPlace(socketPath: string, reader: InPlaceReader): net.Socket {
  let failed = false;
  // Node asks for the next read's buffer right after each callback, also after a failed one.
  const discard = Buffer.alloc(1);
  const socket: net.Socket = net.connect({
    path: socketPath,
    onread: {
      buffer: () => (failed ? discard : reader.nextBuffer()),
      callback: (bytes: number): boolean => {
        if (failed) return false;
        try {
          reader.commit(bytes);
          return true;
        } catch (error: unknown) {
          failed = true;
          socket.destroy(asError(error));
          return false;
        }
      },
    },
  });
  socket.on('end', () => {
    try {
      reader.end();
    } catch (error: unknown) {
      failed = true;
      socket.destroy(asError(error));
    }
  });
  return socket;
}

/** A peer connection: requests go out on `outbound`, replies land in place from `inbound`. */
export interface Link {
  readonly outbound: net.Socket;
  readonly inbound: net.Socket;
}

/** Where the two sockets of a link live (inside a private temp dir). */
export interface LinkPaths {
  /** The parent listens here; the peer connects and reads what the parent writes. */
  toPeer: string;
  /** The peer listens here; the parent connects and reads what the peer writes. */
  fromPeer: string;
}

/** The link's handshake over the peer's IPC channel: the peer listens, then the parent connects, then 'ready'. */
export type LinkMessage = { type: 'link-listening' } | { type: 'ready' };

export function listen(socketPath: string): Promise<net.Server> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(socketPath, () => {
      server.off('error', reject);
      resolve(server);
    });
  });
}

/** The next connection `server` accepts. */
export function nextConnection(server: net.Server): Promise<net.Socket> {
  return once(server, 'connection').then(([socket]) => socket as net.Socket);
}

/** Where both ends of every socket of a link are, in the parent's private temp dir. */
export function linkPaths(dir: { socket(name: string): string }): LinkPaths {
  return { toPeer: dir.socket('in.sock'), fromPeer: dir.socket('out.sock') };
}

/** Writes a message's parts corked, so a small message's prefix and body leave in one writev. */
export function writeParts(socket: net.Socket, parts: readonly Buffer[]): void {
  socket.cork();
  for (const part of parts) socket.write(part);
  socket.uncork();
}
