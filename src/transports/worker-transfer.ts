import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { compiledEntry } from '../paths.js';
import { registerCleanup } from './cleanup.js';
import { PeerGuard } from './peer-guard.js';
import { fromWorkerPayload, toWorkerPayload, type WorkerReady, type WorkerReply, type WorkerRequest } from './worker-messages.js';
import { TransportError, type ExchangeResult, type Job, type Payload, type PeerOptions, type Transport, type TransportPeer } from './types.js';

// Not in the talk: the zero-copy reference. A worker thread in this process; the payload's
// ArrayBuffer moves in the transfer list. The caller's Buffer is copied once (see toWorkerPayload),
// because transferring it would detach memory the caller may still use (the sweep resends it).

class WorkerPeer implements TransportPeer {
  readonly pid = process.pid;
  private readonly guard: PeerGuard;
  private readonly waiting = new Map<number, (reply: WorkerReply) => void>();
  private nextId = 1;
  private readonly exited: Promise<void>;
  private readonly unregister: () => void;

  constructor(
    private readonly worker: Worker,
    private readonly options: PeerOptions,
  ) {
    this.guard = new PeerGuard(() => void worker.terminate());
    this.unregister = registerCleanup(() => void worker.terminate());
    worker.on('message', (reply: WorkerReply | WorkerReady) => {
      if (reply.type !== 'ready') this.waiting.get(reply.id)?.(reply);
    });
    worker.on('error', (error: Error & { code?: string }) => {
      const kind = error.code === 'ERR_WORKER_OUT_OF_MEMORY' ? 'out-of-memory' : 'crashed';
      this.guard.fail(new TransportError(kind, `worker: ${error.message}`));
    });
    this.exited = new Promise((resolve) => {
      worker.once('exit', (code) => {
        this.unregister();
        this.guard.fail(new TransportError('crashed', `worker exited with code ${code}`, code));
        resolve();
      });
    });
  }

  /**
   * Resolves once the worker has loaded its modules and listens (its 'ready' message; 'online' comes
   * before the module graph is loaded, which would bill start-up to the first exchange); rejects if
   * it fails first or takes longer than the timeout.
   */
  started(): Promise<void> {
    const ready = new Promise<void>((resolve) => {
      const onMessage = (message: WorkerReply | WorkerReady): void => {
        if (message.type !== 'ready') return;
        this.worker.off('message', onMessage);
        resolve();
      };
      this.worker.on('message', onMessage);
    });
    return this.guard.guard(ready, this.options.timeoutMs, 'worker start-up');
  }

  exchange(job: Job, payload: Payload): Promise<ExchangeResult> {
    const id = this.nextId++;
    return this.guard.guard(this.run(id, job, payload), this.options.timeoutMs, `exchange ${id} with the worker`).finally(() => {
      this.waiting.delete(id);
    });
  }

  private async run(id: number, job: Job, payload: Payload): Promise<ExchangeResult> {
    const startedMs = performance.now();
    const replied = new Promise<WorkerReply>((resolve) => this.waiting.set(id, resolve));
    const { payload: sent, transfer } = toWorkerPayload(payload, false);
    const request: WorkerRequest = { type: 'request', id, job, payload: sent };
    this.worker.postMessage(request, transfer);
    const reply = await replied;
    if (reply.type === 'error') throw new TransportError('error', `worker: ${reply.message}`);
    return { reply: fromWorkerPayload(reply.payload), bytesToPeer: reply.requestBytes, bytesFromPeer: reply.replyBytes, roundTripMs: performance.now() - startedMs };
  }

  /**
   * Always null: the worker shares this process's memory, and the kernel keeps one peak per process
   * (VmHWM), not per thread. That peak is the caller's own (sender plus receiver together), so
   * reporting it as the receiver's would count the sender twice.
   */
  peerPeakRssBytes(): Promise<number | null> {
    return Promise.resolve(null);
  }

  async close(): Promise<void> {
    if (this.guard.ended === null) this.guard.fail(new TransportError('error', 'worker was closed'));
    this.waiting.clear();
    await this.worker.terminate();
    await this.exited;
  }
}

export const workerTransferTransport: Transport = {
  id: 'worker-transfer',
  title: 'worker_threads, ArrayBuffer in the transfer list (zero-copy reference)',
  talkIteration: null,
  async start(options: PeerOptions): Promise<TransportPeer> {
    const worker = new Worker(compiledEntry('transports/worker-peer.js'), {
      resourceLimits: options.childHeapMb === undefined ? undefined : { maxOldGenerationSizeMb: options.childHeapMb },
    });
    const peer = new WorkerPeer(worker, options);
    try {
      await peer.started();
    } catch (error) {
      await peer.close();
      throw error;
    }
    return peer;
  },
};
