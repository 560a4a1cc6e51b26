import { bufferZlibTransport } from './buffer-zlib/parent.js';
import { chunkedTransport } from './chunked/parent.js';
import { forkAdvancedTransport } from './fork-advanced/parent.js';
import { forkJsonTransport } from './fork-json/parent.js';
import { naiveSocketTransport } from './naive-socket/parent.js';
import { nodeIpcTransport } from './node-ipc/parent.js';
import { queueTransport } from './queue/parent.js';
import { rawSocketTransport } from './raw-socket/parent.js';
import type { Transport } from './types.js';
import { workerPoolTransport } from './worker-pool/parent.js';
import { workerTransferTransport } from './worker-transfer/parent.js';

// The only list of transport ids: TransportId is this object's keys, and everything keyed by
// transport (the peer entries in peer-main.ts, a scenario's transport) is checked against it. A new
// transport adds its folder, one line here and one in peer-main.ts (see README.md).

/** Every transport's parent side, in the order of docs/design.md (the sweep's and the report's order). */
export const transports = {
  'fork-json': forkJsonTransport,
  'fork-advanced': forkAdvancedTransport,
  'node-ipc': nodeIpcTransport,
  'naive-socket': naiveSocketTransport,
  'buffer-zlib': bufferZlibTransport,
  chunked: chunkedTransport,
  'worker-transfer': workerTransferTransport,
  'raw-socket': rawSocketTransport,
  'worker-pool': workerPoolTransport,
  queue: queueTransport,
} satisfies Record<string, Transport>;

export type TransportId = keyof typeof transports;

export const transportIds = Object.keys(transports) as TransportId[];

export function getTransport(id: TransportId): Transport {
  return transports[id];
}
