import { serveForkChannelPeer } from '../common/fork-channel/peer.js';
import type { PeerEntry } from '../common/peer-entry.js';
import { forkAdvancedCodec } from './codec.js';

/** Peer side of fork-advanced: the fork-channel peer with fork-advanced's codec. No arguments. */
export const forkAdvancedPeer: PeerEntry = () => serveForkChannelPeer(forkAdvancedCodec);
