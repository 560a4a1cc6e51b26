import { serveForkChannelPeer } from '../common/fork-channel/peer.js';
import type { PeerEntry } from '../common/peer-entry.js';
import { bufferZlibCodec } from './codec.js';

/** Peer side of buffer-zlib: the fork-channel peer with buffer-zlib's codec. No arguments. */
export const bufferZlibPeer: PeerEntry = () => serveForkChannelPeer(bufferZlibCodec);
