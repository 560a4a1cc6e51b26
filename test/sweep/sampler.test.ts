import { describe, expect, it } from 'vitest';
import { DEFAULT_SAMPLING, Sampler, type ExchangePhase, type SamplingRule } from '../../src/sweep/sampler.js';
import { isNoisy, quantile, relativeMarginOfError, roundTripStats, tCritical95 } from '../../src/sweep/stats.js';

/** A clock that only moves when an exchange "takes" time: round trips are exactly what the script says. */
class FakeClock {
  nowMs = 0;
  advance(ms: number): void {
    this.nowMs += ms;
  }
}

/** Drives a sampler the way the sweep does: ask the phase, time the exchange on the clock, record it. */
function drive(
  rule: SamplingRule,
  roundTripMs: (index: number) => number,
  keptPeer?: { exchanges: number; warmupMs: number },
): { sampler: Sampler; phases: ExchangePhase[] } {
  const clock = new FakeClock();
  const sampler = new Sampler(rule, keptPeer);
  const phases: ExchangePhase[] = [];
  for (let phase = sampler.next(), index = 0; phase !== 'done'; phase = sampler.next(), index++) {
    phases.push(phase);
    const startedMs = clock.nowMs;
    clock.advance(roundTripMs(index));
    sampler.record(clock.nowMs - startedMs);
  }
  return { sampler, phases };
}

const count = (phases: ExchangePhase[], phase: ExchangePhase): number => phases.filter((p) => p === phase).length;

