import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { READABLE_SCHEMA_VERSIONS, type AnyResult } from './schema.js';

/** Sortable, filesystem-safe run id: UTC time plus a short random suffix. */
export function newRunId(now: Date = new Date()): string {
  const stamp = now.toISOString().replace(/\.\d+Z$/, 'Z').replace(/:/g, '-');
  return `${stamp}-${randomBytes(2).toString('hex')}`;
}

/** Write JSON atomically: a reader sees the old file or the whole new one, never half of it. */
export async function writeJsonAtomic(file: string, value: unknown): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(temp, `${JSON.stringify(value, null, 2)}\n`);
    await rename(temp, file);
  } catch (error: unknown) {
    await rm(temp, { force: true });
    throw error;
  }
}

/**
 * Where a result goes: `<outDir>/<run-id>/<name>.json`, or with `nodeDir` (a run that measured several
 * Node majors, `bench --node`) `<outDir>/<run-id>/node-<major>/<name>.json`.
 */
export function resultPath(outDir: string, runId: string, name: string, nodeDir?: string): string {
  return path.join(outDir, runId, ...(nodeDir ? [nodeDir] : []), `${name}.json`);
}

/** The folder of a run that holds one Node major's results: `node-22` for "v22.23.3". */
export function nodeDirName(nodeVersion: string = process.version): string {
  const major = /^v?(\d+)\./.exec(nodeVersion)?.[1];
  if (major === undefined) throw new Error(`not a Node version: "${nodeVersion}"`);
  return `node-${major}`;
}

/** The major of a `node-<major>` folder name, or null for any other name. */
export function nodeDirMajor(name: string): number | null {
  const major = /^node-(\d+)$/.exec(name)?.[1];
  return major === undefined ? null : Number(major);
}

export class ResultFileError extends Error {}

/** Read a results file and check the fields every reader relies on. */
export async function readResult(file: string): Promise<AnyResult> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(file, 'utf8'));
  } catch (error: unknown) {
    throw new ResultFileError(`${file}: not readable JSON (${(error as Error).message})`);
  }
  return validateResult(parsed, file);
}

/**
 * An ok point carries every figure (SweepPoint is keyed on state): readers rely on it. From schema 3
 * on that includes how it was sampled (samples, p10/p90, the cold first round trip, the noisy flag);
 * older files lack them, and readers show them as not recorded.
 */
function checkSweepPoint(p: Record<string, unknown>, schemaVersion: number, where: string, fail: (why: string) => never): void {
  if (p.state !== 'ok') return;
  const roundTrip = p.roundTripMs as { median?: unknown; p10?: unknown; p90?: unknown } | null;
  const rss = p.peakRssBytes as { sender?: unknown } | null;
  const complete =
    typeof p.mbPerS === 'number' && typeof roundTrip?.median === 'number' && typeof p.senderMaxBlockMs === 'number' && typeof rss?.sender === 'number';
  if (!complete) fail(`${where}: ok point at ${String(p.sizeBytes)} bytes without its figures`);
  const sampled =
    typeof p.samples === 'number' && typeof roundTrip?.p10 === 'number' && typeof roundTrip.p90 === 'number' && typeof p.firstRoundTripMs === 'number' && typeof p.noisy === 'boolean';
  if (schemaVersion >= 3 && !sampled) fail(`${where}: ok point at ${String(p.sizeBytes)} bytes without its sampling (schemaVersion ${schemaVersion})`);
}

export function validateResult(value: unknown, label = 'result'): AnyResult {
  const fail = (why: string): never => {
    throw new ResultFileError(`${label}: ${why}`);
  };
  if (typeof value !== 'object' || value === null) fail('not an object');
  const v = value as Record<string, unknown>;
  if (typeof v.schemaVersion !== 'number' || !READABLE_SCHEMA_VERSIONS.includes(v.schemaVersion)) {
    fail(`schemaVersion ${String(v.schemaVersion)}, expected one of ${READABLE_SCHEMA_VERSIONS.join(', ')}`);
  }
  if (typeof v.runId !== 'string') fail('runId missing');
  if (typeof v.env !== 'object' || v.env === null) fail('env missing');
  if (v.kind === 'scenario') {
    if (typeof v.scenario !== 'string') fail('scenario missing');
    if (v.state === 'completed') {
      const phases = v.phases as Record<string, unknown> | undefined;
      if (!phases || typeof phases.baseline !== 'object' || typeof phases.underLoad !== 'object') fail('phases missing');
      if (!Array.isArray(v.imports)) fail('imports missing');
      if (!Array.isArray(v.timeline)) fail('timeline missing');
      if (typeof v.eventLoop !== 'object' || v.eventLoop === null) fail('eventLoop missing');
    } else if (v.state === 'errored') {
      if (typeof v.error !== 'string') fail('errored result without error');
    } else fail(`state ${String(v.state)}`);
  } else if (v.kind === 'sweep') {
    if (!Array.isArray(v.transports)) fail('transports missing');
    for (const t of v.transports as { transport?: unknown; points?: unknown }[]) {
      if (!Array.isArray(t.points)) fail(`transport ${String(t.transport)}: points missing`);
      for (const p of t.points as Record<string, unknown>[]) checkSweepPoint(p, v.schemaVersion as number, `transport ${String(t.transport)}`, fail);
    }
  } else if (v.kind === 'faults') {
    if (!Array.isArray(v.cases)) fail('cases missing');
  } else fail(`kind ${String(v.kind)}`);
  return value as AnyResult;
}
