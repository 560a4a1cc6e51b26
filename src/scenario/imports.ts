import http from 'node:http';
import { errorMessage } from '../format/error.js';
import type { ImportAttempt, ImportRecord } from '../results/schema.js';

export interface ImportPlan {
  baseUrl: string;
  count: number;
  /** Imports in flight at once (1: one after another, as the talk's users did). */
  concurrency: number;
  records: number;
  changes: number;
  workPerRecord: number;
  /** The under-load phase length: imports are spread over its first 80%. */
  phaseMs: number;
  timeoutMs: number;
  /** Told when an import starts and ends (a live view listens here); must not throw. */
  onImport?: (event: ImportEvent) => void;
}

/** index: the import's number within its phase, from 0. */
export type ImportEvent = { type: 'start'; index: number } | { type: 'end'; index: number; record: ImportRecord };

export interface ImportReply {
  bytesToWorker?: number;
  bytesFromWorker?: number;
  workerPid?: number;
  transferBlockMs?: number;
  queuedMs?: number;
  peerPeakRssBytes?: number;
  error?: string;
  workerHost?: string;
  runningMs?: number;
  attempts?: ImportAttempt[];
}

/** What a queue adds to an import's answer (a 502 carries it too: the attempts of a failed import). */
function queueFields(body: ImportReply): Partial<ImportRecord> {
  return {
    ...(body.workerHost !== undefined ? { workerHost: body.workerHost } : {}),
    ...(body.queuedMs !== undefined ? { queuedMs: body.queuedMs } : {}),
    ...(body.runningMs !== undefined ? { runningMs: body.runningMs } : {}),
    ...(body.attempts !== undefined ? { attempts: body.attempts } : {}),
  };
}

/** The reply body as JSON object, or null when it is not one (cut short, not JSON, ...). */
function parseReply(text: string): ImportReply | null {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as ImportReply) : null;
  } catch {
    return null;
  }
}

/**
 * One import over a fresh connection (agent: false): under cluster, a new connection is what lets the
 * primary hand the import to the next worker, as a browser's new request would. `body` is null when
 * the reply was not a JSON object.
 */
function postImport(url: string, timeoutMs: number, signal: AbortSignal): Promise<{ status: number; body: ImportReply | null }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: 'POST', agent: false, signal, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: parseReply(Buffer.concat(chunks).toString('utf8')) }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`import timed out after ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end();
  });
}

/**
 * What an answer says about the import. A 200 whose body cannot be read is a failed import: its
 * bytes are unknown, and recording it as ok with 0 bytes would make a broken reply look like a fast one.
 */
export function importOutcome(status: number, body: ImportReply | null): Omit<ImportRecord, 'startedAtMs' | 'durationMs'> {
  if (body === null) {
    return { bytesToWorker: 0, bytesFromWorker: 0, ok: false, error: `HTTP ${status} with an unreadable body (not a JSON object)` };
  }
  const ok = status === 200 && typeof body.bytesToWorker === 'number' && typeof body.bytesFromWorker === 'number';
  return {
    bytesToWorker: body.bytesToWorker ?? 0,
    bytesFromWorker: body.bytesFromWorker ?? 0,
    ok,
    ...(ok ? {} : { error: status === 200 ? 'HTTP 200 without the bytes moved' : `HTTP ${status}: ${body.error ?? 'no message'}` }),
    ...(body.workerPid !== undefined ? { workerPid: body.workerPid } : {}),
    ...(body.transferBlockMs !== undefined ? { transferBlockMs: body.transferBlockMs } : {}),
    ...(body.peerPeakRssBytes !== undefined ? { peerPeakRssBytes: body.peerPeakRssBytes } : {}),
    ...queueFields(body),
  };
}

const sleep = (ms: number, signal: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    if (ms <= 0 || signal.aborted) return resolve();
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });

const FAILED_IMPORT_PAUSE_MS = 200;

/** One import, timed on the phase's clock; a failure is recorded, not thrown. */
async function runOneImport(url: string, phaseStartMs: number, timeoutMs: number, signal: AbortSignal): Promise<ImportRecord> {
  const startedAtMs = performance.now() - phaseStartMs;
  const timing = () => ({ startedAtMs: Math.round(startedAtMs), durationMs: Math.round(performance.now() - phaseStartMs - startedAtMs) });
  try {
    const { status, body } = await postImport(url, timeoutMs, signal);
    return { ...timing(), ...importOutcome(status, body) };
  } catch (error: unknown) {
    return { ...timing(), bytesToWorker: 0, bytesFromWorker: 0, ok: false, error: errorMessage(error) };
  }
}

/** runOneImport, with its start and end told to the plan's listener. */
async function runToldImport(plan: Pick<ImportPlan, 'onImport' | 'timeoutMs'>, index: number, url: string, phaseStartMs: number, signal: AbortSignal): Promise<ImportRecord> {
  plan.onImport?.({ type: 'start', index });
  const record = await runOneImport(url, phaseStartMs, plan.timeoutMs, signal);
  plan.onImport?.({ type: 'end', index, record });
  return record;
}

function importUrl(plan: Pick<ImportPlan, 'baseUrl' | 'records' | 'changes' | 'workPerRecord'>, seed: number): string {
  return `${plan.baseUrl}/import?records=${plan.records}&changes=${plan.changes}&work=${plan.workPerRecord}&seed=${seed}`;
}

/**
 * Start time of import i, relative to the phase: waves of `concurrency` imports, the waves spread
 * over 10%..90% of the phase so light traffic is measured before, during and between them. With
 * concurrency 1, one import after another (as the talk's users did).
 */
export function plannedStartMs(i: number, count: number, concurrency: number, phaseMs: number): number {
  const waves = Math.ceil(count / concurrency);
  return Math.round(phaseMs * (0.1 + (0.8 * Math.floor(i / concurrency)) / waves));
}

/**
 * Runs the imports, at most `concurrency` in flight: import i starts at its planned time, or when an
 * import in flight ends, whichever is later. Records come back in start order.
 */
export async function runImports(plan: ImportPlan, phaseStartMs: number, signal: AbortSignal): Promise<ImportRecord[]> {
  const records: ImportRecord[] = [];
  let next = 0;
  const lane = async (): Promise<void> => {
    for (let i = next++; i < plan.count && !signal.aborted; i = next++) {
      await sleep(plannedStartMs(i, plan.count, plan.concurrency, plan.phaseMs) - (performance.now() - phaseStartMs), signal);
      if (signal.aborted) break;
      records.push(await runToldImport(plan, i, importUrl(plan, i + 1), phaseStartMs, signal));
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(plan.concurrency, plan.count)) }, lane));
  return records.sort((a, b) => a.startedAtMs - b.startedAtMs);
}

/**
 * Imports back to back from the phase start until the phase ends, so the server is never without
 * one. The one running when the phase ends is awaited (within its timeout), so its record is whole
 * and the server is idle again afterwards.
 */
export async function runImportsBackToBack(plan: Omit<ImportPlan, 'count' | 'concurrency'>, phaseStartMs: number, signal: AbortSignal): Promise<ImportRecord[]> {
  const records: ImportRecord[] = [];
  for (let seed = 1; performance.now() - phaseStartMs < plan.phaseMs && !signal.aborted; seed++) {
    const record = await runToldImport(plan, seed - 1, importUrl(plan, seed), phaseStartMs, signal);
    records.push(record);
    // A server that refuses imports at once must not be flooded with them.
    if (!record.ok) await sleep(FAILED_IMPORT_PAUSE_MS, signal);
  }
  return records;
}
