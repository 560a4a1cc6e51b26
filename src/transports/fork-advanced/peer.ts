import { serveForkChannelPeer } from '../shared/fork-channel/peer.js';
import type { PeerEntry } from '../shared/peer-entry.js';
import { forkAdvancedCodec } from './codec.js';

/** Peer side of fork-advanced: the fork-channel peer with fork-advanced's codec. No arguments. */
export const forkAdvancedPeer: PeerEntry = () => serveForkChannelPeer(forkAdvancedCodec);
