// Pure statistics for one sweep point.

export interface Spread {
  median: number;
  min: number;
  max: number;
}

/** Median (mean of the middle two for an even count), min and max; null for no values. */
export function spread(values: readonly number[]): Spread | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { median, min: sorted[0]!, max: sorted[sorted.length - 1]! };
}

/**
 * MB/s as the sweep reports it: payload size in MB (10^6 bytes) divided by the median round-trip time.
 * The payload crosses twice per round trip, so bytes moved per second are twice this figure.
 */
export function mbPerSecond(sizeBytes: number, medianRoundTripMs: number): number {
  return sizeBytes / 1e6 / (Math.max(medianRoundTripMs, 1e-3) / 1000);
}

/** Round trips of one point's samples: median and spread. */
export interface RoundTripStats extends Spread {
  p10: number;
  p90: number;
  mean: number;
}

/** Linear interpolation between closest ranks (numpy's default), on ascending values; q in 0..1. */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) throw new Error('quantile of no values');
  const at = (sorted.length - 1) * q;
  const below = Math.floor(at);
  const lower = sorted[below]!;
  const upper = sorted[Math.min(below + 1, sorted.length - 1)]!;
  return lower + (upper - lower) * (at - below);
}

export function roundTripStats(samplesMs: readonly number[]): RoundTripStats | null {
  if (samplesMs.length === 0) return null;
  const sorted = [...samplesMs].sort((a, b) => a - b);
  return {
    median: quantile(sorted, 0.5),
    p10: quantile(sorted, 0.1),
    p90: quantile(sorted, 0.9),
    min: sorted[0]!,
    max: sorted[sorted.length - 1]!,
    mean: sorted.reduce((sum, value) => sum + value, 0) / sorted.length,
  };
}

/** Two-tailed 95 % critical values of Student's t for 1..30 degrees of freedom. */
const T_95 = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11, 2.101,
  2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042,
];

/** Two-tailed 95 % t: the table up to 30 degrees of freedom, above it the Cornish-Fisher expansion
 *  around z = 1.96 (within 0.001 of the exact value there, 1.96 in the limit). */
export function tCritical95(degreesOfFreedom: number): number {
  if (degreesOfFreedom < 1) throw new Error(`t of ${degreesOfFreedom} degrees of freedom`);
  const tabled = T_95[degreesOfFreedom - 1];
  if (tabled !== undefined) return tabled;
  const z = 1.959964;
  const df = degreesOfFreedom;
  return z + (z ** 3 + z) / (4 * df) + (5 * z ** 5 + 16 * z ** 3 + 3 * z) / (96 * df ** 2);
}

/**
 * Relative margin of error of the mean at 95 % confidence, as a fraction (0.05 = ±5 %): the
 * tinybench figure, t × standard error / mean. Null below two samples (no spread to speak of).
 */
export function relativeMarginOfError(samplesMs: readonly number[]): number | null {
  const n = samplesMs.length;
  if (n < 2) return null;
  const mean = samplesMs.reduce((sum, value) => sum + value, 0) / n;
  if (mean <= 0) return null;
  const variance = samplesMs.reduce((sum, value) => sum + (value - mean) ** 2, 0) / (n - 1);
  return (tCritical95(n - 1) * Math.sqrt(variance / n)) / mean;
}

/**
 * Above this relative margin of error a point is flagged noisy: its mean is not known to better
 * than ±10 %, so differences smaller than that between two transports are not findings.
 */
export const NOISY_MARGIN_OF_ERROR = 0.1;

export function isNoisy(relativeMarginOfError: number | null): boolean {
  return relativeMarginOfError === null || relativeMarginOfError > NOISY_MARGIN_OF_ERROR;
}
