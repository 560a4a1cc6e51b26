import { forkChannelTransport } from '../common/fork-channel/parent.js';
import type { Transport } from '../types.js';
import { forkAdvancedCodec } from './codec.js';

/** Not in the talk: today's fork channel with `serialization: 'advanced'`. */
export const forkAdvancedTransport: Transport = forkChannelTransport(
  { id: 'fork-advanced', title: "fork + process.send (serialization: 'advanced')", talkIteration: null },
  forkAdvancedCodec,
);
