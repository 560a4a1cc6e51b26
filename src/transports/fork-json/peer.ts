import { serveForkChannelPeer } from '../common/fork-channel/peer.js';
import type { PeerEntry } from '../common/peer-entry.js';
import { forkJsonCodec } from './codec.js';

/** Peer side of fork-json: the fork-channel peer with fork-json's codec. No arguments. */
export const forkJsonPeer: PeerEntry = () => serveForkChannelPeer(forkJsonCodec);
