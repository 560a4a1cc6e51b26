// The results contract of docs/design.md ("Results files"). Users and checks read these files: bump SCHEMA_VERSION
// whenever a field changes meaning.
//   1: the first version.
//   2: scenario files carry `capacity` (1 reads as "not measured").
//   3: a sweep point is warm-sampled (warm-up not recorded, then samples until a minimum count and
//      time): roundTripMs over the samples with p10/p90/mean, plus samples, warmupExchanges,
//      firstRoundTripMs (the cold first exchange), relativeMarginOfError and noisy. Before 3, a
//      point's figures are over a few exchanges of a fresh peer, the cold first one included.
export const SCHEMA_VERSION = 3;

/** Versions a reader still accepts, their missing fields shown as not measured or not recorded. */
export const READABLE_SCHEMA_VERSIONS: readonly number[] = [1, 2, 3];

export interface Env {
  node: string;
  v8: string;
  os: string;
  cpuModel: string;
  cores: number;
  memoryBytes: number;
  gitCommit: string | null;
}

export interface LatencySummaryMs {
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  max: number;
  mean: number;
}

export interface Phase {
  durationMs: number;
  requests: number;
  errors: number;
  timeouts: number;
  rps: number;
  latencyMs: LatencySummaryMs;
  /** Longest time in the phase during which no light request completed. */
  maxStallMs: number;
  /** Share of requests slower than 100 ms, 0..1. */
  slowShare: number;
  requestsByPid: Record<string, number>;
  /**
   * underLoad: how long the phase ran past its planned --duration so that it contains every import
   * it started (it ends a short tail after the last one). Absent when it did not need to.
   */
  extendedByMs?: number;
}

export interface ImportRecord {
  /** Start, relative to the start of the underLoad phase. */
  startedAtMs: number;
  durationMs: number;
  bytesToWorker: number;
  bytesFromWorker: number;
  ok: boolean;
  error?: string;
  /** Pid that did the work (cluster worker, child), when known. */
  workerPid?: number;
  /** Longest event-loop block of the HTTP process while this import's transfer ran, when measured. */
  transferBlockMs?: number;
  /**
   * Where imports wait (a worker pool, --pool's one child: from the hand-over until the work began;
   * a job queue: from enqueued until a worker took its last attempt).
   */
  queuedMs?: number;
  /** Peak RSS of the child that ran the import, as it reported it (absent for worker threads). */
  peerPeakRssBytes?: number;
  /** queue: host of the worker that ran the import's last attempt. */
  workerHost?: string;
  /** queue: the last attempt's run on its worker. */
  runningMs?: number;
  /** queue: every attempt, in order, and how each ended. */
  attempts?: ImportAttempt[];
}

export interface ImportAttempt {
  host: string;
  pid: number;
  startedAtEpochMs: number;
  /** 'lost': its worker stopped renewing the job's lock (killed, cut off) and the job was taken again or failed. */
  outcome: 'completed' | 'failed' | 'lost';
  error?: string;
}

/** What became of the imports one serving process was asked for (its admission limit and counts). */
export interface ImportAdmissionCounts {
  /** Imports this process takes in flight at once (--max-imports). */
  limit: number;
  admitted: number;
  completed: number;
  /** Admitted, then failed (502: a crashed or timed-out child, ...). */
  failed: number;
  /** Answered 503 with Retry-After: the limit was reached (or a pool's queue was full). */
  refused: number;
  /** The client went away mid-import: the work was stopped and its child ended. */
  cancelled: number;
  /** Most imports in flight at once. */
  peakInFlight: number;
}

