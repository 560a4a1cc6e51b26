/** One light request of a load phase, as the driver saw it. All times are ms relative to the phase start. */
export interface RequestSample {
  /**
   * Intended send time on the fixed-rate schedule, not the moment a connection became free: latency
   * counts from here, so a blocked server shows up as latency instead of as fewer requests
   * (coordinated omission).
   */
  sentAtMs: number;
  completedAtMs: number;
  /** completedAtMs - sentAtMs. */
  latencyMs: number;
  /** From the `x-served-by` response header; null when missing or not a number. */
  pid: number | null;
  /** HTTP status; null when the request got no response. */
  status: number | null;
}

/** What the driver measured in one phase; summarizePhase turns it into the results' Phase. */
export interface PhaseRecording {
  startedAtEpochMs: number;
  /** Length of the sending window. Answers to requests sent in it may arrive after it (drain). */
  durationMs: number;
  /** The window asked for; less than durationMs when the phase was held open (see holdOpen). */
  plannedDurationMs: number;
  /** Answered requests, in completion order. */
  samples: RequestSample[];
  /** Requests without an answer: connection errors, closed connections, timeouts (timeouts included). */
  errors: number;
  /** Requests not answered within the timeout (also counted in errors). */
  timeouts: number;
}

export interface LightLoadOptions {
  /** e.g. `http://127.0.0.1:41234` */
  baseUrl: string;
  /** Requests go to `/stations/1` .. `/stations/<stationCount>`, round robin. */
  stationCount: number;
  /** Requests per second, overall, on a fixed schedule. */
  rate: number;
  /** Connections available; keep >= rate x the longest stall to be seen without queueing in the driver. */
  connections: number;
  durationMs: number;
  /** A new TCP connection for every request (cluster hands out connections, not requests). */
  reconnect: boolean;
  /** Show a progress bar on stderr. Nothing is printed when false. */
  progress: boolean;
  /** Per-request timeout in seconds, also the drain limit after the phase. Default 10. */
  timeoutS?: number;
  /**
   * Keep sending past durationMs until this settles, then for holdTailMs more: a phase that must
   * contain work of unknown length (the imports) ends after it, not in the middle of it.
   */
  holdOpen?: Promise<unknown>;
  /** Default 500 ms: light traffic after the held-open work ended, to see the server recover. */
  holdTailMs?: number;
  /** Called with every answer as it is recorded (a live view listens here); must not throw. */
  onSample?: (sample: RequestSample) => void;
}
