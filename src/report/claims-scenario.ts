// Verdicts of the claims measured by the scenarios (light requests while imports run).
import type { ScenarioResult } from '../results/schema.js';
import { completed, unresponsiveShare } from '../results/facts.js';
import { formatMs, formatPercent } from '../format/numbers.js';
import { classifyResponsiveness, downgrade, type ClaimData, type ClaimVerdict, type Responsiveness } from './verdict.js';

/** "cluster: 27.0% of light requests slow or failed during imports (p99 3290 ms, max stall 3400 ms)". */
export function responsivenessFigure(id: string, result: ScenarioResult | undefined): string {
  if (!result) return `${id}: no result`;
  if (result.state === 'errored') return `${id}: errored (${result.error})`;
  const phase = result.phases.underLoad;
  return (
    `${id}: ${formatPercent(unresponsiveShare(phase))} of light requests slow (> 100 ms) or failed during imports ` +
    `(p99 ${formatMs(phase.latencyMs.p99)} ms, max stall ${formatMs(phase.maxStallMs)} ms)`
  );
}

function responsiveness(result: ScenarioResult | undefined): Responsiveness | null {
  const done = completed(result);
  return done ? classifyResponsiveness(unresponsiveShare(done.phases.underLoad)) : null;
}

/** cluster does not keep the GUI responsive (compared with single thread). */
export function clusterClaim(data: ClaimData): ClaimVerdict {
  const cluster = data.scenarios.get('cluster');
  const figures = [responsivenessFigure('cluster', cluster), responsivenessFigure('single-thread', data.scenarios.get('single-thread'))];
  const state = responsiveness(cluster);
  if (state === null) return { verdict: 'no data', figures };
  const verdict = state === 'frozen' ? 'holds' : state === 'degraded' ? 'partly' : 'does not hold';
  return { verdict, figures };
}

/** fork per job keeps the GUI responsive. */
export function forkClaim(data: ClaimData): ClaimVerdict {
  const fork = data.scenarios.get('fork-send');
  const figures = [responsivenessFigure('fork-send', fork)];
  const state = responsiveness(fork);
  const done = completed(fork);
  if (state === null || !done) return { verdict: 'no data', figures };
  const okImports = done.imports.filter((i) => i.ok).length;
  figures.push(`fork-send imports: ${okImports} of ${done.imports.length} ok`);
  const verdict = state === 'responsive' ? 'holds' : state === 'degraded' ? 'partly' : 'does not hold';
  // Responsive while every import failed is not the claim: nothing was offloaded.
  return { verdict: downgrade(verdict, okImports === 0), figures };
}
