/**
 * The CPU cost knob: `work` rounds of integer mixing per record. Stands in for the talk's per-record
 * comparison logic; the result is folded into the diff so V8 cannot drop the loop.
 */
export function burn(work: number, seed: number): number {
  let h = seed | 0;
  for (let i = 0; i < work; i++) {
    h = Math.imul(h ^ (h >>> 16), 0x45d9f3b);
    h = (h ^ (h >>> 13)) + i;
  }
  return h >>> 0;
}

/** Default work per record: an import of DEFAULT_RECORDS takes a few seconds on a 2-core VM. */
export const DEFAULT_WORK_PER_RECORD = 5000;
/** The talk's data set: about 100,000 stations, about 10 MB. */
export const DEFAULT_RECORDS = 100_000;
export const DEFAULT_CHANGE_SHARE = 0.1;
export const BASELINE_SEED = 2017;
