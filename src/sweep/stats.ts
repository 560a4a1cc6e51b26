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
