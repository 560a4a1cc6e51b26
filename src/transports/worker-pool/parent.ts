import { performance } from 'node:perf_hooks';
import { Piscina } from 'piscina';
import { errorMessage } from '../../format/error.js';
import { compiledEntry } from '../../paths.js';
import { registerCleanup } from '../common/cleanup.js';
import {
  TransportBusyError,
  TransportError,
  type ExchangeResult,
  type Handoff,
  type Job,
  type Payload,
  type PeerOptions,
  type Transport,
  type TransportPeer,
} from '../types.js';
import { decodePayload, encodePayload, epochNowMs, POOL_FAULTS, retryAfterS, type PoolFault, type PoolPong, type PoolReply, type PoolTask, type PoolWorkerData } from './messages.js';

// Not in the talk: what a Node developer reaches for today. A piscina pool of worker threads in
// this process; each exchange is one pool.run, several may be in flight, those past the pool's
// size wait in its queue. The data crosses by structured clone or as bytes in a moved ArrayBuffer.

const TASK_FILE = 'transports/worker-pool/peer.js';
/** How many finished tasks the Retry-After estimate looks at. */
const RECENT_TASKS = 5;
/** The queue's default length per worker, when the caller gives none. */
export const DEFAULT_QUEUE_PER_WORKER = 4;

class PoolPeer implements TransportPeer {
  /** The workers are threads of this process. */
  readonly pid = process.pid;
  private inFlight = 0;
  private readonly recentRunMs: number[] = [];
  private closed = false;
  private faultTaken = false;
  private readonly unregister: () => void;

  constructor(
    private readonly pool: Piscina,
    private readonly options: PeerOptions & { workers: number; handoff: Handoff; maxQueue: number },
  ) {
    this.unregister = registerCleanup(() => void pool.destroy());
    // A worker that dies with no task on it makes piscina emit 'error'; without a listener that
    // would throw in this (the HTTP) process. The pool replaces the worker either way.
    pool.on('error', () => undefined);
  }

  /** Ids of the pool's worker threads now (a dead worker's replacement has a new one). */
  threadIds(): number[] {
    return this.pool.threads.map((worker) => worker.threadId);
  }

  async exchange(job: Job, payload: Payload, signal?: AbortSignal): Promise<ExchangeResult> {
    if (this.closed) throw new TransportError('error', 'worker-pool was closed');
    signal?.throwIfAborted();
    const { workers, maxQueue } = this.options;
    // Piscina's own maxQueue does not bound a task that carries an AbortSignal (such tasks wait in
    // its separate skipQueue, piscinajs/piscina#899), and every task here has one: bound it here.
    if (this.inFlight >= workers + maxQueue) {
      throw new TransportBusyError(
        `worker-pool busy: all ${workers} worker(s) at work and ${maxQueue} import(s) queued (--max-queue ${maxQueue})`,
        retryAfterS(this.recentRunMs, workers),
      );
    }
    const stop = new AbortController();
    const timer = setTimeout(() => stop.abort(new Error('timeout')), this.options.timeoutMs);
    const onCallerAbort = (): void => stop.abort(signal?.reason);
    signal?.addEventListener('abort', onCallerAbort, { once: true });
    this.inFlight++;
    const startedMs = performance.now();
    try {
      // Queue time counts from here to the job's start in the worker, with both hand-offs' encode,
      // transit and decode inside it, so that clone and bytes compare on the same span.
      const submittedAtMs = epochNowMs();
      // The caller hands a bytes payload over: with the bytes hand-off its buffer moves (and reads
      // as empty afterwards), as the point of transferring is not to copy.
      const { data, transferList } = encodePayload(payload, this.options.handoff, true);
      const task: PoolTask = { type: 'exchange', job, data, submittedAtMs, ...this.takeFault() };
      const reply = (await this.pool.run(task, { transferList, signal: stop.signal })) as PoolReply;
      this.noteRun(reply.finishedAtMs - reply.startedAtMs);
      return {
        reply: decodePayload(reply.data),
        bytesToPeer: reply.requestBytes,
        bytesFromPeer: reply.replyBytes,
        roundTripMs: performance.now() - startedMs,
        queuedMs: Math.max(0, reply.startedAtMs - task.submittedAtMs),
      };
    } catch (error: unknown) {
      throw this.explain(error, signal);
    } finally {
      this.inFlight--;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onCallerAbort);
    }
  }

  /** The fault of `npm run faults`, on the first exchange only; nothing in a normal run. */
  private takeFault(): { fault?: { fault: PoolFault; markerFile: string } } {
    const spec = this.options.peerFault;
    if (spec === undefined || this.faultTaken || !(POOL_FAULTS as readonly string[]).includes(spec.fault)) return {};
    this.faultTaken = true;
    return { fault: { fault: spec.fault as PoolFault, markerFile: spec.markerFile } };
  }

  /**
   * `npm run faults` only: ends the pool's worker threads from outside (worker.terminate(), a
   * thread's SIGKILL); a faults run's pool has one. Piscina sees it die and replaces it.
   */
  terminateThread(): void {
    for (const worker of this.pool.threads) void worker.terminate();
  }

  private noteRun(runMs: number): void {
    this.recentRunMs.push(runMs);
    if (this.recentRunMs.length > RECENT_TASKS) this.recentRunMs.shift();
  }

  /** What went wrong, as a TransportError whose kind says it (piscina only gives an Error). */
  private explain(error: unknown, signal: AbortSignal | undefined): TransportError {
    if (error instanceof TransportError) return error;
    const message = errorMessage(error);
    const name = error instanceof Error ? error.name : '';
    if (name === 'AbortError') {
      // Piscina took the task off its queue, or ended the worker running it and started another.
      if (signal?.aborted) return new TransportError('cancelled', `worker-pool: import cancelled (${errorMessage(signal.reason)})`);
      return new TransportError('timeout', `worker-pool: no answer within ${this.options.timeoutMs} ms; the worker was ended and replaced`);
    }
    if ((error as { code?: unknown }).code === 'ERR_WORKER_OUT_OF_MEMORY') {
      return new TransportError('out-of-memory', `worker-pool: a worker ran out of memory (${message}); the pool replaces it`);
    }
    if (/^worker exited with code/.test(message)) return new TransportError('crashed', `worker-pool: a ${message}; the pool replaces it`);
    if (this.closed || message === 'Terminating worker thread') return new TransportError('error', 'worker-pool was closed');
    return new TransportError('error', `worker-pool: ${message}`);
  }

  /** Always null: the workers share this process's memory, and the kernel keeps one peak per process. */
  peerPeakRssBytes(): Promise<number | null> {
    return Promise.resolve(null);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.unregister();
    await this.pool.destroy();
  }
}

