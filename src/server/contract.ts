import type { EventLoopSummary, ImportAdmissionCounts } from '../results/schema.js';
import type { PeerFaultSpec } from '../transports/common/peer-fault.js';
import type { ImportPriority } from '../transports/common/priority.js';
import type { Handoff } from '../transports/types.js';
import type { QueueSettings } from '../transports/queue/settings.js';

// What a scenario's server process is given and what it offers back: the contract between the
// server code here and whoever starts it (the scenario runner, through src/serve-scenario.ts).

/** The resolved options a scenario's server process runs with. */
export interface ServeConfig {
  host: string;
  /** 0: any free port. */
  port: number;
  /** Size of the "database" the light requests read from. */
  records: number;
  /** cluster: number of HTTP workers; worker-pool: threads in the pool. */
  workers: number;
  /** IPC scenarios: keep the child alive across imports instead of forking one per import. */
  pool: boolean;
  /** Bounds every hand-off to a child (start-up, transfer, work, reply). */
  importTimeoutMs: number;
  /** Children run with --max-old-space-size, to reproduce a smaller server. */
  childHeapMb: number | null;
  /** How offloaded imports are scheduled (children, pool threads, the queue's local workers); normal: as the server. */
  importPriority: ImportPriority;
  /** Imports each serving process takes in flight at once; more are answered 503 with Retry-After. */
  maxImports: number;
  /** worker-pool: how the records cross to a worker, and how many imports may wait for one. */
  workerPool?: { handoff: Handoff; maxQueue: number };
  /** The queue scenario's options; absent for the others. */
  queue?: QueueSettings;
  /** `npm run faults` only: the pool's first import misbehaves (worker-pool: its worker ends itself). */
  peerFault?: PeerFaultSpec;
}

/** What the runner collects from the serving processes after a phase, keyed by pid. */
export interface ServerMetrics {
  eventLoop: Record<string, EventLoopSummary>;
  admission: Record<string, ImportAdmissionCounts>;
  /** Peak RSS of each serving process so far (the kernel's high-water mark), bytes. */
  peakRssBytes?: Record<string, number>;
}

/** What a serving process (or a cluster primary for its workers) offers the runner. */
export interface ServingHandle {
  port: number;
  pids: number[];
  resetMetrics(): Promise<void>;
  collectMetrics(): Promise<ServerMetrics>;
  close(): Promise<void>;
}

export interface ServeContext {
  config: ServeConfig;
  /** Record something that happened to the processes (a worker died, ...). */
  emit(message: string): void;
}
