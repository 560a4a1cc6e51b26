import { once } from 'node:events';
import net from 'node:net';
import type { InPlaceReader } from './in-place-reader.js';

// Sockets that read in place, and the link of two of them between a parent and its peer.
//
// Only the connecting side of a Node socket can read in place: `net.connect` takes `onread`, but in
// Node 20 `net.createServer` hands out accepted sockets without it. So a link is two connections,
// each read by the side that opened it: the peer connects to the parent's socket and reads requests
// from it; the parent connects to the peer's socket and reads replies from it. Each side writes on
// the connection it accepted.

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
          socket.destroy(error instanceof Error ? error : new Error(String(error)));
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
      socket.destroy(error instanceof Error ? error : new Error(String(error)));
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

/**
 * Peer side: listens on `fromPeer`, connects to `toPeer` reading in place, says 'link-listening',
 * and resolves once the parent's connection is accepted. The caller then says 'ready'.
 */
export async function openPeerLink(paths: LinkPaths, reader: InPlaceReader, send: (message: LinkMessage) => void): Promise<Link> {
  const server = await listen(paths.fromPeer);
  try {
    const accepted = nextConnection(server);
    const inbound = connectReadingInPlace(paths.toPeer, reader);
    await once(inbound, 'connect');
    send({ type: 'link-listening' });
    return { inbound, outbound: await accepted };
  } finally {
    server.close();
  }
}

/**
 * Parent side, once the peer said 'link-listening': connects to `fromPeer` reading in place and
 * takes the peer's accepted connection on `toPeer` (the parent's server, opened before the fork).
 */
export async function openParentLink(paths: LinkPaths, accepted: Promise<net.Socket>, reader: InPlaceReader): Promise<Link> {
  const inbound = connectReadingInPlace(paths.fromPeer, reader);
  try {
    await once(inbound, 'connect');
    return { inbound, outbound: await accepted };
  } catch (error) {
    inbound.destroy();
    throw error;
  }
}
