import { describe, expect, it } from 'vitest';
import type { OkSweepPoint, SweepPoint } from '../../src/results/schema.js';
import { mergeRounds, roundRule, wantsAnotherRound, type PointRound } from '../../src/sweep/rounds.js';
import { DEFAULT_SAMPLING, QUICK_SAMPLING } from '../../src/sweep/sampler.js';
import type { SamplingRule } from '../../src/sweep/sampler.js';
import { roundTripStats } from '../../src/sweep/stats.js';

const MIB = 1024 * 1024;

/** One round's point as PointRun.finish() makes it, from its samples. */
function round(samplesMs: number[], extra: Partial<OkSweepPoint> = {}): PointRound {
  const roundTripMs = roundTripStats(samplesMs)!;
  const point: OkSweepPoint = {
    sizeBytes: MIB, state: 'ok', roundTripMs, mbPerS: MIB / 1e6 / (roundTripMs.median / 1000), senderMaxBlockMs: 1,
    peakRssBytes: { sender: 100, receiver: 50 }, samples: samplesMs.length, warmupExchanges: 5, firstRoundTripMs: 30,
    relativeMarginOfError: 0.5, noisy: true, ...extra,
  };
  return { point, samplesMs };
}

const RULE: SamplingRule = { warmupMinCount: 1, warmupMinMs: 0, warmupMaxMs: 0, minSamples: 3, minTimeMs: 0, maxSamples: 3, freshPeerRounds: 3, roundsBelowMs: 10 };

describe('rounds of fresh peers', () => {
  it('merges rounds into one point over all their samples, each round\'s median kept', () => {
    const merged = mergeRounds([
      round([1, 2, 3]),
      round([4, 5, 6], { senderMaxBlockMs: 7, peakRssBytes: { sender: 300, receiver: 20 }, firstRoundTripMs: 90, warmupExchanges: 6 }),
      round([9, 8, 7], { peakRssBytes: { sender: 200, receiver: 80 } }),
    ]);
    expect(merged).toEqual({
      sizeBytes: MIB,
      state: 'ok',
      roundTripMs: roundTripStats([1, 2, 3, 4, 5, 6, 9, 8, 7]),
      mbPerS: MIB / 1e6 / (5 / 1000),
      senderMaxBlockMs: 7,
      peakRssBytes: { sender: 300, receiver: 80 },
      samples: 9,
      warmupExchanges: 16,
      firstRoundTripMs: 30, // the first round's peer was the size's first
      relativeMarginOfError: expect.any(Number),
      noisy: true,
      peerMediansMs: [2, 5, 8],
    });
    expect(merged.roundTripMs).toMatchObject({ median: 5, min: 1, max: 9, mean: 5 });
  });
  it('keeps one round as it is, shows no receiver peak where a round had none, and passes a failed round on', () => {
    const only = round([1, 2, 3]);
    expect(mergeRounds([only])).toBe(only.point);
    expect(mergeRounds([round([1]), round([2], { peakRssBytes: { sender: 1, receiver: null } })]).peakRssBytes).toEqual({ sender: 100, receiver: null });
    const failed: SweepPoint = { ...round([4]).point, state: 'corrupted', error: 'SHA-256 mismatch' } as SweepPoint;
    expect(mergeRounds([round([1, 2]), { point: failed, samplesMs: [4] }])).toBe(failed);
    expect(() => mergeRounds([])).toThrow('mergeRounds: no round');
  });
  it('marks a point whose rounds an interrupt cut short (roundsCut), one round or more; never a failed one', () => {
    const only = round([1, 2, 3]);
    expect(mergeRounds([only], true)).toEqual({ ...only.point, roundsCut: true });
    expect(only.point).not.toHaveProperty('roundsCut');
    expect(mergeRounds([round([1, 2, 3]), round([4, 5, 6])], true)).toMatchObject({ samples: 6, peerMediansMs: [2, 5], roundsCut: true });
    expect(mergeRounds([round([1, 2, 3]), round([4, 5, 6])], false)).not.toHaveProperty('roundsCut');
    const failed: SweepPoint = { ...round([4]).point, state: 'error', error: 'boom' } as SweepPoint;
    expect(mergeRounds([round([1, 2]), { point: failed, samplesMs: [4] }], true)).toBe(failed);
  });
  it('shares the warm-up time and the samples\' minimum time out among the rounds; counts and the budget per round', () => {
    expect(roundRule(DEFAULT_SAMPLING)).toEqual({ ...DEFAULT_SAMPLING, warmupMinMs: 100, warmupMaxMs: 200, minTimeMs: 200 / 3 });
    expect(roundRule(DEFAULT_SAMPLING)).toMatchObject({ warmupMinCount: 1_000, minSamples: 5, maxSamples: 10_000, maxTimeMs: 10_000, warmupFloorCount: 5, warmupFloorMaxMs: 3_000 });
    expect(roundRule(QUICK_SAMPLING)).toBe(QUICK_SAMPLING); // --quick: one round
    const { maxTimeMs: _, ...noBudget } = RULE;
    expect(roundRule({ ...noBudget, warmupMaxMs: 30, minTimeMs: 9 })).toEqual({ ...noBudget, warmupMaxMs: 10, minTimeMs: 3 });
  });
  it('gives another round up to freshPeerRounds, to points whose first round was under roundsBelowMs and none failed', () => {
    expect(wantsAnotherRound(RULE, [round([1, 2, 3])])).toBe(true);
    expect(wantsAnotherRound(RULE, [round([1, 2, 3]), round([20])])).toBe(true); // the gate is the first round's
    expect(wantsAnotherRound(RULE, [round([1]), round([2]), round([3])])).toBe(false); // three in all
    expect(wantsAnotherRound(RULE, [round([9, 10, 11])])).toBe(false); // median 10: not under 10 ms
    expect(wantsAnotherRound(RULE, [round([1]), { point: { ...round([1]).point, state: 'timeout' } as SweepPoint, samplesMs: [] }])).toBe(false);
    expect(wantsAnotherRound({ ...RULE, freshPeerRounds: undefined }, [round([1])])).toBe(false); // absent: one round
    expect(wantsAnotherRound({ ...RULE, roundsBelowMs: undefined }, [round([500])])).toBe(true); // absent: no gate
    expect(wantsAnotherRound(RULE, [])).toBe(false);
  });
});
