import type { TransportId } from './registry.js';
import type { PeerEntry } from './common/peer-entry.js';
import { setPeerFault, takePeerFault } from './common/peer-fault.js';

// The one entry point of every peer: a forked child (argv: [transport id, ...that transport's
// arguments]; common/child-owner.ts) or the worker-transfer worker thread (the same argv;
// common/worker-owner.ts). worker-pool's workers are piscina's own: its entry here only says so.
// The map is checked against the registry: a transport without a peer entry does not compile. Each
// entry is imported on demand, so a peer loads only its own transport's code.

const peerEntries: Record<TransportId, () => Promise<PeerEntry>> = {
  'fork-json': async () => (await import('./fork-json/peer.js')).forkJsonPeer,
  'fork-advanced': async () => (await import('./fork-advanced/peer.js')).forkAdvancedPeer,
  'node-ipc': async () => (await import('./node-ipc/peer.js')).nodeIpcPeer,
  'naive-socket': async () => (await import('./naive-socket/peer.js')).naiveSocketPeer,
  'buffer-zlib': async () => (await import('./buffer-zlib/peer.js')).bufferZlibPeer,
  chunked: async () => (await import('./chunked/peer.js')).chunkedPeer,
  'worker-transfer': async () => (await import('./worker-transfer/peer.js')).workerTransferPeer,
  'raw-socket': async () => (await import('./raw-socket/peer.js')).rawSocketPeer,
  'worker-pool': async () => (await import('./worker-pool/peer.js')).workerPoolPeer,
  queue: async () => (await import('./queue/peer.js')).queuePeer,
};

// A forked peer is owned by its parent: when the parent goes away (even by SIGKILL) the IPC channel
// closes and the peer leaves too. A worker thread has no channel; it ends with its process.
if (process.send !== undefined) process.on('disconnect', () => process.exit(0));

// `npm run faults` puts a misbehaviour before the transport id (common/peer-fault.ts); never otherwise.
const { spec, rest } = takePeerFault(process.argv.slice(2));
setPeerFault(spec);
const [transportId = '', ...args] = rest;
if (!Object.hasOwn(peerEntries, transportId)) {
  console.error(`peer-main: unknown transport '${transportId}', expected one of ${Object.keys(peerEntries).join(', ')}`);
  process.exit(2);
}
const entry = await peerEntries[transportId as TransportId]();
entry(args);