describe('Sampler stopping rule (default: warm-up >= 1,000 and >= 300 ms, capped at 600 ms; samples >= 5 and >= 200 ms, at most 10,000 or 10 s)', () => {
  it('small, fast exchanges: warm-up runs to 300 ms, sampling to 200 ms', () => {
    const { sampler, phases } = drive(DEFAULT_SAMPLING, () => 0.25);
    expect(phases[0]).toBe('cold');
    expect(count(phases, 'warm-up')).toBe(1199); // 1200 x 0.25 ms = 300 ms, the cold one included
    expect(sampler.warmupCount).toBe(1200);
    expect(sampler.samplesMs).toHaveLength(800); // 800 x 0.25 ms = 200 ms
    expect(sampler.firstRoundTripMs).toBe(0.25);
  });

  it('exchanges of 0.4 ms: the 1,000-exchange minimum ends the warm-up (400 ms), not the 300 ms', () => {
    const { sampler } = drive(DEFAULT_SAMPLING, () => 0.4);
    expect(sampler.warmupCount).toBe(1000);
  });

  it("a new kept peer's warm-up (3,000 exchanges, 1.5 s) runs past the per-size cap of 600 ms", () => {
    const fast = drive(DEFAULT_SAMPLING, () => 0.25, { exchanges: 0, warmupMs: 0 });
    expect(fast.sampler.warmupCount).toBe(3001); // the cold one (fresh peer) and 3,000 on the kept peer: 750 ms
    const slow = drive(DEFAULT_SAMPLING, () => 1, { exchanges: 0, warmupMs: 0 });
    expect(slow.sampler.warmupCount).toBe(1501); // ends on the kept peer's 1.5 s
  });

  it('the cold first round trip is kept apart and never sampled', () => {
    const { sampler } = drive(DEFAULT_SAMPLING, (i) => (i === 0 ? 80 : 10));
    expect(sampler.firstRoundTripMs).toBe(80);
    expect(sampler.warmupCount).toBe(53); // 80 + 52 x 10 = 600 ms: the cap, before 1,000 exchanges
    expect(sampler.samplesMs).toHaveLength(20); // 20 x 10 ms = 200 ms
    expect(sampler.samplesMs.every((ms) => ms === 10)).toBe(true);
  });

  it('large sizes end the warm-up on the 600 ms cap, then take 5 samples', () => {
    const { sampler, phases } = drive(DEFAULT_SAMPLING, () => 100);
    expect(phases).toEqual(['cold', ...Array<ExchangePhase>(5).fill('warm-up'), ...Array<ExchangePhase>(5).fill('sample')]);
    expect(sampler.samplesMs).toEqual([100, 100, 100, 100, 100]);
  });

  it('past the cap the warm-up still runs to 5 exchanges, unless they take 3 s', () => {
    // 150 ms each: the cap (600 ms) is reached at 4 exchanges, the floor takes a fifth.
    expect(drive(DEFAULT_SAMPLING, () => 150).sampler.warmupCount).toBe(5);
    // A slow cold exchange, then fast ones: the floor, not the cap, ends it.
    const settling = drive(DEFAULT_SAMPLING, (i) => (i === 0 ? 2000 : i === 1 ? 600 : 150));
    expect(settling.phases.slice(0, 6)).toEqual(['cold', 'warm-up', 'warm-up', 'warm-up', 'warm-up', 'sample']);
    expect(settling.sampler.samplesMs).toEqual([150, 150, 150, 150, 150]);
    // 1.2 s each: 3 exchanges reach 3.6 s >= 3 s.
    expect(drive(DEFAULT_SAMPLING, () => 1200).sampler.warmupCount).toBe(3);
    // Without a floor (results from before it): the cap alone.
    const { warmupFloorCount: _count, warmupFloorMaxMs: _ms, ...capOnly } = DEFAULT_SAMPLING;
    expect(drive(capOnly, () => 150).sampler.warmupCount).toBe(4);
  });

  it('a warm-up longer than its floor stops whatever its count: one slow cold exchange is the whole warm-up', () => {
    const { sampler, phases } = drive(DEFAULT_SAMPLING, () => 3000);
    expect(phases).toEqual(['cold', 'sample', 'sample', 'sample', 'sample']);
    expect(sampler.warmupCount).toBe(1);
    expect(sampler.firstRoundTripMs).toBe(3000);
  });

  it('slow exchanges end on the 10 s budget: 7 s each gets 2 samples, 30 s gets 1, 2.5 s gets 4', () => {
    expect(drive(DEFAULT_SAMPLING, () => 7000).phases).toEqual(['cold', 'sample', 'sample']);
    const slowest = drive(DEFAULT_SAMPLING, () => 30_000);
    expect(slowest.phases).toEqual(['cold', 'sample']);
    expect(slowest.sampler.samplesMs).toEqual([30_000]);
    expect(drive(DEFAULT_SAMPLING, () => 2500).sampler.samplesMs).toHaveLength(4); // 4 x 2.5 s = 10 s
    expect(drive(DEFAULT_SAMPLING, () => 1999).sampler.samplesMs).toHaveLength(5); // 9.995 s: the count ends it
  });

  it('without a budget (results from before it) slow exchanges still take the minimum count', () => {
    const { maxTimeMs: _budget, ...unbounded } = DEFAULT_SAMPLING;
    expect(drive(unbounded, () => 30_000).sampler.samplesMs).toHaveLength(5);
  });

  it('stops at the maximum count when exchanges are too fast to reach the minimum time', () => {
    const { sampler } = drive(DEFAULT_SAMPLING, () => 2 ** -7); // 7.8 us, exact in binary
    expect(sampler.warmupCount).toBe(38_400); // 38,400 x 2^-7 ms = 300 ms
    expect(sampler.samplesMs).toHaveLength(10_000); // only 78 ms of samples, but the cap
  });

  it('a time minimum met early still waits for the count', () => {
    const rule: SamplingRule = { warmupMinCount: 1, warmupMinMs: 0, warmupMaxMs: 1000, minSamples: 4, minTimeMs: 10, maxSamples: 100 };
    const { phases } = drive(rule, () => 50);
    expect(phases).toEqual(['cold', 'sample', 'sample', 'sample', 'sample']);
  });

  it('refuses a record after it said done', () => {
    const { sampler } = drive(DEFAULT_SAMPLING, () => 150);
    expect(() => sampler.record(1)).toThrow('after done');
  });
});

