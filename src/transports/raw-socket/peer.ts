import type net from 'node:net';
import { answerEnvelope } from '../common/envelope-peer.js';
import { leaveWhenLinkEnds, openPeerLink } from '../common/in-place-link/peer.js';
import { writeParts } from '../common/in-place-link/socket.js';
import { peerArgs, type PeerEntry } from '../common/peer-entry.js';
import { markFault, misbehaveMidReply, PROTOCOL_FAULTS, takeFaultForReply, type PeerFault, type ProtocolFault } from '../common/peer-fault.js';
import { lengthPrefix, LengthPrefixedReader } from './framing.js';

/** An announced length no receiver accepts (4 GiB - 1): it must be refused before anything is allocated. */
const OVERSIZE_LENGTH = 0xffffffff;

/**
 * `npm run faults` only: the length-prefixed reply broken the way `fault` says ([uint32 BE length]
 * [envelope]), and whether to end the stream after it; null for a fault that is not about the bytes.
 */
function faultyReply(fault: PeerFault, parts: Buffer[], sizeBytes: number): { buffers: Buffer[]; end: boolean } | null {
  if (!PROTOCOL_FAULTS.includes(fault as ProtocolFault)) return null;
  markFault();
  const whole = Buffer.concat(parts);
  switch (fault) {
    case 'truncated-frame':
      // The whole length announced, half the message sent, then the end of the stream.
      return { buffers: [lengthPrefix(sizeBytes), whole.subarray(0, Math.floor(whole.length / 2))], end: true };
    case 'garbage-header':
      return { buffers: [Buffer.from('GARBAGE, NOT A LENGTH PREFIX')], end: false };
    case 'oversize-announce':
      return { buffers: [lengthPrefix(OVERSIZE_LENGTH), whole.subarray(0, 64)], end: false };
    default:
      // length-mismatch: one byte more than announced; the extra byte starts a bogus next prefix.
      return { buffers: [lengthPrefix(sizeBytes - 1), whole], end: false };
  }
}

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
    if (!outbound) return;
    const fault = takeFaultForReply();
    const faulty = fault === null ? null : faultyReply(fault, parts, sizeBytes);
    if (faulty) {
      writeParts(outbound, faulty.buffers);
      if (faulty.end) outbound.end();
      return;
    }
    writeParts(outbound, [lengthPrefix(sizeBytes), ...parts]);
    misbehaveMidReply(fault);
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
