/**
 * Open-loop pacing: request k is due at k x intervalMs after the start, whether or not the server
 * answered the previous ones. Due requests go to idle connections (least recently used first); when
 * every connection is busy they wait here and keep their due time, so the time spent waiting for a
 * connection still counts as latency (no coordinated omission, however few connections there are).
 */
export class OpenLoopPacer<Connection> {
  private readonly idle: Connection[] = [];
  private readonly dueAtMs: number[] = [];
  private nextIndex = 0;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly intervalMs: number,
    /** Length of the sending window; Infinity until endAt() when the end is not known yet. */
    private durationMs: number,
    /** Ms since the phase start. */
    private readonly nowMs: () => number,
    /** Send the request due at dueAtMs on this idle connection. */
    private readonly send: (connection: Connection, dueAtMs: number) => void,
  ) {}

  start(): void {
    this.tick();
  }

  /** The connection can take a request now. Idempotent: reconnects may report twice. */
  markIdle(connection: Connection): void {
    if (this.stopped || this.idle.includes(connection)) return;
    this.idle.push(connection);
    this.dispatch();
  }

  /** Sets the end of the sending window (ms since the start): requests due before it are still sent. */
  endAt(durationMs: number): void {
    this.durationMs = durationMs;
  }

  /** Requests that are due but not yet sent. */
  get waiting(): number {
    return this.dueAtMs.length;
  }

  /** All requests of the phase are due (nothing more will be scheduled). */
  get scheduleDone(): boolean {
    return this.nextIndex * this.intervalMs >= this.durationMs;
  }

  /** Stop sending; returns the due requests that were never sent. */
  stop(): number {
    this.stopped = true;
    clearTimeout(this.timer);
    const unsent = this.dueAtMs.length;
    this.dueAtMs.length = 0;
    return unsent;
  }

  private tick(): void {
    if (this.stopped) return;
    const now = this.nowMs();
    while (!this.scheduleDone && this.nextIndex * this.intervalMs <= now) {
      this.dueAtMs.push(this.nextIndex * this.intervalMs);
      this.nextIndex += 1;
    }
    this.dispatch();
    // Timers fire late, never early: the next wait is computed from the schedule, not from the
    // previous wake-up, so lateness does not accumulate into a lower rate.
    if (!this.scheduleDone) this.timer = setTimeout(() => this.tick(), Math.max(0, this.nextIndex * this.intervalMs - this.nowMs()));
  }

  private dispatch(): void {
    while (!this.stopped && this.dueAtMs.length > 0 && this.idle.length > 0) {
      const connection = this.idle.shift() as Connection;
      this.send(connection, this.dueAtMs.shift() as number);
    }
  }
}
