import type { Placement } from './messages.js';
import type { RedisEndpoint } from './redis-config.js';

/** The queue scenario's resolved options (no secret: they travel on the server process's command line). */
export interface QueueSettings {
  /** A Redis given with --redis, or null: the harness starts a private one. */
  redis: RedisEndpoint | null;
  /** The run's own queue: its keys are removed at the end. */
  queueName: string;
  placement: Placement;
  /** Local worker processes (0: only workers started elsewhere with `npm run worker`). */
  workers: number;
  /** Jobs each local worker runs at once. */
  concurrency: number;
  /** BullMQ attempts: how many times in all an import that fails (throws) is tried. */
  attempts: number;
  /** How long a job's lock lives unrenewed: how soon a killed worker's job is taken again. */
  lockDurationMs: number;
  /** maxmemory of the private Redis. */
  maxmemoryBytes: number;
  /**
   * `npm run faults` only: after the run's clean-up and before its Redis stops, the server writes
   * here how many keys are left (a private Redis: all of them; a given one: the queue's).
   */
  keysLeftFile?: string;
}

/** BullMQ's default: a killed worker's job waits up to about two of these before another worker takes it. */
export const DEFAULT_LOCK_DURATION_MS = 30_000;

/** BullMQ's own ratio: look for expired locks as often as a lock lives. A killed worker's job is back within two lock durations. */
export function stalledIntervalFor(lockDurationMs: number): number {
  return lockDurationMs;
}
