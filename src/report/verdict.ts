// Verdict vocabulary and the thresholds every claim uses, in one place so the team can check that
// they are fair. Each threshold is read against the talk's own words (quoted next to it).
import type { ScenarioResult, SweepResult } from '../results/schema.js';

export type Verdict = 'holds' | 'does not hold' | 'partly' | 'no data';

export interface ClaimData {
  scenarios: ReadonlyMap<string, ScenarioResult>;
  sweep: SweepResult | null;
}

export interface ClaimVerdict {
  verdict: Verdict;
  /** The numbers behind the verdict, one short line each; missing or errored inputs are named. */
  figures: string[];
}

const KiB = 1024;
const MiB = 1024 * KiB;

export const THRESHOLDS = {
  /** "an internal limit of about 8 to 20k": a first failure up to 32 KiB counts as "about 20k". */
  sendLimitMaxBytes: 32 * KiB,
  /** Delivering 1 MiB intact (50x the claimed 20k) refutes a ~20k limit outright. */
  farBeyondLimitBytes: 1 * MiB,
  /** "the message size limit on Linux is 64k". */
  linuxLimitBytes: 64 * KiB,
  /** "about 100 to 10,000 times slower": raw-socket MB/s over fork-json MB/s at the same size. */
  slowdownHolds: 100,
  /** At least 10x slower is an order of magnitude: the claim's direction, not its size. */
  slowdownPartly: 10,
  /** Light requests slow (> 100 ms) or failed during imports: at most 1% = responsive. */
  responsiveShare: 0.01,
  /** Over 5% = frozen; in between = degraded. */
  frozenShare: 0.05,
  /** "about 10 MB" data set. */
  dataSetBytes: 10 * 1000 * 1000,
} as const;

export type Responsiveness = 'responsive' | 'degraded' | 'frozen';

export function classifyResponsiveness(share: number): Responsiveness {
  if (share <= THRESHOLDS.responsiveShare) return 'responsive';
  return share > THRESHOLDS.frozenShare ? 'frozen' : 'degraded';
}

/** Several independent checks (true / false / unknown = null) into one verdict. */
export function combineChecks(checks: (boolean | null)[]): Verdict {
  const known = checks.filter((c): c is boolean => c !== null);
  if (known.length === 0) return 'no data';
  if (known.every((c) => c)) return 'holds';
  if (known.every((c) => !c)) return 'does not hold';
  return 'partly';
}

/** A verdict that held but with a caveat in the data becomes "partly". */
export function downgrade(verdict: Verdict, caveat: boolean): Verdict {
  return caveat && verdict === 'holds' ? 'partly' : verdict;
}
