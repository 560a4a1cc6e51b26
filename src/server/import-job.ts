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
}

/** A scenario's way of doing the work: inline, in a cluster worker, in a child over a transport. */
export type RunImport = (job: ImportJob) => Promise<ImportOutcome>;