describe('Sampler on a kept peer (the cold exchange on a fresh peer, the rest on one kept across sizes)', () => {
  const rule: SamplingRule = {
    warmupMinCount: 2, warmupMinMs: 0, warmupMaxMs: 1_000, minSamples: 3, minTimeMs: 0, maxSamples: 3,
    keptPeerBelowBytes: 1024 * 1024, keptPeerWarmupCount: 10, keptPeerWarmupMaxMs: 100,
  };

  it('warms a new kept peer to its count once; at a later size only the per-size minimum, the cold exchange not counted', () => {
    const first = drive(rule, () => 1, { exchanges: 0, warmupMs: 0 });
    expect(first.phases).toEqual(['cold', ...Array<ExchangePhase>(10).fill('warm-up'), 'sample', 'sample', 'sample']);
    expect(first.sampler.warmupCount).toBe(11);
    expect(first.sampler.warmupMs).toBe(11);
    // The kept peer now has 13 exchanges, 10 ms of them warm-up.
    const later = drive(rule, () => 1, { exchanges: 13, warmupMs: 10 });
    expect(later.phases).toEqual(['cold', 'warm-up', 'warm-up', 'sample', 'sample', 'sample']);
  });

  it("a slow kept peer's warm-up ends on its time cap, counted across sizes", () => {
    // 30 ms each: the cold one (fresh peer) does not count; 4 kept warm-ups reach 120 ms >= 100 ms.
    const first = drive(rule, () => 30, { exchanges: 0, warmupMs: 0 });
    expect(first.sampler.warmupCount).toBe(5);
    const later = drive(rule, () => 30, { exchanges: 7, warmupMs: 120 });
    expect(later.sampler.warmupCount).toBe(3); // the cold one and the per-size minimum of 2
    // Part of the cap left: warm-up runs on until it is spent (40 + 2 x 30 >= 100).
    const partly = drive(rule, () => 30, { exchanges: 3, warmupMs: 40 });
    expect(partly.sampler.warmupCount).toBe(3);
    const moreLeft = drive(rule, () => 30, { exchanges: 3, warmupMs: 0 });
    expect(moreLeft.sampler.warmupCount).toBe(5);
  });

  it('without a kept peer the kept-peer fields change nothing', () => {
    const { phases } = drive(rule, () => 1);
    expect(phases).toEqual(['cold', 'warm-up', 'sample', 'sample', 'sample']);
  });
});

describe('round-trip statistics', () => {
  it('median, p10, p90 (linear between ranks), min, max, mean', () => {
    expect(roundTripStats([5, 1, 4, 2, 3])).toEqual({ median: 3, p10: 1.4, p90: 4.6, min: 1, max: 5, mean: 3 });
    expect(roundTripStats([10, 20])).toEqual({ median: 15, p10: 11, p90: 19, min: 10, max: 20, mean: 15 });
    expect(roundTripStats([7])).toEqual({ median: 7, p10: 7, p90: 7, min: 7, max: 7, mean: 7 });
    expect(roundTripStats([])).toBeNull();
    expect(quantile([0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100], 0.9)).toBe(90);
  });

  it('Student t at 95 %: tabled up to 30 degrees of freedom, the expansion above', () => {
    expect(tCritical95(1)).toBe(12.706);
    expect(tCritical95(4)).toBe(2.776);
    expect(tCritical95(30)).toBe(2.042);
    expect(tCritical95(31)).toBeCloseTo(2.0395, 3);
    expect(tCritical95(120)).toBeCloseTo(1.9799, 3);
    expect(tCritical95(1e9)).toBeCloseTo(1.959964, 6);
  });

  it('relative margin of error = t x standard error / mean, as a fraction', () => {
    // mean 3, sample sd sqrt(2.5), n 5: 2.776 x sqrt(2.5 / 5) / 3
    expect(relativeMarginOfError([1, 2, 3, 4, 5])).toBeCloseTo((2.776 * Math.sqrt(0.5)) / 3, 12);
    expect(relativeMarginOfError([4, 4, 4])).toBe(0);
    expect(relativeMarginOfError([4])).toBeNull();
  });

  it('noisy above ±10 %, and when there is no margin to speak of', () => {
    expect(isNoisy(0.1)).toBe(false);
    expect(isNoisy(0.1001)).toBe(true);
    expect(isNoisy(null)).toBe(true);
    // five samples 100, 101, 99, 100, 100: ±0.9 %, steady
    expect(isNoisy(relativeMarginOfError([100, 101, 99, 100, 100]))).toBe(false);
    // one sample in five 3x slower: ±97 %, noisy
    expect(isNoisy(relativeMarginOfError([100, 100, 300, 100, 100]))).toBe(true);
  });
});
