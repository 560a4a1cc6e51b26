import { Worker } from 'node:worker_threads';
import { compiledEntry } from '../../paths.js';
import type { TransportId } from '../registry.js';
import { TransportError, type PeerOptions } from '../types.js';
import { PEER_ENTRY } from './child-owner.js';
import { registerCleanup } from './cleanup.js';
import { peerFaultArgs } from './peer-fault.js';
import { PeerGuard } from './peer-guard.js';
import type { PeerOwner } from './peer-base.js';
import type { ImportPriority } from './priority.js';

/** What a peer worker thread is given besides its argv. */
export interface PeerThreadData {
  priority?: ImportPriority;
}

/**
 * Owns one peer worker thread, as ChildOwner owns a forked peer: classifies how it ended (out of
 * memory, crash), rejects every guarded exchange at once when it ends, terminates it on timeout,
 * close or the parent's SIGINT/SIGTERM.
 */
export class WorkerOwner implements PeerOwner {
  readonly worker: Worker;
  /** The worker shares this process. */
  readonly pid = process.pid;
  private readonly peerGuard: PeerGuard;
  private readonly exited: Promise<void>;
  private readonly unregister: () => void;

  constructor(transportId: TransportId, options: PeerOptions) {
    // The same entry point as a forked peer, with the transport id as the worker's argv (after the
    // fault of a faults run, as a forked peer has it).
    this.worker = new Worker(compiledEntry(PEER_ENTRY), {
      argv: [...peerFaultArgs(options.peerFault), transportId],
      // PeerOptions.priority: the thread sets it on itself as it loads (peer.ts), this thread keeps its own.
      ...(options.priority !== undefined ? { workerData: { priority: options.priority } satisfies PeerThreadData } : {}),
      resourceLimits: options.childHeapMb === undefined ? undefined : { maxOldGenerationSizeMb: options.childHeapMb },
    });
    this.peerGuard = new PeerGuard(() => void this.worker.terminate());
    this.unregister = registerCleanup(() => void this.worker.terminate());
    this.worker.on('error', (error: Error & { code?: string }) => {
      const kind = error.code === 'ERR_WORKER_OUT_OF_MEMORY' ? 'out-of-memory' : 'crashed';
      this.peerGuard.fail(new TransportError(kind, `worker: ${error.message}`));
    });
    this.exited = new Promise((resolve) => {
      this.worker.once('exit', (code) => {
        this.unregister();
        this.peerGuard.fail(new TransportError('crashed', `worker exited with code ${code}`, code));
        resolve();
      });
    });
  }

  guard<T>(work: Promise<T>, timeoutMs: number, what: string, signal?: AbortSignal): Promise<T> {
    return this.peerGuard.guard(work, timeoutMs, what, signal);
  }

  /**
   * Resolves once the worker has loaded its modules and listens (its `{ type: 'ready' }` message;
   * 'online' comes before the module graph is loaded, which would bill start-up to the first
   * exchange); rejects if it fails first or takes longer than the timeout.
   */
  started(timeoutMs: number): Promise<void> {
    const ready = new Promise<void>((resolve) => {
      const onMessage = (message: { type?: unknown }): void => {
        if (message.type !== 'ready') return;
        this.worker.off('message', onMessage);
        resolve();
      };
      this.worker.on('message', onMessage);
    });
    return this.guard(ready, timeoutMs, 'worker start-up');
  }

  /**
   * `npm run faults` only: ends the thread from outside, as SIGKILL ends a process (no more of its
   * code runs); the 'exit' listener above then fails the exchange in flight like any other end.
   */
  terminateFromOutside(): void {
    void this.worker.terminate();
  }

  async close(): Promise<void> {
    if (this.peerGuard.ended === null) this.peerGuard.fail(new TransportError('error', 'worker was closed'));
    await this.worker.terminate();
    await this.exited;
  }
}
