import type { ServeConfig, ServingHandle } from './contract.js';
import { getTransport } from '../transports/registry.js';
import { TransportBusyError, type PeerOptions, type Transport, type TransportId, type TransportPeer } from '../transports/types.js';
import { ImportRefusedError } from './admission.js';
import type { ImportJob, ImportOutcome, RunImport } from './import-job.js';
import { measureBlocking } from './loop-block.js';
import { serveApp } from './serve.js';

interface Offload {
  runImport: RunImport;
  close: () => Promise<void>;
}

function peerOptions(config: ServeConfig): PeerOptions {
  return {
    timeoutMs: config.importTimeoutMs,
    ...(config.childHeapMb !== null ? { childHeapMb: config.childHeapMb } : {}),
    ...(config.importPriority !== 'normal' ? { priority: config.importPriority } : {}),
  };
}

/**
 * One import through `peer`: the diff job out, the result back, and what it cost the HTTP process.
 * A cancelled exchange ends its child (the transport's contract); the caller then closes the peer.
 */
async function exchangeImport(peer: TransportPeer, transportId: TransportId, job: ImportJob, signal: AbortSignal): Promise<ImportOutcome> {
  const { value: result, maxBlockMs } = await measureBlocking(() =>
    peer
      .exchange(
        { kind: 'diff', baselineRecords: job.baselineRecords, baselineSeed: job.baselineSeed, workPerRecord: job.workPerRecord },
        { kind: 'records', records: job.incoming },
        signal,
      )
      .catch((error: unknown) => {
        // A peer with no room now (a pool's full queue): the client gets 503 with Retry-After.
        throw error instanceof TransportBusyError ? new ImportRefusedError(error.message, error.retryAfterS) : error;
      }),
  );
  if (result.reply.kind !== 'diff') throw new Error(`${transportId} child replied with ${result.reply.kind}, expected a diff`);
  // A worker thread shares this process: its peak is the server's own (reported per serving pid).
  const peerPeakRssBytes = peer.pid === process.pid ? null : ((await peer.peerPeakRssBytes?.()) ?? null);
  return {
    counts: result.reply.diff.counts,
    changedRecords: result.reply.diff.changedRecords.length,
    bytesToWorker: result.bytesToPeer,
    bytesFromWorker: result.bytesFromPeer,
    workerPid: peer.pid,
    transferBlockMs: maxBlockMs,
    ...(result.queuedMs !== undefined ? { queuedMs: Math.round(result.queuedMs * 10) / 10 } : {}),
    ...(peerPeakRssBytes !== null ? { peerPeakRssBytes } : {}),
  };
}

/**
 * Hands each import to a child over `transport`: a child forked for that import (as in the talk),
 * or with `pool`, one child kept alive and reused, one import at a time (the others wait their turn).
 */
export function offloadImports(transport: Transport, config: ServeConfig): Offload {
  const options = peerOptions(config);
  const live = new Set<TransportPeer>();
  let pooled: Promise<TransportPeer> | null = null;
  let queue: Promise<unknown> = Promise.resolve();

  const startPeer = async (): Promise<TransportPeer> => {
    const peer = await transport.start(options);
    live.add(peer);
    return peer;
  };
  const closePeer = async (peer: TransportPeer): Promise<void> => {
    live.delete(peer);
    await peer.close();
  };

  const perImport: RunImport = async (job, signal) => {
    signal.throwIfAborted();
    const peer = await startPeer();
    try {
      return await exchangeImport(peer, transport.id, job, signal);
    } finally {
      await closePeer(peer);
    }
  };

  const fromPool: RunImport = (job, signal) => {
    const queuedAtMs = performance.now();
    const run = queue.then(async () => {
      signal.throwIfAborted(); // its client left while it waited for the child: drop it
      const queuedMs = Math.round(performance.now() - queuedAtMs);
      pooled ??= startPeer();
      const peer = await pooled;
      try {
        return { ...(await exchangeImport(peer, transport.id, job, signal)), queuedMs };
      } catch (error: unknown) {
        if (error instanceof ImportRefusedError) throw error; // nothing was sent: the peer is fine
        // A failed exchange may leave the child dead or mid-protocol: never reuse it.
        pooled = null;
        await closePeer(peer);
        throw error;
      }
    });
    queue = run.catch(() => undefined);
    return run;
  };

  return {
    runImport: config.pool ? fromPool : perImport,
    close: async () => {
      await Promise.all([...live].map(closePeer));
    },
  };
}

/**
 * Hands every import to one pool (a `pooled` transport: worker-pool), started with the server so
 * that serving begins with every worker ready. Imports run concurrently up to the pool's size and
 * queue past it; a full queue is a 503 with Retry-After. The pool replaces a worker that dies, so a
 * failed import never closes it.
 */
export async function poolImports(transport: Transport, config: ServeConfig): Promise<Offload> {
  const peer = await transport.start({
    ...peerOptions(config),
    workers: config.workers,
    ...(config.workerPool ? { handoff: config.workerPool.handoff, maxQueue: config.workerPool.maxQueue } : {}),
    ...(config.peerFault ? { peerFault: config.peerFault } : {}),
  });
  return {
    runImport: (job, signal) => exchangeImport(peer, transport.id, job, signal),
    close: () => peer.close(),
  };
}

/** An HTTP process that does no import work itself: it dispatches each import to a child (or a pool) and waits. */
export async function serveOffloaded(config: ServeConfig, transportId: TransportId): Promise<ServingHandle> {
  const transport = getTransport(transportId);
  const offload = transport.pooled ? await poolImports(transport, config) : offloadImports(transport, config);
  try {
    return await serveApp(config, offload.runImport, offload.close);
  } catch (error: unknown) {
    await offload.close(); // could not listen: the pool started for nothing must not outlive this
    throw error;
  }
}
