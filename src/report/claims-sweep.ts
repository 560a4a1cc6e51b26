// Verdicts of the claims measured by the message-size sweep. Pure: results in, verdict out.
import type { SweepResult, SweepTransportResult } from '../results/schema.js';
import { commonOkSizes, firstFailure, largestOk, okPoint, transportOf, type Failure } from '../results/facts.js';
import { formatBytes, formatMs, formatNumber } from '../format/numbers.js';
import { THRESHOLDS as T, type ClaimVerdict, type Verdict } from './verdict.js';

function failureText(f: Failure): string {
  return `${formatBytes(f.sizeBytes)} (${f.state}${f.error ? `: ${f.error}` : ''})`;
}

/** "fork-json: intact up to 16 MiB; first failure at 64 MiB (timeout)". */
export function reach(id: string, t: SweepTransportResult | undefined): string {
  if (!t) return `${id}: not in the sweep`;
  const ok = largestOk(t);
  const failure = firstFailure(t);
  const intact = ok === null ? 'nothing delivered intact' : `intact up to ${formatBytes(ok)}`;
  return `${id}: ${intact}; ${failure ? `first failure at ${failureText(failure)}` : 'no failure'}`;
}

function tested(t: SweepTransportResult | undefined): t is SweepTransportResult {
  return t !== undefined && t.points.some((p) => p.state !== 'skipped');
}

/** `process.send` has a limit of about 8-20 KB. */
export function sendLimitClaim(sweep: SweepResult | null): ClaimVerdict {
  const t = transportOf(sweep, 'fork-json');
  const figures = [reach('fork-json', t), reach('fork-advanced', transportOf(sweep, 'fork-advanced'))];
  if (!tested(t)) return { verdict: 'no data', figures };
  const ok = largestOk(t);
  const failure = firstFailure(t);
  let verdict: Verdict = 'no data';
  if (failure && failure.sizeBytes <= T.sendLimitMaxBytes) verdict = 'holds';
  else if (ok !== null && ok >= T.farBeyondLimitBytes) verdict = 'does not hold';
  else if (failure) verdict = 'partly';
  else if (ok !== null && ok > T.sendLimitMaxBytes) verdict = 'does not hold';
  return { verdict, figures };
}

/** Linux has a 64 KB message size limit: where a receiver that does not frame messages breaks. */
export function linuxLimitClaim(sweep: SweepResult | null): ClaimVerdict {
  const t = transportOf(sweep, 'naive-socket');
  const figures = [reach('naive-socket (unframed receiver)', t)];
  if (!tested(t)) return { verdict: 'no data', figures };
  const ok = largestOk(t);
  const failure = firstFailure(t);
  let verdict: Verdict = 'no data';
  if (ok !== null && ok >= T.farBeyondLimitBytes) verdict = 'does not hold';
  else if (failure && ok !== null && ok <= T.linuxLimitBytes && failure.sizeBytes > T.linuxLimitBytes) verdict = 'holds';
  else if (failure) verdict = 'partly';
  else if (ok !== null && ok > T.linuxLimitBytes) verdict = 'does not hold';
  return { verdict, figures };
}

interface SpeedRatio {
  sizeBytes: number;
  /** raw-socket MB/s ÷ fork-json MB/s: from warm medians (schema 3 on), or over every exchange (older files). */
  ratio: number;
  /** The same ratio for the first (cold) exchange of a fresh peer; null where not recorded. */
  coldRatio: number | null;
}

function speedRatios(fork: SweepTransportResult, raw: SweepTransportResult): SpeedRatio[] {
  return commonOkSizes(fork, raw).map((sizeBytes) => {
    // Both ok with a throughput at every common size (commonOkSizes).
    const forkPoint = okPoint(fork, sizeBytes)!;
    const rawPoint = okPoint(raw, sizeBytes)!;
    const forkColdMs = forkPoint.firstRoundTripMs;
    const rawColdMs = rawPoint.firstRoundTripMs;
    // Same size both ways, so the MB/s ratio is the inverse ratio of the round trips.
    const coldRatio = forkColdMs && rawColdMs ? forkColdMs / rawColdMs : null;
    return { sizeBytes, ratio: rawPoint.mbPerS / forkPoint.mbPerS, coldRatio };
  });
}

const x = (ratio: number): string => `${formatNumber(ratio)}x`;

/** Child IPC is 100-10,000x slower than it should be, growing with size. Judged on the warm figures. */
export function slowdownClaim(sweep: SweepResult | null): ClaimVerdict {
  const fork = transportOf(sweep, 'fork-json');
  const raw = transportOf(sweep, 'raw-socket');
  if (!fork || !raw) {
    return { verdict: 'no data', figures: [`${fork ? 'raw-socket' : 'fork-json'}: not in the sweep`] };
  }
  const ratios = speedRatios(fork, raw);
  const first = ratios[0];
  const last = ratios[ratios.length - 1];
  if (!first || !last) return { verdict: 'no data', figures: ['no size delivered intact by both fork-json and raw-socket'] };
  const warmSampled = commonOkSizes(fork, raw).every((size) => okPoint(fork, size)?.samples !== undefined && okPoint(raw, size)?.samples !== undefined);
  const figures = warmSampled
    ? [
        'raw-socket MB/s ÷ fork-json MB/s, warm (median of the timed samples) / cold (first exchange of a fresh peer): ' +
          ratios.map((r) => `${formatBytes(r.sizeBytes)} ${x(r.ratio)} / ${r.coldRatio === null ? 'not recorded' : x(r.coldRatio)}`).join(', '),
      ]
    : [
        'raw-socket MB/s ÷ fork-json MB/s (an older sweep: a few exchanges of a fresh peer, the cold first one included; no separate cold figure): ' +
          ratios.map((r) => `${x(r.ratio)} at ${formatBytes(r.sizeBytes)}`).join(', '),
      ];
  const maxRatio = Math.max(...ratios.map((r) => r.ratio));
  const growing = ratios.length >= 2 && last.ratio > first.ratio;
  let verdict: Verdict = 'partly';
  if (maxRatio < T.slowdownPartly) verdict = 'does not hold';
  else if (maxRatio >= T.slowdownHolds && growing) verdict = 'holds';
  return { verdict, figures };
}

/** Intact at the data set's size: true; failed below it: false; not tested that far: null. */
export function carriesDataSet(t: SweepTransportResult | undefined): boolean | null {
  if (!tested(t)) return null;
  const ok = largestOk(t);
  if (ok !== null && ok >= T.dataSetBytes) return true;
  return firstFailure(t) ? false : null;
}

/** Round trip at the largest size delivered intact, for "where it stops being usable". */
export function roundTripAtLargest(id: string, t: SweepTransportResult | undefined): string | null {
  const ok = t ? largestOk(t) : null;
  const point = ok === null ? undefined : okPoint(t, ok);
  if (!point) return null;
  return `${id} round trip at ${formatBytes(point.sizeBytes)}: ${formatMs(point.roundTripMs.median)} ms (median)`;
}
