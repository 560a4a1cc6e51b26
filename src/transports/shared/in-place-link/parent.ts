import { once } from 'node:events';
import type net from 'node:net';
import type { TransportId } from '../../registry.js';
import type { PeerOptions } from '../../types.js';
import { ChildOwner } from '../child-owner.js';
import type { InPlaceReader } from '../in-place-reader.js';
import { PrivateTempDir } from '../temp-dir.js';
import { connectReadingInPlace, linkPaths, listen, nextConnection, type Link, type LinkMessage } from './socket.js';

export interface LinkedPeer {
  owner: ChildOwner;
  dir: PrivateTempDir;
  link: Link;
}

/** Resolves when the peer sends `type` over the fork channel. */
function peerSays(owner: ChildOwner, type: LinkMessage['type']): Promise<void> {
  return new Promise((resolve) => {
    const onMessage = (message: { type?: unknown }): void => {
      if (message.type !== type) return;
      owner.child.off('message', onMessage);
      resolve();
    };
    owner.child.on('message', onMessage);
  });
}

/**
 * Forks the peer of `transportId` (argv: to-peer path, from-peer path, ...args) and opens the link
 * (see socket.ts), replies landing in place through `reader`. Every step is bounded by the timeout;
 * on any failure the sockets, the peer and the temp dir are gone before this rejects.
 */
export async function startLinkedPeer(transportId: TransportId, options: PeerOptions, reader: InPlaceReader, args: readonly string[] = []): Promise<LinkedPeer> {
  const dir = PrivateTempDir.create(transportId);
  const paths = linkPaths(dir);
  let server: net.Server | null = null;
  let accepted: Promise<net.Socket> | null = null;
  let owner: ChildOwner | null = null;
  let inbound: net.Socket | null = null;
  try {
    server = await listen(paths.toPeer);
    accepted = nextConnection(server);
    owner = new ChildOwner({ transportId, args: [paths.toPeer, paths.fromPeer, ...args], childHeapMb: options.childHeapMb });
    const listening = peerSays(owner, 'link-listening');
    const ready = peerSays(owner, 'ready');
    const what = `${transportId} peer start-up`;
    await owner.guard(listening, options.timeoutMs, what);
    inbound = connectReadingInPlace(paths.fromPeer, reader);
    await owner.guard(once(inbound, 'connect'), options.timeoutMs, what);
    const outbound = await owner.guard(accepted, options.timeoutMs, what);
    await owner.guard(ready, options.timeoutMs, what);
    return { owner, dir, link: { inbound, outbound } };
  } catch (error) {
    inbound?.destroy();
    void accepted?.then((socket) => socket.destroy());
    await owner?.close();
    await dir.remove();
    throw error;
  } finally {
    server?.close();
  }
}
