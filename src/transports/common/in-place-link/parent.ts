import { once } from 'node:events';
import type net from 'node:net';
import type { TransportId } from '../../registry.js';
import { TransportError, type PeerOptions } from '../../types.js';
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
 * Rejects when `socket` errors or closes, until `settled` is called: during start-up nobody else
 * listens yet, and an 'error' without a listener would take this process down.
 */
function breakage(socket: net.Socket, what: string): { broken: Promise<never>; settled: () => void } {
  let onBreak: (error?: Error) => void = () => undefined;
  const broken = new Promise<never>((_resolve, reject) => {
    onBreak = (error?: Error) => reject(new TransportError('error', `${what}: ${error?.message ?? 'connection closed'}`));
  });
  broken.catch(() => undefined); // observed by the race below, or not at all once settled
  socket.on('error', onBreak);
  socket.on('close', onBreak);
  return {
    broken,
    settled: () => {
      socket.off('error', onBreak);
      socket.off('close', onBreak);
    },
  };
}

/**
 * Forks the peer of `transportId` (argv: to-peer path, from-peer path, ...args) and opens the link
 * (see socket.ts), replies landing in place through `reader`. Every step is bounded by the timeout;
 * on any failure the sockets, the peer and the temp dir are gone before this rejects.
 */
export async function startLinkedPeer(transportId: TransportId, options: PeerOptions, reader: InPlaceReader, args: readonly string[] = []): Promise<LinkedPeer> {
  const dir = PrivateTempDir.create(transportId);
  const paths = await dir.removedIfThrows(() => linkPaths(dir));
  let server: net.Server | null = null;
  let accepted: Promise<net.Socket> | null = null;
  let owner: ChildOwner | null = null;
  let inbound: net.Socket | null = null;
  try {
    server = await listen(paths.toPeer);
    accepted = nextConnection(server);
    owner = new ChildOwner({
      transportId,
      args: [paths.toPeer, paths.fromPeer, ...args],
      childHeapMb: options.childHeapMb,
      ...(options.priority !== undefined ? { priority: options.priority } : {}),
      ...(options.peerFault ? { peerFault: options.peerFault } : {}),
    });
    const listening = peerSays(owner, 'link-listening');
    const ready = peerSays(owner, 'ready');
    const what = `${transportId} peer start-up`;
    await owner.guard(listening, options.timeoutMs, what);
    inbound = connectReadingInPlace(paths.fromPeer, reader);
    const inboundBreak = breakage(inbound, `${transportId} link during start-up`);
    try {
      await owner.guard(Promise.race([once(inbound, 'connect'), inboundBreak.broken]), options.timeoutMs, what);
      const outbound = await owner.guard(Promise.race([accepted, inboundBreak.broken]), options.timeoutMs, what);
      const outboundBreak = breakage(outbound, `${transportId} link during start-up`);
      try {
        await owner.guard(Promise.race([ready, inboundBreak.broken, outboundBreak.broken]), options.timeoutMs, what);
      } finally {
        outboundBreak.settled();
      }
      // The caller attaches its own listeners before any I/O event can run (no await in between).
      return { owner, dir, link: { inbound, outbound } };
    } finally {
      inboundBreak.settled();
    }
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
