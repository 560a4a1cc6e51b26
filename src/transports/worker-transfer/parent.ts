import { performance } from 'node:perf_hooks';
import { PeerBase } from '../common/peer-base.js';
import { PendingReplies } from '../common/pending-replies.js';
import { WorkerOwner } from '../common/worker-owner.js';
import { TransportError, type ExchangeResult, type Job, type Payload, type PeerOptions, type Transport, type TransportPeer } from '../types.js';
import { fromWorkerPayload, toWorkerPayload, type WorkerReady, type WorkerReply, type WorkerRequest } from './messages.js';

// Not in the talk: the zero-copy reference. A worker thread in this process; the payload's
// ArrayBuffer moves in the transfer list. The caller's Buffer is copied once (see toWorkerPayload),
// because transferring it would detach memory the caller may still use (the sweep resends it).

class WorkerPeer extends PeerBase {
  private readonly replies = new PendingReplies<WorkerReply>();

  constructor(
    private readonly thread: WorkerOwner,
    options: PeerOptions,
  ) {
    super(thread, options);
    thread.worker.on('message', (reply: WorkerReply | WorkerReady) => {
      if (reply.type !== 'ready') this.replies.settle(reply.id, reply);
    });
  }

  exchange(job: Job, payload: Payload, signal?: AbortSignal): Promise<ExchangeResult> {
    return this.replies.withId((id, replied) => this.guarded(this.run(id, replied, job, payload), signal, `exchange ${id} with the worker`));
  }

  private async run(id: number, replied: Promise<WorkerReply>, job: Job, payload: Payload): Promise<ExchangeResult> {
    const startedMs = performance.now();
    const { payload: sent, transfer } = toWorkerPayload(payload, false);
    const request: WorkerRequest = { type: 'request', id, job, payload: sent };
    this.thread.worker.postMessage(request, transfer);
    const reply = await replied;
    if (reply.type === 'error') throw new TransportError('error', `worker: ${reply.message}`);
    return { reply: fromWorkerPayload(reply.payload), bytesToPeer: reply.requestBytes, bytesFromPeer: reply.replyBytes, roundTripMs: performance.now() - startedMs };
  }

  /**
   * Always null: the worker shares this process's memory, and the kernel keeps one peak per process
   * (VmHWM), not per thread. That peak is the caller's own (sender plus receiver together), so
   * reporting it as the receiver's would count the sender twice.
   */
  override peerPeakRssBytes(): Promise<number | null> {
    return Promise.resolve(null);
  }

  terminateThread(): void {
    this.thread.terminateFromOutside();
  }

  protected override release(): void {
    this.replies.clear();
  }
}

export const workerTransferTransport: Transport = {
  id: 'worker-transfer',
  title: 'worker_threads, ArrayBuffer in the transfer list (zero-copy reference)',
  talkIteration: null,
  thread: true,
  async start(options: PeerOptions): Promise<TransportPeer> {
    const thread = new WorkerOwner('worker-transfer', options);
    const peer = new WorkerPeer(thread, options);
    try {
      await thread.started(options.timeoutMs);
    } catch (error) {
      await peer.close();
      throw error;
    }
    return peer;
  },
};
