import http from 'node:http';
import { errorMessage } from '../format/error.js';
import type { ImportRecord } from '../results/schema.js';

export interface ImportPlan {
  baseUrl: string;
  count: number;
  records: number;
  changes: number;
  workPerRecord: number;
  /** The under-load phase length: imports are spread over its first 80%. */
  phaseMs: number;
  timeoutMs: number;
}

export interface ImportReply {
  bytesToWorker?: number;
  bytesFromWorker?: number;
  workerPid?: number;
  transferBlockMs?: number;
  error?: string;
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

/**
 * Runs the imports one after another (as the talk's users did), the i-th not before
 * 10% + i x 80%/count of the phase, so light traffic is measured before, during and between them.
 */
export async function runImports(plan: ImportPlan, phaseStartMs: number, signal: AbortSignal): Promise<ImportRecord[]> {
  const records: ImportRecord[] = [];
  const url = `${plan.baseUrl}/import?records=${plan.records}&changes=${plan.changes}&work=${plan.workPerRecord}`;
  for (let i = 0; i < plan.count && !signal.aborted; i++) {
    const plannedAtMs = plan.phaseMs * (0.1 + (0.8 * i) / plan.count);
    await sleep(plannedAtMs - (performance.now() - phaseStartMs), signal);
    if (signal.aborted) break;
    const startedAtMs = performance.now() - phaseStartMs;
    try {
      const { status, body } = await postImport(`${url}&seed=${i + 1}`, plan.timeoutMs, signal);
      records.push({
        startedAtMs: Math.round(startedAtMs),
        durationMs: Math.round(performance.now() - phaseStartMs - startedAtMs),
        ...importOutcome(status, body),
      });
    } catch (error: unknown) {
      records.push({
        startedAtMs: Math.round(startedAtMs),
        durationMs: Math.round(performance.now() - phaseStartMs - startedAtMs),
        bytesToWorker: 0,
        bytesFromWorker: 0,
        ok: false,
        error: errorMessage(error),
      });
    }
  }
  return records;
}
