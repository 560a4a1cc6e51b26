import type { ServeConfig, ServingHandle } from './contract.js';
import { getTransport } from '../transports/registry.js';
import { TransportBusyError, type Transport, type TransportId, type TransportPeer } from '../transports/types.js';
import { ImportRefusedError } from './admission.js';
import type { ImportJob, ImportOutcome, RunImport } from './import-job.js';
import { measureBlocking } from './loop-block.js';
import { serveApp } from './serve.js';

/**
 * Hands each import to a child over `transportId`: a child forked for that import (as in the talk),
 * or with `pool`, one child kept alive and reused, one import at a time.
 */
export function offloadImports(transport: Transport, config: ServeConfig): { runImport: RunImport; close: () => Promise<void> } {
  const transportId = transport.id;
  const options = {
    timeoutMs: config.importTimeoutMs,
    ...(config.childHeapMb !== null ? { childHeapMb: config.childHeapMb } : {}),
  };
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

  // A cancelled exchange kills its child (the transport's contract); closePeer then removes its files.
  const exchange = async (peer: TransportPeer, job: ImportJob, signal: AbortSignal): Promise<ImportOutcome> => {
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
    return {
      counts: result.reply.diff.counts,
      changedRecords: result.reply.diff.changedRecords.length,
      bytesToWorker: result.bytesToPeer,
      bytesFromWorker: result.bytesFromPeer,
      workerPid: peer.pid,
      transferBlockMs: maxBlockMs,
    };
  };

  const perImport: RunImport = async (job, signal) => {
    signal.throwIfAborted();
    const peer = await startPeer();
    try {
      return await exchange(peer, job, signal);
    } finally {
      await closePeer(peer);
    }
  };

  const fromPool: RunImport = (job, signal) => {
    const run = queue.then(async () => {
      signal.throwIfAborted(); // its client left while it waited for the child: drop it
      pooled ??= startPeer();
      const peer = await pooled;
      try {
        return await exchange(peer, job, signal);
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

/** An HTTP process that does no import work itself: it dispatches each import to a child and waits. */
export function serveOffloaded(config: ServeConfig, transportId: TransportId): Promise<ServingHandle> {
  const offload = offloadImports(getTransport(transportId), config);
  return serveApp(config, offload.runImport, offload.close);
}
