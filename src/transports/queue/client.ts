import { randomUUID } from 'node:crypto';
import type { EventEmitter } from 'node:events';
import { performance } from 'node:perf_hooks';
import { Queue, QueueEvents } from 'bullmq';
import { Redis } from 'ioredis';
import { errorMessage } from '../../format/error.js';
import { TransportError, type Job, type Payload } from '../types.js';
import { fromJsonWire, toJsonWire } from '../common/json-wire.js';
import { attemptsFromLog, type AttemptRecord } from './attempts.js';
import { describeTarget, redisOptions, type RedisTarget } from './connection.js';
import type { Placement, QueueJobData, QueueJobResult, WorkerStamp } from './messages.js';
import { decodePayload, encodePayload } from './payload-codec.js';
import { RunAnnouncer } from './run-registry.js';

// The producer: enqueues a job, learns its end from QueueEvents (BullMQ's completion events, read
// from Redis, so it works whichever host ran the job), and collects the reply.

export interface QueueClientOptions {
  target: RedisTarget;
  queueName: string;
  prefix: string;
  placement: Placement;
  /** BullMQ attempts: how many times in all a job that fails (throws) is tried. */
  attempts: number;
  /** Keep each finished job until its timings and attempts are read (imports); the sweep drops jobs as they end. */
  report: boolean;
  /** How errors name the Redis (default: its URL; a private one's socket path says nothing useful). */
  redisLabel?: string;
  /** Announce the run so that workers started elsewhere without --queue join it (the scenario). */
  announce?: { lockDurationMs: number };
}

/** A close that waits longer than this on Redis gives up waiting (the connections are dropped anyway). */
const CLOSE_TIMEOUT_MS = 5_000;

/** How long an uncollected payload or reply may stay in Redis beyond the exchange's own timeout. */
const KEY_TTL_MARGIN_MS = 60_000;

export interface JobReport {
  /** Enqueued until a worker took its last attempt (BullMQ's timestamp to processedOn). */
  queuedMs: number | null;
  /** The last attempt, taken to finished (processedOn to finishedOn; a worker's first job includes starting its sandbox thread). */
  runningMs: number | null;
  attempts: AttemptRecord[];
}

export interface QueueExchange {
  reply: Payload;
  /** Payload and reply bytes as they sit in Redis (JSON with base64 bytes in job data; raw in keys). */
  bytesToWorker: number;
  bytesFromWorker: number;
  roundTripMs: number;
  worker: WorkerStamp;
  report: JobReport | null;
}

/** The job failed for good (its attempts used up, or its worker lost twice); `report` says what each attempt did. */
export class QueueJobFailed extends TransportError {
  constructor(
    message: string,
    readonly report: JobReport | null,
  ) {
    super('error', message);
  }
}

type JobEnd = { state: 'completed'; value: QueueJobResult } | { state: 'failed'; reason: string };

export class QueueClient {
  private lost: string | null = null;
  private lastError = '';
  private readonly lossWaiters = new Set<(error: TransportError) => void>();
  private announcer: RunAnnouncer | null = null;
  private closing = false;

  private constructor(
    private readonly options: QueueClientOptions,
    private readonly queue: Queue<QueueJobData, QueueJobResult>,
    private readonly events: QueueEvents,
    /** Ours, shared with the Queue: enqueueing, payload keys, reports. It stands for the producer's reach to Redis. */
    private readonly keys: Redis,
    /** Ours, for QueueEvents' blocking reads. */
    private readonly eventsConnection: Redis,
  ) {
    // When the connection drops, every import in flight fails now, with the reason, instead of
    // waiting out its timeout; new ones are refused until it is back.
    keys.on('error', (error: Error) => {
      this.lastError = error.message;
    });
    keys.on('close', () => {
      if (this.lost !== null || this.closing) return;
      this.lost = `lost the connection to ${options.redisLabel ?? `Redis at ${describeTarget(options.target)}`}${this.lastError ? ` (${this.lastError})` : ''}`;
      for (const fail of [...this.lossWaiters]) fail(new TransportError('error', this.lost));
    });
    keys.on('ready', () => {
      this.lost = null;
    });
    const remember = (error: Error): void => {
      this.lastError = error.message;
    };
    queue.on('error', remember);
    events.on('error', remember);
  }

