// When a sweep point stops exchanging: warm-up first (not recorded), then timed samples until both a
// minimum count and a minimum time are reached (tinybench/mitata style), or a time budget is spent
// (at the largest sizes one exchange takes seconds to tens of seconds: five of them would make the
// sweep last most of an hour for figures a second sample barely moves). Pure: it is told each
// exchange's round trip and says what the next exchange is for; the caller does the exchanging.

export interface SamplingRule {
  /** Warm-up lasts until both this many exchanges (the cold first one included)... */
  warmupMinCount: number;
  /** ...and this much round-trip time have passed, */
  warmupMinMs: number;
  /** or until this much warm-up time has passed, whatever the count: at large sizes a single
   *  exchange takes longer than the JIT needs to warm up, and every extra one costs seconds. */
  warmupMaxMs: number;
  /** Sampling lasts until both this many samples... */
  minSamples: number;
  /** ...and this much sampled round-trip time (the sum of the samples), */
  minTimeMs: number;
  /** or until this many samples, whatever the time, */
  maxSamples: number;
  /** or until the samples add up to this much, whatever their count (at least one is always taken).
   *  Absent in results from before it existed: no budget then. */
  maxTimeMs?: number;
}

/**
 * The default sweep: at least 3 warm-up exchanges and 300 ms, then at least 5 samples and 200 ms;
 * samples stop after 10 s in all (a 7 s exchange gets 2 samples, a 30 s one gets 1: its point says so
 * in `samples`, and its margin of error is unknown rather than small).
 */
export const DEFAULT_SAMPLING: SamplingRule = {
  warmupMinCount: 3,
  // Small messages need 300 ms: a fresh peer's 1 KiB echo took 0.10-0.30 ms over its first thousand
  // exchanges, while both processes' JIT compiled (on the same 2 cores), and settled near 0.05 ms
  // only after 1,000-2,000 (about 200-300 ms); 100 ms of warm-up left every transport's first
  // size sampled mid-compilation.
  warmupMinMs: 300,
  warmupMaxMs: 1000,
  minSamples: 5,
  minTimeMs: 200,
  maxSamples: 10_000,
  maxTimeMs: 10_000,
};

/** --quick: the same shape, smaller minima, so the whole quick sweep stays within a minute. */
export const QUICK_SAMPLING: SamplingRule = {
  warmupMinCount: 2,
  warmupMinMs: 100,
  warmupMaxMs: 250,
  minSamples: 3,
  minTimeMs: 50,
  maxSamples: 10_000,
  maxTimeMs: 1_000,
};

/** What the next exchange is for. `cold` is the fresh peer's very first exchange (also warm-up). */
export type ExchangePhase = 'cold' | 'warm-up' | 'sample';

export class Sampler {
  /** The cold first round trip, once it happened. */
  firstRoundTripMs: number | null = null;
  warmupCount = 0;
  readonly samplesMs: number[] = [];
  private warmupMs = 0;
  private sampledMs = 0;

  constructor(private readonly rule: SamplingRule) {}

  /** The phase of the next exchange, or 'done' when the point has enough samples. */
  next(): ExchangePhase | 'done' {
    if (this.warmupCount === 0) return 'cold';
    if (this.warmingUp()) return 'warm-up';
    const count = this.samplesMs.length;
    const enough = count >= this.rule.minSamples && this.sampledMs >= this.rule.minTimeMs;
    const budgetSpent = count > 0 && this.rule.maxTimeMs !== undefined && this.sampledMs >= this.rule.maxTimeMs;
    return enough || budgetSpent || count >= this.rule.maxSamples ? 'done' : 'sample';
  }

  /** One exchange's round trip, for the phase next() gave. */
  record(roundTripMs: number): void {
    const phase = this.next();
    if (phase === 'done') throw new Error('Sampler.record after done');
    if (phase === 'sample') {
      this.samplesMs.push(roundTripMs);
      this.sampledMs += roundTripMs;
      return;
    }
    if (phase === 'cold') this.firstRoundTripMs = roundTripMs;
    this.warmupCount += 1;
    this.warmupMs += roundTripMs;
  }

  private warmingUp(): boolean {
    if (this.samplesMs.length > 0) return false;
    if (this.warmupMs >= this.rule.warmupMaxMs) return false;
    return this.warmupCount < this.rule.warmupMinCount || this.warmupMs < this.rule.warmupMinMs;
  }
}
