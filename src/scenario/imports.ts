import http from 'node:http';
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

interface ImportReply {
  bytesToWorker?: number;
  bytesFromWorker?: number;
  workerPid?: number;
  transferBlockMs?: number;
  error?: string;
}

/**
 * One import over a fresh connection (agent: false): under cluster, a new connection is what lets the
 * primary hand the import to the next worker, as a browser's new request would.
 */
function postImport(url: string, timeoutMs: number, signal: AbortSignal): Promise<{ status: number; body: ImportReply }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: 'POST', agent: false, signal, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        try {
          resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as ImportReply });
        } catch {
          resolve({ status: res.statusCode ?? 0, body: { error: 'unreadable import response' } });
        }
      });
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`import timed out after ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end();
  });
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
        bytesToWorker: body.bytesToWorker ?? 0,
        bytesFromWorker: body.bytesFromWorker ?? 0,
        ok: status === 200,
        ...(status === 200 ? {} : { error: `HTTP ${status}: ${body.error ?? 'no message'}` }),
        ...(body.workerPid !== undefined ? { workerPid: body.workerPid } : {}),
        ...(body.transferBlockMs !== undefined ? { transferBlockMs: body.transferBlockMs } : {}),
      });
    } catch (error: unknown) {
      records.push({
        startedAtMs: Math.round(startedAtMs),
        durationMs: Math.round(performance.now() - phaseStartMs - startedAtMs),
        bytesToWorker: 0,
        bytesFromWorker: 0,
        ok: false,
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }
  return records;
}
