import { describe, expect, it } from 'vitest';
import { downsampleTimeline, maxStallMs, percentile, summarizeLatency, summarizePhase } from '../../src/load/stats.js';
import type { PhaseRecording, RequestSample } from '../../src/load/types.js';

const sample = (sentAtMs: number, latencyMs: number, pid: number | null = 7, status: number | null = 200): RequestSample => ({
  sentAtMs,
  completedAtMs: sentAtMs + latencyMs,
  latencyMs,
  pid,
  status,
});

describe('percentile (nearest rank)', () => {
  const values = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
  it('picks sorted[ceil(p/100 * n) - 1]', () => {
    expect(percentile(values, 50)).toBe(5);
    expect(percentile(values, 51)).toBe(6);
    expect(percentile(values, 90)).toBe(9);
    expect(percentile(values, 99)).toBe(10);
    expect(percentile(values, 100)).toBe(10);
    expect(percentile(values, 0)).toBe(1);
    expect(percentile([42], 99.9)).toBe(42);
  });
  it('rejects an empty list and p outside 0..100', () => {
    expect(() => percentile([], 50)).toThrow(RangeError);
    expect(() => percentile(values, 101)).toThrow('0..100');
    expect(() => percentile(values, Number.NaN)).toThrow(RangeError);
  });
});

describe('summarizeLatency', () => {
  it('summarizes unsorted values', () => {
    const values = Array.from({ length: 1000 }, (_, i) => 1000 - i); // 1000 .. 1
    expect(summarizeLatency(values)).toEqual({ p50: 500, p90: 900, p99: 990, p999: 999, max: 1000, mean: 500.5 });
  });
  it('is all zeros without values', () => {
    expect(summarizeLatency([])).toEqual({ p50: 0, p90: 0, p99: 0, p999: 0, max: 0, mean: 0 });
  });
});

describe('maxStallMs', () => {
  it('counts the gaps between completions, from the phase start and to the phase end', () => {
    expect(maxStallMs([10, 20, 900, 950], 1000)).toBe(880);
    expect(maxStallMs([300, 400], 1000)).toBe(600); // last completion to phase end
    expect(maxStallMs([700, 710, 990], 1000)).toBe(700); // phase start to first completion
    expect(maxStallMs([], 1000)).toBe(1000);
  });
  it('sorts completions and includes answers drained after the phase end', () => {
    expect(maxStallMs([950, 100, 2500], 1000)).toBe(1550);
  });
});

describe('summarizePhase', () => {
  const recording: PhaseRecording = {
    startedAtEpochMs: 1_700_000_000_000,
    durationMs: 2000,
    plannedDurationMs: 2000,
    samples: [
      sample(0, 2, 11),
      sample(20, 150, 11),
      sample(40, 3, 12),
      sample(60, 500, 12, 503),
      sample(1000, 4, null),
    ],
    errors: 2,
    timeouts: 1,
  };

  it('derives every Phase field', () => {
    expect(summarizePhase(recording)).toEqual({
      durationMs: 2000,
      requests: 5,
      errors: 3, // 2 unanswered + one 503
      timeouts: 1,
      rps: 2.5,
      latencyMs: { p50: 4, p90: 500, p99: 500, p999: 500, max: 500, mean: 131.8 },
      maxStallMs: 996, // completions 2, 43, 170, 560, 1004 (a 503 is an answer too); 1004 -> phase end 2000
      slowShare: 3 / 6, // 150 ms, 500 ms and the timeout, over 5 answers + 1 timeout
      requestsByPid: { '11': 2, '12': 2 }, // the answer without x-served-by has no pid to count
    });
  });

  it('says by how much a held-open phase ran past its planned length', () => {
    const held = summarizePhase({ ...recording, plannedDurationMs: 1500 });
    expect(held.durationMs).toBe(2000);
    expect(held.extendedByMs).toBe(500);
    expect(summarizePhase(recording)).not.toHaveProperty('extendedByMs');
  });

  it('uses the slow threshold it is given', () => {
    expect(summarizePhase(recording, { slowThresholdMs: 200 }).slowShare).toBe(2 / 6);
  });

  it('is zero-valued, not NaN, for an empty recording', () => {
    const empty = summarizePhase({ startedAtEpochMs: 0, durationMs: 0, plannedDurationMs: 0, samples: [], errors: 0, timeouts: 0 });
    expect(empty).toMatchObject({ requests: 0, rps: 0, slowShare: 0, maxStallMs: 0, requestsByPid: {} });
  });
});

describe('downsampleTimeline', () => {
  it('returns every sample, in send order, when they fit', () => {
    expect(downsampleTimeline([sample(20, 5), sample(0, 1, null)], 4)).toEqual([
      { tMs: 0, latencyMs: 1, pid: null },
      { tMs: 20, latencyMs: 5, pid: 7 },
    ]);
  });

  it('keeps the fastest and the slowest sample of each bucket, so a freeze stays visible', () => {
    // 0..900 ms in 10 samples, a 1 s freeze at 300 ms; 4 points = 2 buckets: [0, 450) and [450, 900].
    const samples = [0, 100, 200, 300, 400, 500, 600, 700, 800, 900].map((t) => sample(t, t === 300 ? 1000 : 2 + t / 100));
    expect(downsampleTimeline(samples, 4)).toEqual([
      { tMs: 0, latencyMs: 2, pid: 7 },
      { tMs: 300, latencyMs: 1000, pid: 7 },
      { tMs: 500, latencyMs: 7, pid: 7 },
      { tMs: 900, latencyMs: 11, pid: 7 },
    ]);
  });

  it('rejects fewer than 2 points', () => {
    expect(() => downsampleTimeline([], 1)).toThrow('maxPoints');
  });
});
