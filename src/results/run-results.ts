// Reading one run back: the results files of one run directory, and which run a report shows when
// none is named. Files that cannot be read are listed, not skipped silently.
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { errorMessage } from '../format/error.js';
import type { ScenarioResult, SweepResult } from './schema.js';
import { readResult } from './store.js';

export interface LoadedResult<T> {
  result: T;
  /** Path of the file, relative to the results directory, with forward slashes (stable in REPORT.md). */
  file: string;
}

export interface RunResults {
  /** The run directory read, or null when the results directory holds no run. */
  runId: string | null;
  scenarios: Map<string, LoadedResult<ScenarioResult>>;
  sweep: LoadedResult<SweepResult> | null;
  /** One line per results file that could not be used, with the reason. */
  unreadable: string[];
}

/** Names of the .json files in a directory; none when it does not exist. Any other failure is thrown. */
async function jsonFiles(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir)).filter((name) => name.endsWith('.json')).sort();
  } catch (error: unknown) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

/**
 * Run directories under resultsDir (those holding results files, so not charts/), oldest first: run
 * ids sort by time. A results directory that does not exist holds no run; one that cannot be read is
 * an error, never "no results".
 */
export async function listRuns(resultsDir: string): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(resultsDir, { withFileTypes: true });
  } catch (error: unknown) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const runs: string[] = [];
  for (const entry of entries.filter((e) => e.isDirectory()).sort((a, b) => a.name.localeCompare(b.name))) {
    if ((await jsonFiles(path.join(resultsDir, entry.name))).length > 0) runs.push(entry.name);
  }
  return runs;
}

/**
 * The run a report shows when none is named: the one holding the most of the expected results files
 * (`<name>.json` for every name: each registered scenario and the sweep), the newest among equals. A
 * complete `bench` run holds them all; an ad-hoc `npm run scenario` run holds one, so it never hides
 * the bench run. Null when there is no run.
 */
export async function defaultRun(resultsDir: string, expectedNames: readonly string[]): Promise<string | null> {
  let best: { runId: string; held: number } | null = null;
  for (const runId of await listRuns(resultsDir)) {
    const files = new Set(await jsonFiles(path.join(resultsDir, runId)));
    const held = expectedNames.filter((name) => files.has(`${name}.json`)).length;
    if (!best || held >= best.held) best = { runId, held }; // runs come oldest first: ">=" keeps the newest
  }
  return best?.runId ?? null;
}

/** Every results file of one run directory (runId null: an empty result set). */
export async function loadRun(resultsDir: string, runId: string | null): Promise<RunResults> {
  const input: RunResults = { runId, scenarios: new Map(), sweep: null, unreadable: [] };
  if (runId === null) return input;
  for (const name of await jsonFiles(path.join(resultsDir, runId))) {
    const file = `${runId}/${name}`;
    try {
      const result = await readResult(path.join(resultsDir, runId, name));
      if (result.kind === 'sweep') input.sweep = { result, file };
      else input.scenarios.set(result.scenario, { result, file });
    } catch (error: unknown) {
      input.unreadable.push(`${file}: ${errorMessage(error).replace(`${path.join(resultsDir, runId, name)}: `, '')}`);
    }
  }
  return input;
}
