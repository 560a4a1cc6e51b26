// Reading one run back: the results files of one run directory, and which run a report shows when
// none is named. Files that cannot be read are listed, not skipped silently.
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { errorMessage } from '../format/error.js';
import type { FaultsResult, ScenarioResult, SweepResult } from './schema.js';
import { nodeDirMajor, readResult } from './store.js';

export interface LoadedResult<T> {
  result: T;
  /** Path of the file, relative to the results directory, with forward slashes (stable in REPORT.md). */
  file: string;
}

/** The results of one Node major in a run. */
export interface NodeResults {
  /** From the folder name (`node-22`). */
  major: number;
  scenarios: Map<string, LoadedResult<ScenarioResult>>;
  sweep: LoadedResult<SweepResult> | null;
  /** `npm run faults`: what each transport does when its peer dies, hangs or lies (absent: none loaded). */
  faults?: LoadedResult<FaultsResult> | null;
}

export interface RunResults extends Omit<NodeResults, 'major'> {
  /** The run directory read, or null when the results directory holds no run. */
  runId: string | null;
  /** One line per results file that could not be used, with the reason. */
  unreadable: string[];
  /**
   * A run of several Node majors (`bench --node`) keeps each major's results in `node-<major>/`: all
   * of them here, lowest major first, and the fields above are the first's. Empty for a run of one
   * Node (results directly in the run directory).
   */
  byNode: NodeResults[];
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

/** The `node-<major>` folders of a run directory that hold results, lowest major first. */
async function nodeFolders(runDir: string): Promise<{ name: string; major: number }[]> {
  let entries;
  try {
    entries = await readdir(runDir, { withFileTypes: true });
  } catch (error: unknown) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const folders: { name: string; major: number }[] = [];
  for (const entry of entries.filter((e) => e.isDirectory())) {
    const major = nodeDirMajor(entry.name);
    if (major !== null && (await jsonFiles(path.join(runDir, entry.name))).length > 0) folders.push({ name: entry.name, major });
  }
  return folders.sort((a, b) => a.major - b.major);
}

/** The folders of a run that hold results: its `node-<major>` folders, else the run directory itself. */
async function resultFolders(runDir: string): Promise<string[]> {
  const folders = await nodeFolders(runDir);
  return folders.length > 0 ? folders.map((f) => path.join(runDir, f.name)) : [runDir];
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
    const runDir = path.join(resultsDir, entry.name);
    if ((await jsonFiles(runDir)).length > 0 || (await nodeFolders(runDir)).length > 0) runs.push(entry.name);
  }
  return runs;
}

/**
 * The run a report shows when none is named: the one holding the most of the expected results files
 * (`<name>.json` for every name: each registered scenario and the sweep), the newest among equals. A
 * complete `bench` run holds them all; an ad-hoc `npm run scenario` run holds one, so it never hides
 * the bench run. A run of several Node majors counts what its most complete major holds. Null when
 * there is no run.
 */
export async function defaultRun(resultsDir: string, expectedNames: readonly string[]): Promise<string | null> {
  let best: { runId: string; held: number } | null = null;
  for (const runId of await listRuns(resultsDir)) {
    let held = 0;
    for (const folder of await resultFolders(path.join(resultsDir, runId))) {
      const files = new Set(await jsonFiles(folder));
      held = Math.max(held, expectedNames.filter((name) => files.has(`${name}.json`)).length);
    }
    if (!best || held >= best.held) best = { runId, held }; // runs come oldest first: ">=" keeps the newest
  }
  return best?.runId ?? null;
}

/** The results files of one folder; `prefix` is the folder relative to resultsDir, forward slashes. */
async function loadFolder(resultsDir: string, prefix: string, into: Omit<NodeResults, 'major'>, unreadable: string[]): Promise<void> {
  const dir = path.join(resultsDir, ...prefix.split('/'));
  for (const name of await jsonFiles(dir)) {
    const file = `${prefix}/${name}`;
    try {
      const result = await readResult(path.join(dir, name));
      if (result.kind === 'sweep') into.sweep = { result, file };
      else if (result.kind === 'faults') into.faults = { result, file };
      else into.scenarios.set(result.scenario, { result, file });
    } catch (error: unknown) {
      unreadable.push(`${file}: ${errorMessage(error).replace(`${path.join(dir, name)}: `, '')}`);
    }
  }
}

/** Every results file of one run directory (runId null: an empty result set). */
export async function loadRun(resultsDir: string, runId: string | null): Promise<RunResults> {
  const input: RunResults = { runId, scenarios: new Map(), sweep: null, faults: null, unreadable: [], byNode: [] };
  if (runId === null) return input;
  const folders = await nodeFolders(path.join(resultsDir, runId));
  if (folders.length === 0) {
    await loadFolder(resultsDir, runId, input, input.unreadable);
    return input;
  }
  for (const { name, major } of folders) {
    const results: NodeResults = { major, scenarios: new Map(), sweep: null, faults: null };
    await loadFolder(resultsDir, `${runId}/${name}`, results, input.unreadable);
    input.byNode.push(results);
  }
  const first = input.byNode[0]!;
  input.scenarios = first.scenarios;
  input.sweep = first.sweep;
  input.faults = first.faults;
  for (const name of await jsonFiles(path.join(resultsDir, runId))) {
    input.unreadable.push(`${runId}/${name}: not used: this run keeps its results by Node major, in ${folders.map((f) => `${f.name}/`).join(', ')}`);
  }
  return input;
}
