import type { ScenarioResult } from '../results/schema.js';

/** Settings that change what a scenario's numbers mean; comparing runs that differ in them misleads. */
export const COMPARED_SETTINGS = ['records', 'changes', 'workPerRecord', 'rate', 'durationS', 'imports'] as const;

/**
 * One line per setting on which the scenarios compared in the report differ, naming who ran with
 * what: e.g. "records: 100000 (single-thread, cluster), 20000 (node-ipc)". Empty when they agree.
 */
export function settingDifferences(results: ReadonlyMap<string, ScenarioResult>): string[] {
  const lines: string[] = [];
  for (const key of COMPARED_SETTINGS) {
    const byValue = new Map<string, string[]>();
    for (const [id, result] of results) {
      const value = JSON.stringify(result.config[key] ?? null);
      byValue.set(value, [...(byValue.get(value) ?? []), id]);
    }
    if (byValue.size > 1) {
      lines.push(`${key}: ${[...byValue].map(([value, ids]) => `${value} (${ids.join(', ')})`).join(', ')}`);
    }
  }
  return lines;
}

/** A warning paragraph for the report, or null when every scenario ran with the same settings. */
export function settingsWarning(results: ReadonlyMap<string, ScenarioResult>): string | null {
  const lines = settingDifferences(results);
  if (lines.length === 0) return null;
  return [
    '**Warning: these scenario results were not run with the same settings**, so comparisons between them (and the verdicts that compare scenarios) may mislead. Re-run them together with `npm run bench`.',
    '',
    ...lines.map((line) => `- ${line}`),
  ].join('\n');
}
