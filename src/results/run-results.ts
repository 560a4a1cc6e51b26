// Reading results back: the latest result of each scenario across run directories, and the latest
// sweep. Files that cannot be read are listed, not skipped silently.
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { errorMessage } from '../format/error.js';
import type { ScenarioResult, SweepResult } from './schema.js';
import { listRunIds, readResult } from './store.js';

export interface LoadedResult<T> {
  result: T;
  /** Path of the file, relative to the results directory, with forward slashes (stable in REPORT.md). */
  file: string;
}

export interface RunResults {
  scenarios: Map<string, LoadedResult<ScenarioResult>>;
  sweep: LoadedResult<SweepResult> | null;
  /** One line per results file that could not be used, with the reason. */
  unreadable: string[];
}

/** Run ids sort by time, so a later run's file replaces an earlier one. */
export async function loadLatest(resultsDir: string): Promise<RunResults> {
  const input: RunResults = { scenarios: new Map(), sweep: null, unreadable: [] };
  for (const runId of await listRunIds(resultsDir)) {
    const names = (await readdir(path.join(resultsDir, runId))).filter((n) => n.endsWith('.json')).sort();
    for (const name of names) {
      const file = `${runId}/${name}`;
      try {
        const result = await readResult(path.join(resultsDir, runId, name));
        if (result.kind === 'sweep') input.sweep = { result, file };
        else input.scenarios.set(result.scenario, { result, file });
      } catch (error: unknown) {
        input.unreadable.push(`${file}: ${errorMessage(error).replace(`${path.join(resultsDir, runId, name)}: `, '')}`);
      }
    }
  }
  return input;
}
