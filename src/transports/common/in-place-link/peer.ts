import { once } from 'node:events';
import type { InPlaceReader } from '../in-place-reader.js';
import { connectReadingInPlace, listen, nextConnection, type Link, type LinkMessage, type LinkPaths } from './socket.js';

/**
 * Peer side of the link (see socket.ts): listens on `fromPeer`, connects to `toPeer` reading in place
 * with `reader`, says 'link-listening' and resolves once the parent's connection is accepted. The
 * caller says 'ready' when it can answer: the parent sends its first request only after that.
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
    // One parent, one connection: stop accepting (the socket file goes with the parent's temp dir).
    server.close();
  }
}

/** A peer on a link has nothing left to do once either connection ends: the parent is gone. */
export function leaveWhenLinkEnds(link: Link, transportId: string): void {
  for (const socket of [link.inbound, link.outbound]) {
    socket.on('error', (error) => {
      console.error(`${transportId} peer: ${error.message}`);
      process.exit(1);
    });
    socket.on('close', () => process.exit(0));
  }
}
