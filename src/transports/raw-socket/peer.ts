import type net from 'node:net';
import { answerEnvelope } from '../shared/envelope-peer.js';
import { leaveWhenLinkEnds, openPeerLink } from '../shared/in-place-link/peer.js';
import { writeParts } from '../shared/in-place-link/socket.js';
import { peerArgs, type PeerEntry } from '../shared/peer-entry.js';
import { lengthPrefix, LengthPrefixedReader } from './framing.js';

/**
 * Peer side of raw-socket (argv: to-peer path, from-peer path, max message bytes): reads each
 * length-prefixed request in place and writes the reply envelope, length-prefixed, on the link.
 */
export const rawSocketPeer: PeerEntry = (args) => {
  const [toPeer, fromPeer, maxMessageBytes] = peerArgs('raw-socket', args, ['to-peer socket path', 'from-peer socket path', 'max message bytes']);
  let outbound: net.Socket | null = null;
  const reader = new LengthPrefixedReader(Number(maxMessageBytes), (message) => {
    const parts = answerEnvelope(message);
    const sizeBytes = parts.reduce((sum, part) => sum + part.length, 0);
    // Requests come only after our 'ready', sent once the link is whole.
    if (outbound) writeParts(outbound, [lengthPrefix(sizeBytes), ...parts]);
  });
  openPeerLink({ toPeer, fromPeer }, reader, (message) => process.send?.(message)).then(
    (link) => {
      outbound = link.outbound;
      leaveWhenLinkEnds(link, 'raw-socket');
      process.send?.({ type: 'ready' });
    },
    (error: Error) => {
      console.error(`raw-socket peer: ${error.message}`);
      process.exit(1);
    },
  );
};
