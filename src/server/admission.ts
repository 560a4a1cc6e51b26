import type { ImportAdmissionCounts } from '../results/schema.js';

/** Thrown by a RunImport that cannot take the import now (a full queue): the app answers 503. */
export class ImportRefusedError extends Error {
  constructor(
    message: string,
    /** Seconds the client should wait before trying again (the Retry-After header). */
    readonly retryAfterS: number,
  ) {
    super(message);
    this.name = 'ImportRefusedError';
  }
}

/** How many recent import durations the Retry-After estimate looks at. */
const RECENT_IMPORTS = 5;

/**
 * Bounds the imports one serving process has in flight, whatever does the work (inline, a child
 * per import, a pool): past the limit an import is refused up front, before the server spends
 * anything on it, so 200 impatient clients cannot fork 200 children. It also counts what became of
 * every import asked for: completed, failed, refused, cancelled (its client went away).
 */
export class ImportAdmission {
  private inFlight = new Map<number, number>();
  private nextTicket = 1;
  private readonly recentDurationsMs: number[] = [];
  private readonly counts: ImportAdmissionCounts;

  constructor(
    readonly limit: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    if (!Number.isInteger(limit) || limit < 1) throw new Error(`import limit must be a positive integer (got ${limit})`);
    this.counts = { limit, admitted: 0, completed: 0, failed: 0, refused: 0, cancelled: 0, peakInFlight: 0 };
  }

  /** A ticket to run one import, or null when `limit` imports are already in flight (count it refused). */
  tryAdmit(): number | null {
    if (this.inFlight.size >= this.limit) {
      this.counts.refused++;
      return null;
    }
    const ticket = this.nextTicket++;
    this.inFlight.set(ticket, this.now());
    this.counts.admitted++;
    this.counts.peakInFlight = Math.max(this.counts.peakInFlight, this.inFlight.size);
    return ticket;
  }

  /** The import of `ticket` ended; frees its slot. Safe to call twice. */
  release(ticket: number, outcome: 'completed' | 'failed' | 'cancelled' | 'refused'): void {
    const startedMs = this.inFlight.get(ticket);
    if (startedMs === undefined) return;
    this.inFlight.delete(ticket);
    this.counts[outcome]++;
    if (outcome !== 'completed') return;
    this.recentDurationsMs.push(this.now() - startedMs);
    if (this.recentDurationsMs.length > RECENT_IMPORTS) this.recentDurationsMs.shift();
  }

  /**
   * When a slot is likely to free: the oldest import in flight against the mean of recent ones;
   * at least 1 s, and 1 s before any import finished.
   */
  retryAfterS(): number {
    if (this.recentDurationsMs.length === 0 || this.inFlight.size === 0) return 1;
    const typicalMs = this.recentDurationsMs.reduce((a, b) => a + b, 0) / this.recentDurationsMs.length;
    const oldestElapsedMs = this.now() - Math.min(...this.inFlight.values());
    return Math.max(1, Math.ceil((typicalMs - oldestElapsedMs) / 1000));
  }

  get active(): number {
    return this.inFlight.size;
  }

  snapshot(): ImportAdmissionCounts {
    return { ...this.counts };
  }
}
