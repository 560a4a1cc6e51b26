import { bufferZlibTransport } from './buffer-zlib.js';
import { chunkedTransport } from './chunked.js';
import { forkAdvancedTransport } from './fork-advanced.js';
import { forkJsonTransport } from './fork-json.js';
import { naiveSocketTransport } from './naive-socket.js';
import { nodeIpcTransport } from './node-ipc.js';
import { rawSocketTransport } from './raw-socket.js';
import type { Transport, TransportId } from './types.js';
import { workerTransferTransport } from './worker-transfer.js';

export const transports: Record<TransportId, Transport> = {
  'fork-json': forkJsonTransport,
  'fork-advanced': forkAdvancedTransport,
  'node-ipc': nodeIpcTransport,
  'naive-socket': naiveSocketTransport,
  'buffer-zlib': bufferZlibTransport,
  chunked: chunkedTransport,
  'worker-transfer': workerTransferTransport,
  'raw-socket': rawSocketTransport,
};

/** In the order of DESIGN.md. */
export const transportIds = Object.keys(transports) as TransportId[];

export function getTransport(id: TransportId): Transport {
  return transports[id];
}
