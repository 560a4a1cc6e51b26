import type { ImportPriority } from '../common/priority.js';
import type { JsonWirePayload } from '../common/json-wire.js';
import type { Job, Payload } from '../types.js';
import type { RedisEndpoint } from './redis-config.js';

// Every message of the queue transport: what a job carries (BullMQ job data), what the worker returns
// (the job's return value, delivered by QueueEvents), and what a worker logs per attempt (job.log).

/** Every key the harness writes starts with this (BullMQ's prefix; its default is "bull"). */
export const QUEUE_PREFIX = 'ipc-lab';

/**
 * Where the payload travels. 'job-data': inside BullMQ's job hash as JSON (bytes as base64), the reply
 * as the job's return value (stored in the job and copied into the events stream). 'redis-key': the
 * payload as raw bytes in a key of its own that the job names, the reply likewise; job data and
 * return value stay small.
 */
export type Placement = 'job-data' | 'redis-key';
export const PLACEMENTS: readonly Placement[] = ['job-data', 'redis-key'];
/** Measured (README: "records in job data or in a key of their own"): a key of their own. */
export const DEFAULT_PLACEMENT: Placement = 'redis-key';

export type QueueJobData =
  | { placement: 'job-data'; job: Job; payload: JsonWirePayload }
  | {
      placement: 'redis-key';
      job: Job;
      payloadKey: string;
      payloadKind: Payload['kind'];
      /** Where the worker puts the reply, and how long it may live there if nobody collects it. */
      replyKey: string;
      replyTtlMs: number;
    };

/** Which process ran an attempt, and when, by its own clock. */
export interface WorkerStamp {
  host: string;
  pid: number;
  startedAtEpochMs: number;
  finishedAtEpochMs: number;
}

interface ResultBase {
  worker: WorkerStamp;
  /** Payload bytes the worker read from Redis, and reply bytes it wrote, as encoded there. */
  requestBytes: number;
  replyBytes: number;
}

export type QueueJobResult =
  | (ResultBase & { placement: 'job-data'; reply: JsonWirePayload })
  | (ResultBase & { placement: 'redis-key'; replyKey: string; replyKind: Payload['kind'] });

/** One line of a job's log (BullMQ job.log), written by the worker at the start and failure of an attempt. */
export type AttemptLogLine =
  | { event: 'start'; host: string; pid: number; atEpochMs: number }
  | { event: 'error'; host: string; pid: number; atEpochMs: number; message: string };

/** The environment a worker process passes to its sandboxed processors (worker threads inherit it). */
export const WORKER_ENV = {
  /** The Redis endpoint (JSON of a RedisEndpoint, no secret). */
  endpoint: 'IPC_LAB_REDIS_ENDPOINT',
  /** The password, when the server has one. Never on a command line. */
  password: 'REDIS_PASSWORD',
} as const;

/** What a forked local worker process is told (argv, so never a secret: the password comes by environment). */
export interface LocalWorkerConfig {
  endpoint: RedisEndpoint;
  queueName: string;
  prefix: string;
  concurrency: number;
  lockDurationMs: number;
  stalledIntervalMs: number;
  /** PeerOptions.priority of the worker process (it starts with it); absent: the parent's. */
  priority?: ImportPriority;
}

/** A forked local worker process to its parent, over the IPC channel. */
export type LocalWorkerMessage = { type: 'ready' } | { type: 'failed'; error: string };