export interface EventLoopSummary {
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

export interface TimelinePoint {
  /** Send time relative to the start of the underLoad phase. */
  tMs: number;
  latencyMs: number;
  pid: number | null;
}

interface ScenarioResultBase {
  schemaVersion: number;
  kind: 'scenario';
  scenario: string;
  runId: string;
  startedAt: string;
  finishedAt: string;
  env: Env;
  config: Record<string, unknown>;
}

export interface CompletedScenarioResult extends ScenarioResultBase {
  state: 'completed';
  phases: { baseline: Phase; underLoad: Phase };
  imports: ImportRecord[];
  eventLoop: Record<string, EventLoopSummary>;
  /** Per serving pid, over the whole run; absent in files written before it was counted. */
  admission?: Record<string, ImportAdmissionCounts>;
  /** Peak RSS of each serving process over the run (its worker threads included), bytes. */
  peakRssBytes?: Record<string, number>;
  timeline: TimelinePoint[];
  /** Things that happened to the processes during the run (worker died and was replaced, ...). */
  events?: string[];
  /** Light requests sent while an import ran, and how many of them a busy process had to serve. */
  busyWorker?: BusyWorkerStats;
  /** Closed-loop capacity, idle and during imports; absent when not measured (--capacity 0, schema 1). */
  capacity?: CapacityResult;
  /** queue with --scale: imports per minute with 1 and 2 local worker processes. */
  scale?: ScaleResult;
}

export interface ScalePoint {
  workers: number;
  /** Imports each worker runs at once. */
  concurrency: number;
  imports: number;
  completed: number;
  /** First import enqueued to last import finished (after a warm-up job per slot that also builds its baseline). */
  spanMs: number;
  importsPerMinute: number;
  /** Why imports failed, when some did. */
  errors?: string[];
}

export interface ScaleResult {
  records: number;
  workPerRecord: number;
  placement: string;
  points: ScalePoint[];
}

export interface BusyWorkerStats {
  /** Light requests sent while at least one import was running. */
  requestsDuringImports: number;
  /** Of those, served by the very process that was running an import at the time. */
  servedByBusyProcess: number;
  /** Median latency of the requests served by the busy process, ms (null when there were none). */
  busyP50Ms: number | null;
  /** Median latency of the other requests sent during imports, ms (null when there were none). */
  otherP50Ms: number | null;
}

/** An import run back to back with others during a capacity phase; times relative to that phase's start. */
export interface CapacityImport extends ImportRecord {
  /** Connections whose latest answer came from the process that ran this import; null when that pid is unknown. */
  connectionsOnBusyProcess: number | null;
  /**
   * Connections with no answer from shortly after this import started until shortly before it ended
   * (within the phase); null when less than half a second of the import fell in the phase.
   */
  stuckConnections: number | null;
}

/**
 * One closed-loop phase: autocannon's `connections` keep-alive connections each send the next light
 * request as soon as the previous one is answered, for durationMs. Its latencies are closed-loop
 * (time on a connection that was free to send), not comparable with the open-loop phases.
 */
export interface Capacity {
  durationMs: number;
  connections: number;
  /** Answers of any status. */
  requests: number;
  /** requests / duration. */
  rps: number;
  /** Answers in each second of the phase (autocannon's ticks). */
  rpsPerSecond: number[];
  closedLoopLatencyMs: LatencySummaryMs;
  errors: number;
  timeouts: number;
  non2xx: number;
  requestsByPid: Record<string, number>;
  /** Keep-alive connections by the pid that answered them. */
  connectionsByPid: Record<string, number>;
  /** CPU time of the load generator (autocannon, in the runner's process) during the phase. */
  loadGeneratorCpuMs: number;
  /**
   * CPU time the serving processes' main threads (the event loops answering HTTP) got during the
   * phase, summed over them, from /proc at 10 ms resolution; null where it could not be read, absent
   * in results from before it was recorded.
   */
  httpThreadCpuMs?: number | null;
  /**
   * 'phase': httpThreadCpuMs covers autocannon's phase exactly. Absent in the first results that had
   * httpThreadCpuMs, whose during-imports window ran on until the last import ended (longer than the
   * phase): their CPU figures are not used.
   */
  httpThreadCpuWindow?: 'phase';
  /** Imports run back to back through the phase; empty for the idle phase. */
  imports: CapacityImport[];
}

export interface CapacityResult {
  idle: Capacity;
  duringImports: Capacity;
}

export interface ErroredScenarioResult extends ScenarioResultBase {
  state: 'errored';
  error: string;
  phases?: Partial<{ baseline: Phase; underLoad: Phase }>;
  imports?: ImportRecord[];
  eventLoop?: Record<string, EventLoopSummary>;
  timeline?: TimelinePoint[];
  events?: string[];
}

export type ScenarioResult = CompletedScenarioResult | ErroredScenarioResult;

export type SweepState = 'ok' | 'corrupted' | 'error' | 'timeout' | 'crashed' | 'out-of-memory' | 'skipped';
export type FailureState = Exclude<SweepState, 'ok' | 'skipped'>;

/** Round trips of a point, ms: over the timed samples (schema 3 on), over every exchange (older files). */
export interface RoundTripSpreadMs {
  median: number;
  min: number;
  max: number;
  /** From schema 3 on. */
  p10?: number;
  p90?: number;
  mean?: number;
}

/** How a measured point was sampled: from schema 3 on, absent in older files. */
export interface PointSampling {
  /** Timed exchanges behind roundTripMs. */
  samples?: number;
  /** Exchanges before the samples, not recorded; the cold first one included (on the point's fresh
   *  peer; below the sweep's keptPeerBelowBytes the others ran on the transport's kept peer). */
  warmupExchanges?: number;
  /** The fresh peer's first (cold) round trip: what a server forking a child per job pays each time; null if it failed. */
  firstRoundTripMs?: number | null;
  /** 95 % margin of error of the samples' mean, as a fraction of it (0.05 = ±5 %); null below 2 samples. */
  relativeMarginOfError?: number | null;
  /** relativeMarginOfError above NOISY_MARGIN_OF_ERROR (src/sweep/stats.ts: 0.1), or unknown. */
  noisy?: boolean;
  /**
   * Where the point ran in rounds of fresh peers (src/sweep/rounds.ts: from 1 MiB up, fast enough
   * transports), each round's median, in order; the figures above are over all their samples.
   * Absent: one peer's samples.
   */
  peerMediansMs?: number[];
  /**
   * true: the sweep was interrupted before this point ran the rounds it was due (its first round was
   * fast enough for more), so its figures are over the rounds it had (peerMediansMs, or the one).
   * Absent: every round it was due ran.
   */
  roundsCut?: boolean;
}

/** Every exchange at this size delivered intact: the figures are over the timed samples. */
export interface OkSweepPoint extends PointSampling {
  sizeBytes: number;
  state: 'ok';
  roundTripMs: RoundTripSpreadMs;
  /** Payload MB (10^6 bytes) over the median round trip. */
  mbPerS: number;
  senderMaxBlockMs: number;
  /** receiver: null where the peer's peak cannot be read (an in-process peer that reports none). */
  peakRssBytes: { sender: number; receiver: number | null };
}

/** An exchange at this size failed; the figures cover what was measured before it, where anything was. */
export interface FailedSweepPoint extends PointSampling {
  sizeBytes: number;
  state: FailureState;
  error?: string;
  /** Over the samples taken before the failure; null when none were. */
  roundTripMs: RoundTripSpreadMs | null;
  mbPerS: number | null;
  senderMaxBlockMs: number | null;
  peakRssBytes: { sender: number; receiver: number | null } | null;
}

/** Not tried: larger than the transport's failure point. */
export interface SkippedSweepPoint {
  sizeBytes: number;
  state: 'skipped';
  roundTripMs: null;
  mbPerS: null;
  senderMaxBlockMs: null;
  peakRssBytes: null;
}

/** One size on one transport, keyed on `state`: an ok point always carries its figures. */
export type SweepPoint = OkSweepPoint | FailedSweepPoint | SkippedSweepPoint;

export function isFailedPoint(point: SweepPoint): point is FailedSweepPoint {
  return point.state !== 'ok' && point.state !== 'skipped';
}

export interface SweepTransportResult {
  transport: string;
  points: SweepPoint[];
  failurePoint: { sizeBytes: number; state: FailureState; error?: string } | null;
}

export interface SweepResult {
  schemaVersion: number;
  kind: 'sweep';
  runId: string;
  startedAt: string;
  finishedAt: string;
  state: 'completed' | 'errored';
  error?: string;
  env: Env;
  config: Record<string, unknown>;
  transports: SweepTransportResult[];
}


/**
 * What the caller saw in one fault case: a transport error's kind, `ok` (the reply came back intact),
 * `wrong-reply` (an exchange resolved with a reply that is not the right one: the fault went
 * unnoticed), `no-answer` (neither a reply nor an error within the timeout plus a grace),
 * `caller-crashed` (the caller's own process died) or `not-started` (no peer to inject into).
 */
export type FaultOutcome =
  | 'timeout'
  | 'crashed'
  | 'out-of-memory'
  | 'error'
  | 'refused'
  | 'corrupted'
  | 'cancelled'
  | 'ok'
  | 'wrong-reply'
  | 'no-answer'
  | 'caller-crashed'
  /** The case never got to its fault: the caller could not start the peer (within the timeout). */
  | 'not-started';

/** One fault injected into one transport, on fresh processes (docs/design.md, "Faults"). */
export interface FaultCaseResult {
  transport: string;
  fault: string;
  expected: FaultOutcome;
  observed: FaultOutcome;
  /** The error's message (or what was wrong with the reply); null when the reply was intact. */
  message: string | null;
  exitCode: number | null;
  signal: string | null;
  /** ms from the fault (the signal sent, or the moment the peer misbehaved) to the caller's error; null without an error. */
  detectMs: number | null;
  /** The caller's process lived through the fault and reported. */
  callerAlive: boolean;
  /** After the fault, the caller started a fresh peer (a pool: used the same one) and a small exchange succeeded. */
  recovered: boolean | null;
  /** Exchanges that neither completed nor failed (must be 0). */
  lost: number;
  /**
   * What the case left behind after the caller closed everything (must be 0 each). `redisKeys`:
   * the keys a queue case's queue left in its Redis after its own clean-up, counted before the
   * Redis stopped; null where no Redis is involved or it could not be counted (the Redis was
   * gone); absent in files written before it was counted (not measured).
   */
  leftovers: { processes: number; tempDirs: number; redisKeys?: number | null };
  /** Observed differs from expected, or the caller died, lost an exchange or left something behind. */
  finding: boolean;
  durationMs: number;
  /** Scenario faults: light requests sent from the fault on (until a second after the import's answer), and how many failed. */
  light?: { sent: number; failed: number };
}

export interface FaultsResult {
  schemaVersion: number;
  kind: 'faults';
  runId: string;
  startedAt: string;
  finishedAt: string;
  state: 'completed' | 'errored';
  error?: string;
  env: Env;
  config: Record<string, unknown>;
  cases: FaultCaseResult[];
}

export type AnyResult = ScenarioResult | SweepResult | FaultsResult;
