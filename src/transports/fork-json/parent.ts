import { forkChannelTransport } from '../common/fork-channel/parent.js';
import type { Transport } from '../types.js';
import { forkJsonCodec } from './codec.js';

/** The talk's third iteration: child_process.fork + process.send with the default JSON serialization. */
export const forkJsonTransport: Transport = forkChannelTransport(
  { id: 'fork-json', title: 'fork + process.send (JSON serialization)', talkIteration: 3 },
  forkJsonCodec,
);
