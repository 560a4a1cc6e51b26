import type { FaultCaseResult } from '../results/schema.js';

// What makes a fault case a finding, pure: the report and the command's table use the same rule.

/** Observed differs from expected, or the caller died, lost an exchange or left something behind. */
export function isFinding(result: Omit<FaultCaseResult, 'finding'>): boolean {
  return (
    result.observed !== result.expected ||
    !result.callerAlive ||
    result.lost > 0 ||
    result.leftovers.processes > 0 ||
    result.leftovers.tempDirs > 0 ||
    (result.leftovers.redisKeys ?? 0) > 0 ||
    result.recovered === false
  );
}
