import type { ImportAttempt } from '../results/schema.js';
import type { DiffCounts, Station } from '../workload/index.js';

/** What the HTTP process hands to wherever a scenario does the import work. */
export interface ImportJob {
  incoming: Station[];
  /** The "database" the HTTP process holds; inline work uses it, a child regenerates its own copy. */
  baseline: readonly Station[];
  baselineRecords: number;
  baselineSeed: number;
  workPerRecord: number;
}

export interface ImportOutcome {
  counts: DiffCounts;
  changedRecords: number;
  bytesToWorker: number;
  bytesFromWorker: number;
  /** Pid of the process that ran the diff. */
  workerPid: number;
  /** Longest event-loop block of the HTTP process during the hand-off, when the work ran elsewhere. */
  transferBlockMs?: number;
  /**
   * Where imports queue (a worker pool, or --pool's one child): from the hand-over until the work
   * began, ms. A pool's figure includes the hand-over's transit (the clone's copy into the worker).
   */
  queuedMs?: number;
  /** Peak RSS the child that ran the import reported for itself, bytes (not for worker threads). */
  peerPeakRssBytes?: number;
  /** Where a queue ran the import, how long it waited, and what each attempt did. */
  queueDetails?: QueueDetails;
}

export interface QueueDetails {
  workerHost?: string;
  queuedMs?: number;
  runningMs?: number;
  attempts: ImportAttempt[];
}

/** An import that failed with what is known about it (a queue's attempts): the 502 answer carries `details`. */
export class ImportFailedError extends Error {
  constructor(
    message: string,
    readonly details: QueueDetails,
  ) {
    super(message);
    this.name = 'ImportFailedError';
  }
}

/**
 * A scenario's way of doing the work: inline, in a cluster worker, in a child over a transport, in
 * a pool. `signal` aborts when the client went away: stop the work and free what it holds (end
 * the child, remove its files, drop a queued task), then reject. A RunImport that cannot take the
 * import now (a full queue) throws ImportRefusedError: the client gets 503 with Retry-After.
 */
export type RunImport = (job: ImportJob, signal: AbortSignal) => Promise<ImportOutcome>;
