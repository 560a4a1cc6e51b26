import { BASELINE_SEED, DEFAULT_CHANGE_SHARE, DEFAULT_WORK_PER_RECORD } from '../workload/index.js';

// Request validation for the HTTP app: pure, so every bad input has a tested 4xx answer.

/** The largest import the app accepts: 10x the talk's data set; beyond it a request is refused, not attempted. */
export const MAX_IMPORT_RECORDS = 1_000_000;
export const MAX_WORK_PER_RECORD = 1_000_000;

export interface ImportParams {
  records: number;
  changes: number;
  seed: number;
  workPerRecord: number;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; status: 400 | 404; message: string };

function integerIn(name: string, raw: string | null, fallback: number, min: number, max: number): Parsed<number> {
  if (raw === null) return { ok: true, value: fallback };
  const value = /^-?\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    return { ok: false, status: 400, message: `${name} must be an integer from ${min} to ${max} (got "${raw}")` };
  }
  return { ok: true, value };
}

const IMPORT_PARAMS = ['records', 'changes', 'seed', 'work'];

export function parseImportParams(query: URLSearchParams, defaultRecords: number): Parsed<ImportParams> {
  // A misspelt or repeated parameter would silently run a different import than the one asked for.
  for (const name of new Set(query.keys())) {
    if (!IMPORT_PARAMS.includes(name)) {
      return { ok: false, status: 400, message: `unknown parameter "${name}"; accepted: ${IMPORT_PARAMS.join(', ')}` };
    }
    if (query.getAll(name).length > 1) return { ok: false, status: 400, message: `parameter "${name}" given more than once` };
  }
  const records = integerIn('records', query.get('records'), defaultRecords, 1, MAX_IMPORT_RECORDS);
  if (!records.ok) return records;
  const seed = integerIn('seed', query.get('seed'), 1, 0, 2 ** 32 - 1);
  if (!seed.ok) return seed;
  const work = integerIn('work', query.get('work'), DEFAULT_WORK_PER_RECORD, 0, MAX_WORK_PER_RECORD);
  if (!work.ok) return work;
  const rawChanges = query.get('changes');
  const changes = rawChanges === null ? DEFAULT_CHANGE_SHARE : /^\d*\.?\d+$/.test(rawChanges) ? Number(rawChanges) : Number.NaN;
  if (!(changes >= 0 && changes <= 1)) {
    return { ok: false, status: 400, message: `changes must be a share from 0 to 1 (got "${rawChanges}")` };
  }
  return { ok: true, value: { records: records.value, changes, seed: seed.value, workPerRecord: work.value } };
}

/** A station id from the path: an integer 1..stationCount. */
export function parseStationId(raw: string, stationCount: number): Parsed<number> {
  if (!/^\d{1,15}$/.test(raw)) return { ok: false, status: 400, message: `station id must be a positive integer (got "${raw}")` };
  const id = Number(raw);
  if (id < 1 || id > stationCount) return { ok: false, status: 404, message: `no station ${id}: ids run from 1 to ${stationCount}` };
  return { ok: true, value: id };
}

export { BASELINE_SEED };
