import { forkChannelTransport } from '../common/fork-channel/parent.js';
import type { Transport } from '../types.js';
import { bufferZlibCodec } from './codec.js';

/** The talk's fifth iteration: gzip both ways over the fork channel (see codec.ts). */
export const bufferZlibTransport: Transport = forkChannelTransport(
  { id: 'buffer-zlib', title: 'Buffer + gzip over fork (process.send)', talkIteration: 5, ownWireFormat: true },
  bufferZlibCodec,
);
