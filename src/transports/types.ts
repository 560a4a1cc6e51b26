import type { ImportPriority } from './common/priority.js';
import type { DiffResult, Station } from '../workload/types.js';
import type { TransportId } from './registry.js';
import type { PeerFaultSpec } from './common/peer-fault.js';

// One interface for every way of moving an import to a child and its result back.

export type { TransportId };

/** What crosses the transport: raw bytes, or structured data serialized the transport's own way. */
export type Payload =
  | { kind: 'bytes'; bytes: Buffer }
  | { kind: 'records'; records: Station[] }
  | { kind: 'diff'; diff: DiffResult };

/** What the peer does with a request payload. */
export type Job =
  /** Send the payload back unchanged (the sweep). */
  | { kind: 'echo' }
  /**
   * A full garbage collection in the peer, then the payload back unchanged: the sweep's, before each
   * sample from 1 MiB up, outside the timed part, so the peer's earlier messages are freed and the
   * sample's buffers land in memory it already has rather than in fresh pages (src/sweep/malloc.ts).
   */
  | { kind: 'collect' }
  /**
   * Diff the payload (kind 'records', the incoming data set) against the baseline ("database"),
   * which the peer regenerates deterministically from records+seed, as the talk's child read the
   * database itself. Replies with kind 'diff'.
   */
  | { kind: 'diff'; baselineRecords: number; baselineSeed: number; workPerRecord: number };

/** worker-pool: how the data crosses to a pool worker and back (see worker-pool/messages.ts). */
export const HANDOFFS = ['clone', 'bytes'] as const;
export type Handoff = (typeof HANDOFFS)[number];

export interface PeerOptions {
  /** Bounds every exchange (and start-up). */
  timeoutMs: number;
  /** Run the child with --max-old-space-size, to reproduce a small server. */
  childHeapMb?: number;
  /**
   * How the peer's import work is scheduled against the HTTP server (common/priority.ts): `low` or
   * `idle` so that where the import, the server and the load generator want more cores than there
   * are, the OS serves the server first. A forked peer starts with it (its threads inherit it);
   * worker-pool's and worker-transfer's threads set their own. Absent: the parent's own.
   */
  priority?: ImportPriority;
  /**
   * The largest message a receiver accepts: chunked refuses a bigger announced size before
   * allocating (raw-socket: a larger length prefix); buffer-zlib stops inflating past it; naive-socket
   * stops reading past it.
   */
  maxMessageBytes?: number;
  /** worker-pool: threads in the pool (default 1). */
  workers?: number;
  /** worker-pool: structured clone, or bytes in a transferred ArrayBuffer (default clone). */
  handoff?: Handoff;
  /** worker-pool: exchanges that may wait for a free worker; past that an exchange is refused (busy). */
  maxQueue?: number;
  /**
   * `npm run faults` only: the forked peer misbehaves this way on its first reply (common/peer-fault.ts).
   * Never set in a normal run. The thread peers honour 'stop-on-receive', 'stop-mid-reply' (the
   * thread blocks itself) and 'exit-mid-reply'; worker-pool also 'exit-mid-task' (its first task).
   */
  peerFault?: PeerFaultSpec;
  /** queue: records in the job's data, or in a Redis key of their own the job names. */
  queuePlacement?: 'job-data' | 'redis-key';
}

export interface ExchangeResult {
  reply: Payload;
  /** Bytes that crossed the wire (or channel) towards the peer and back, as this transport encodes them. */
  bytesToPeer: number;
  bytesFromPeer: number;
  roundTripMs: number;
  /** A pool: from the hand-over until a worker began the job (waiting for a free worker, and encode, transit, decode). */
  queuedMs?: number;
}

export interface TransportPeer {
  /** Pid of the child process (worker-transfer, worker-pool: this process's pid). */
  readonly pid: number;
  /**
   * `signal`: aborting it (the client that asked for the work went away) ends the exchange at once:
   * the peer is killed, as on a timeout (a peer stopped mid-message cannot be trusted with the next
   * one), and the exchange rejects with kind 'cancelled'. close() then removes its files.
   */
  exchange(job: Job, payload: Payload, signal?: AbortSignal): Promise<ExchangeResult>;
  /** Peak RSS the peer reported for itself so far, in bytes, when it can tell. */
  peerPeakRssBytes?(): Promise<number | null>;
  /**
   * `npm run faults` only, a thread peer (worker-transfer, worker-pool): ends its worker thread(s) from outside
   * (worker.terminate()). A thread cannot be SIGKILLed alone; this is its closest analogue.
   */
  terminateThread?(): void;
  /** Ends the peer and removes every socket file and temp dir. Safe to call twice. */
  close(): Promise<void>;
}

export interface Transport {
  id: TransportId;
  title: string;
  /** Which iteration of the talk this recreates, or null when it is not from the talk. */
  talkIteration: number | null;
  /**
   * A pool: its one peer takes exchanges concurrently, queues those past its size and replaces a
   * worker that dies; a server starts it once and keeps it for every import, failed ones included.
   */
  pooled?: true;
  /** The peer is a worker thread of the caller's process (it cannot be signalled on its own: a fault run ends it with terminateThread). */
  thread?: true;
  /**
   * The peer sits behind a broker (queue: Redis, and a worker process the queue feeds): a fault
   * cannot be injected into one exchange's peer; the queue's own tests kill its worker and its Redis.
   */
  brokered?: true;
  /** Has a wire format of its own a peer can break (framing, a length prefix, gzip), not Node's framing. */
  ownWireFormat?: true;
  start(options: PeerOptions): Promise<TransportPeer>;
}

export type TransportErrorKind = 'timeout' | 'crashed' | 'out-of-memory' | 'error' | 'refused' | 'corrupted' | 'cancelled';

/** Every transport failure carries a kind, so the sweep can classify it without parsing messages. */
export class TransportError extends Error {
  constructor(
    readonly kind: TransportErrorKind,
    message: string,
    readonly exitCode: number | null = null,
    readonly signal: NodeJS.Signals | null = null,
  ) {
    super(message);
    this.name = 'TransportError';
  }
}

/** A peer with no room for the exchange now (a pool's queue is full): nothing was sent; try again later. */
export class TransportBusyError extends TransportError {
  constructor(
    message: string,
    /** Seconds after which there is likely room again. */
    readonly retryAfterS: number,
  ) {
    super('refused', message);
    this.name = 'TransportBusyError';
  }
}