  /**
   * Connects first, then hands BullMQ connections we own (BullMQ does not close a connection it was
   * given): a Redis that vanished cannot then hold our close() waiting for a reconnect.
   */
  static async open(options: QueueClientOptions): Promise<QueueClient> {
    const keys = new Redis({ ...redisOptions(options.target, 'producer'), lazyConnect: true });
    const eventsConnection = new Redis({ ...redisOptions(options.target, 'worker'), lazyConnect: true });
    const quiet = (): void => undefined; // connect() below reports the first failure
    keys.on('error', quiet);
    eventsConnection.on('error', quiet);
    let queue: Queue<QueueJobData, QueueJobResult> | null = null;
    let events: QueueEvents | null = null;
    try {
      await Promise.all([keys.connect(), eventsConnection.connect()]);
      queue = new Queue<QueueJobData, QueueJobResult>(options.queueName, { connection: keys, prefix: options.prefix });
      // From the stream's start, not '$': the first XREAD may be issued after our first job ended.
      // The queue is the run's own, so its stream holds only this run's events.
      events = new QueueEvents(options.queueName, { connection: eventsConnection, prefix: options.prefix, lastEventId: '0' });
      queue.on('error', quiet);
      events.on('error', quiet);
      await Promise.all([queue.waitUntilReady(), events.waitUntilReady()]);
    } catch (error: unknown) {
      await Promise.allSettled([queue?.close(), events?.close()]);
      keys.disconnect();
      eventsConnection.disconnect();
      throw new TransportError('error', `cannot reach ${options.redisLabel ?? `Redis at ${describeTarget(options.target)}`}: ${errorMessage(error)}`);
    }
    const client = new QueueClient(options, queue, events, keys, eventsConnection);
    if (options.announce) {
      client.announcer = await RunAnnouncer.announce(keys, { queueName: options.queueName, lockDurationMs: options.announce.lockDurationMs });
    }
    return client;
  }

  /** Why Redis cannot be used right now, or null. */
  get unavailable(): string | null {
    return this.lost;
  }

  private keyOf(kind: 'payload' | 'reply', id: string): string {
    return `${this.options.prefix}:${this.options.queueName}:${kind}:${id}`;
  }

  /**
   * `signal`: its client went away. The exchange rejects with kind 'cancelled' at once and a job
   * still waiting is taken off the queue; one a worker already runs cannot be taken back (BullMQ
   * holds its lock), it finishes unread and its keys go with their TTL or the run's clean-up.
   */
  async submit(job: Job, payload: Payload, timeoutMs: number, signal?: AbortSignal): Promise<QueueExchange> {
    if (this.lost !== null) throw new TransportError('error', this.lost);
    if (signal?.aborted) throw new TransportError('cancelled', 'queue: the import was cancelled before it was enqueued');
    const id = randomUUID();
    const startedMs = performance.now();
    const { ended, stop } = this.waitForEnd(id, timeoutMs, signal);
    const payloadKey = this.keyOf('payload', id);
    const replyKey = this.keyOf('reply', id);
    let keysLeft = this.options.placement === 'redis-key';
    try {
      let data: QueueJobData;
      if (this.options.placement === 'job-data') {
        data = { placement: 'job-data', job, payload: toJsonWire(payload) };
      } else {
        const ttlMs = timeoutMs + KEY_TTL_MARGIN_MS;
        await this.keys.set(payloadKey, encodePayload(payload), 'PX', ttlMs);
        data = { placement: 'redis-key', job, payloadKey, payloadKind: payload.kind, replyKey, replyTtlMs: ttlMs };
      }
      await this.queue.add(job.kind, data, {
        jobId: id,
        attempts: this.options.attempts,
        removeOnComplete: !this.options.report,
        removeOnFail: !this.options.report,
      });
      const end = await ended;
      if (end.state === 'failed') {
        const report = await this.collectReport(id, 'failed');
        throw new QueueJobFailed(`job ${id} failed: ${end.reason}`, report);
      }
      const reply =
        end.value.placement === 'job-data'
          ? fromJsonWire(end.value.reply)
          : decodePayload(end.value.replyKind, await this.takeReply(end.value.replyKey, payloadKey));
      keysLeft = false; // taken with the reply, in the same round trip
      const roundTripMs = performance.now() - startedMs;
      const report = await this.collectReport(id, 'completed');
      return {
        reply,
        bytesToWorker: end.value.requestBytes,
        bytesFromWorker: end.value.replyBytes,
        roundTripMs,
        worker: end.value.worker,
        report,
      };
    } catch (error: unknown) {
      if (error instanceof TransportError && error.kind === 'cancelled' && this.lost === null) {
        await this.queue.remove(id).catch(() => undefined); // waiting: removed; active (locked): left to finish
      }
      if (this.lost !== null && !(error instanceof QueueJobFailed)) throw new TransportError('error', this.lost);
      throw error instanceof TransportError ? error : new TransportError('error', `queue: ${errorMessage(error)}`);
    } finally {
      stop(); // a no-op once the job ended; drops the listeners if it never was enqueued
      if (keysLeft && this.lost === null) {
        // A failed or timed-out job leaves its payload (and maybe a reply) behind: not ours to keep.
        await this.keys.del(payloadKey, replyKey).catch(() => undefined);
      }
    }
  }

