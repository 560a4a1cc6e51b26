import type { LatencySummaryMs, Phase, TimelinePoint } from '../results/schema.js';
import type { PhaseRecording, RequestSample } from './types.js';

/**
 * Nearest-rank percentile of ascending `sorted` values: the smallest value such that at least p% of
 * the values are <= it, i.e. sorted[ceil(p/100 * n) - 1]. Always a measured value, never interpolated,
 * so p99.9 of a run is a request that really took that long. p = 0 gives the minimum.
 */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) throw new RangeError('percentile of an empty list');
  if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile p must be in 0..100, got ${p}`);
  // p * n / 100 rather than p / 100 * n, and a tiny tolerance: 99.9 / 100 * 1000 is 999.0000000000001
  // in floating point, which would pick the next value.
  const rank = Math.max(1, Math.ceil((p * sorted.length) / 100 - 1e-9));
  return sorted[rank - 1] as number;
}

/** Latency summary of unsorted values; all zeros when there are none (requests = 0 says why). */
export function summarizeLatency(latenciesMs: readonly number[]): LatencySummaryMs {
  if (latenciesMs.length === 0) return { p50: 0, p90: 0, p99: 0, p999: 0, max: 0, mean: 0 };
  const sorted = [...latenciesMs].sort((a, b) => a - b);
  const sum = sorted.reduce((total, value) => total + value, 0);
  return {
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p99: percentile(sorted, 99),
    p999: percentile(sorted, 99.9),
    max: sorted[sorted.length - 1] as number,
    mean: roundMs(sum / sorted.length),
  };
}

/**
 * Longest time in [0, end] in which no request completed, where end is the phase end or the last
 * completion if that came later (answers drained after the phase). Counts the gap from the phase start
 * to the first completion and from the last completion to the phase end, so a server that never
 * answers stalls for the whole phase.
 */
export function maxStallMs(completedAtMs: readonly number[], durationMs: number): number {
  const times = [...completedAtMs].sort((a, b) => a - b);
  let previous = 0;
  let longest = 0;
  for (const t of times) {
    longest = Math.max(longest, t - previous);
    previous = Math.max(previous, t);
  }
  return roundMs(Math.max(longest, durationMs - previous));
}

const roundMs = (ms: number) => Math.round(ms * 1000) / 1000;

function isSuccessful(sample: RequestSample): boolean {
  return sample.status !== null && sample.status < 400;
}

/**
 * The results' Phase of a recording. Latency statistics cover every answered request (any status);
 * errors = unanswered requests + answers with status >= 400; slowShare = (answers slower than the
 * threshold + timeouts) / (answers + timeouts): a timed-out request was certainly slow.
 * requestsByPid counts answers that carried a pid (x-served-by), so it may sum to less than requests.
 */
export function summarizePhase(recording: PhaseRecording, { slowThresholdMs = 100 } = {}): Phase {
  const responded = recording.samples.filter((sample) => sample.status !== null);
  const failedAnswers = recording.samples.length - recording.samples.filter(isSuccessful).length;
  const slow = responded.filter((sample) => sample.latencyMs > slowThresholdMs).length;
  const slowDenominator = responded.length + recording.timeouts;
  const requestsByPid: Record<string, number> = {};
  for (const sample of responded) {
    if (sample.pid === null) continue;
    const key = String(sample.pid);
    requestsByPid[key] = (requestsByPid[key] ?? 0) + 1;
  }
  return {
    durationMs: recording.durationMs,
    requests: responded.length,
    errors: recording.errors + failedAnswers,
    timeouts: recording.timeouts,
    rps: recording.durationMs > 0 ? responded.length / (recording.durationMs / 1000) : 0,
    latencyMs: summarizeLatency(responded.map((sample) => sample.latencyMs)),
    maxStallMs: maxStallMs(responded.map((sample) => sample.completedAtMs), recording.durationMs),
    slowShare: slowDenominator > 0 ? (slow + recording.timeouts) / slowDenominator : 0,
    requestsByPid,
    ...(recording.durationMs > recording.plannedDurationMs ? { extendedByMs: roundMs(recording.durationMs - recording.plannedDurationMs) } : {}),
  };
}

/**
 * At most maxPoints points for a chart. Splits the send-time span into maxPoints / 2 equal buckets
 * and keeps the slowest and the fastest sample of each (in send order), so a freeze is not averaged
 * away and a fast worker next to a busy one stays visible. Fewer samples than maxPoints: all of them.
 */
export function downsampleTimeline(samples: readonly RequestSample[], maxPoints: number): TimelinePoint[] {
  if (!Number.isInteger(maxPoints) || maxPoints < 2) throw new RangeError(`maxPoints must be an integer >= 2, got ${maxPoints}`);
  const bySendTime = [...samples].sort((a, b) => a.sentAtMs - b.sentAtMs);
  const toPoint = (sample: RequestSample): TimelinePoint => ({ tMs: sample.sentAtMs, latencyMs: sample.latencyMs, pid: sample.pid });
  if (bySendTime.length <= maxPoints) return bySendTime.map(toPoint);

  const bucketCount = Math.floor(maxPoints / 2);
  const firstMs = (bySendTime[0] as RequestSample).sentAtMs;
  const spanMs = (bySendTime[bySendTime.length - 1] as RequestSample).sentAtMs - firstMs;
  const buckets: { slowest: RequestSample; fastest: RequestSample }[] = [];
  for (const sample of bySendTime) {
    const index = spanMs > 0 ? Math.min(bucketCount - 1, Math.floor(((sample.sentAtMs - firstMs) / spanMs) * bucketCount)) : 0;
    const bucket = buckets[index];
    if (!bucket) buckets[index] = { slowest: sample, fastest: sample };
    else {
      if (sample.latencyMs > bucket.slowest.latencyMs) bucket.slowest = sample;
      if (sample.latencyMs < bucket.fastest.latencyMs) bucket.fastest = sample;
    }
  }
  const points: TimelinePoint[] = [];
  for (const bucket of buckets) {
    if (!bucket) continue;
    const pair = bucket.fastest === bucket.slowest ? [bucket.slowest] : [bucket.fastest, bucket.slowest].sort((a, b) => a.sentAtMs - b.sentAtMs);
    points.push(...pair.map(toPoint));
  }
  return points;
}