/** The pool's settings from the peer options, with the defaults a sweep (one exchange at a time) needs. */
export function poolSettings(options: PeerOptions): PeerOptions & { workers: number; handoff: Handoff; maxQueue: number } {
  const workers = options.workers ?? 1;
  return { ...options, workers, handoff: options.handoff ?? 'clone', maxQueue: options.maxQueue ?? DEFAULT_QUEUE_PER_WORKER * workers };
}

export const workerPoolTransport: Transport = {
  id: 'worker-pool',
  title: 'piscina pool of worker threads, records by structured clone or as bytes in a moved ArrayBuffer',
  talkIteration: null,
  pooled: true,
  thread: true,
  async start(options: PeerOptions): Promise<TransportPeer> {
    const settings = poolSettings(options);
    const pool = new Piscina({
      filename: compiledEntry(TASK_FILE),
      minThreads: settings.workers,
      maxThreads: settings.workers,
      // Enforced by PoolPeer (see exchange); given to piscina too, for what it does bound.
      maxQueue: settings.maxQueue,
      ...(settings.childHeapMb !== undefined ? { resourceLimits: { maxOldGenerationSizeMb: settings.childHeapMb } } : {}),
      // Each worker lowers its own thread's priority as it loads (peer.ts): the pool's threads are not ours to reach.
      ...(settings.priority !== undefined ? { workerData: { priority: settings.priority } satisfies PoolWorkerData } : {}),
    });
    const peer = new PoolPeer(pool, settings);
    // Start-up ends once every worker has loaded the task code and answered, so the first import
    // is not billed for it: piscina hands one ping to each idle worker.
    const stop = new AbortController();
    const timer = setTimeout(() => stop.abort(), settings.timeoutMs);
    try {
      await Promise.all(Array.from({ length: settings.workers }, () => pool.run({ type: 'ping' } satisfies PoolTask, { signal: stop.signal }) as Promise<PoolPong>));
    } catch (error: unknown) {
      await peer.close();
      const why = stop.signal.aborted ? `no worker ready within ${settings.timeoutMs} ms` : errorMessage(error);
      throw new TransportError(stop.signal.aborted ? 'timeout' : 'error', `worker-pool start-up: ${why}`);
    } finally {
      clearTimeout(timer);
    }
    return peer;
  },
};

export type { PoolPeer };