  private async takeReply(replyKey: string, payloadKey: string): Promise<Buffer> {
    const results = await this.keys.multi().getdelBuffer(replyKey).del(payloadKey).exec();
    const stored = results?.[0]?.[1];
    if (!Buffer.isBuffer(stored)) throw new TransportError('error', `the reply key ${replyKey} is missing`);
    return stored;
  }

  /**
   * Listens for the job's end before the job exists, so no event can be missed. `stop` drops the
   * listeners and the timer when the job never got enqueued (Redis refused it).
   */
  private waitForEnd(id: string, timeoutMs: number, signal?: AbortSignal): { ended: Promise<JobEnd>; stop: () => void } {
    // Per-job events ("completed:<id>") are emitted by QueueEvents but not in its typed event map.
    const jobEvents = this.events as unknown as EventEmitter;
    const completed = `completed:${id}`;
    const failed = `failed:${id}`;
    let stop: () => void = () => undefined;
    const ended = new Promise<JobEnd>((resolve, reject) => {
      const onCompleted = (args: { returnvalue: unknown }): void => done(() => resolve({ state: 'completed', value: args.returnvalue as QueueJobResult }));
      const onFailed = (args: { failedReason: string }): void => done(() => resolve({ state: 'failed', reason: args.failedReason }));
      const onLost = (error: TransportError): void => done(() => reject(error));
      const timer = setTimeout(() => done(() => reject(new TransportError('timeout', `queue job ${id}: no end within ${timeoutMs} ms`))), timeoutMs);
      const onAbort = (): void => done(() => reject(new TransportError('cancelled', `queue job ${id}: cancelled, its client went away`)));
      const done = (settle: () => void): void => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        jobEvents.off(completed, onCompleted);
        jobEvents.off(failed, onFailed);
        this.lossWaiters.delete(onLost);
        settle();
      };
      stop = () => done(() => reject(new TransportError('error', `queue job ${id} was not enqueued`)));
      jobEvents.on(completed, onCompleted);
      jobEvents.on(failed, onFailed);
      this.lossWaiters.add(onLost);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
    ended.catch(() => undefined); // the caller awaits it, or has stopped it
    return { ended, stop };
  }


  /** Timings and attempts of a finished job, then the job removed; null for the sweep (jobs removed as they end). */
  private async collectReport(id: string, final: 'completed' | 'failed'): Promise<JobReport | null> {
    if (!this.options.report) return null;
    const [job, logs] = await Promise.all([this.queue.getJob(id), this.queue.getJobLogs(id)]);
    await this.queue.remove(id);
    const attempts = attemptsFromLog(logs.logs, final, job?.failedReason);
    // BullMQ's own stamps: added (producer's clock), taken by a worker (its clock; the last
    // attempt's), finished. Between hosts they are as good as the clocks are in step.
    const { timestamp, processedOn, finishedOn } = job ?? {};
    return {
      queuedMs: timestamp !== undefined && processedOn !== undefined ? Math.max(0, processedOn - timestamp) : null,
      runningMs: processedOn !== undefined && finishedOn !== undefined ? finishedOn - processedOn : null,
      attempts,
    };
  }

  /**
   * Removes every key of this run's queue: BullMQ's obliterate, then whatever else lives under the
   * queue's name (payloads, replies). A Redis given with --redis is left as it was found.
   */
  async removeQueue(): Promise<void> {
    await this.announcer?.withdraw(); // workers elsewhere leave the queue
    this.announcer = null;
    await this.queue.obliterate({ force: true });
    const pattern = `${this.options.prefix}:${this.options.queueName}:*`;
    let cursor = '0';
    do {
      const [next, found] = await this.keys.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      if (found.length > 0) await this.keys.del(...found);
      cursor = next;
    } while (cursor !== '0');
  }

  /**
   * Keys still in Redis: every key of the database when it is the run's private Redis (nothing
   * else uses it), otherwise those under this run's queue name. After removeQueue() it must be 0.
   */
  async keysLeft(wholeDatabase: boolean): Promise<number> {
    if (wholeDatabase) return this.keys.dbsize();
    const pattern = `${this.options.prefix}:${this.options.queueName}:*`;
    let count = 0;
    let cursor = '0';
    do {
      const [next, found] = await this.keys.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      count += found.length;
      cursor = next;
    } while (cursor !== '0');
    return count;
  }

  async close(): Promise<void> {
    this.closing = true;
    this.announcer?.stop();
    const closed = Promise.allSettled([this.events.close(), this.queue.close()]);
    // BullMQ leaves connections it was given open: drop them ourselves (no QUIT, which would wait
    // for a Redis that may be gone). With Redis gone, QueueEvents' close waits for an 'end' that an
    // ioredis connection parked in "reconnecting" never emits: then do not wait for it.
    this.eventsConnection.disconnect();
    if (this.lost === null) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([closed, new Promise((resolve) => (timer = setTimeout(resolve, CLOSE_TIMEOUT_MS)))]);
      clearTimeout(timer);
    }
    this.keys.disconnect();
  }


}
