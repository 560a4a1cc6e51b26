// The session's comparison: one row per finished scenario run, from its results file. Pure.
import type { ScenarioResult } from '../results/schema.js';
import type { ComparisonRow } from './wire.js';

const numberOr = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : null);

export function comparisonRow(result: ScenarioResult): ComparisonRow {
  const baseline = result.phases?.baseline;
  const underLoad = result.phases?.underLoad;
  const imports = result.imports ?? [];
  const loopMaxima = Object.values(result.eventLoop ?? {}).map((loop) => loop.maxMs);
  return {
    scenario: result.scenario,
    runId: result.runId,
    state: result.state,
    ...(result.state === 'errored' ? { error: result.error } : {}),
    durationS: numberOr(result.config.durationS),
    records: numberOr(result.config.records),
    baselineP99Ms: baseline?.latencyMs.p99 ?? null,
    underLoadP50Ms: underLoad?.latencyMs.p50 ?? null,
    underLoadP99Ms: underLoad?.latencyMs.p99 ?? null,
    maxStallMs: underLoad?.maxStallMs ?? null,
    slowShare: underLoad?.slowShare ?? null,
    importsOk: imports.filter((imp) => imp.ok).length,
    importsTotal: imports.length,
    maxLoopDelayMs: loopMaxima.length > 0 ? Math.max(...loopMaxima) : null,
  };
}
