import { existsSync, readFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ServeConfig } from '../../src/server/contract.js';
import { ImportAdmission } from '../../src/server/admission.js';
import { createApp } from '../../src/server/app.js';
import { offloadImports } from '../../src/server/offload.js';
import { closeServer, listen } from '../../src/server/serve.js';
import { getTransport } from '../../src/transports/registry.js';
import type { TransportId } from '../../src/transports/types.js';
import { descendantsOf, isAlive, waitAllGone } from '../helpers/processes.js';

describe('ImportAdmission (pure)', () => {
  it('admits up to its limit, refuses past it, frees a slot on release and counts every outcome', () => {
    let nowMs = 0;
    const admission = new ImportAdmission(2, () => nowMs);
    const first = admission.tryAdmit();
    const second = admission.tryAdmit();
    expect([first, second]).toEqual([1, 2]);
    expect(admission.tryAdmit()).toBeNull();
    expect(admission.retryAfterS()).toBe(1); // no import finished yet: nothing to estimate from
    nowMs = 4000;
    admission.release(1, 'completed');
    admission.release(1, 'completed'); // twice: counted once
    const third = admission.tryAdmit();
    expect(third).toBe(3);
    expect(admission.tryAdmit()).toBeNull();
    // Imports take 4 s; the oldest in flight (2) started at 0 and it is now 4.5 s: due, so 1 s.
    nowMs = 4500;
    expect(admission.retryAfterS()).toBe(1);
    admission.release(2, 'cancelled');
    nowMs = 5000;
    // Only #3 in flight, 1 s old, imports take 4 s: about 3 s.
    expect(admission.retryAfterS()).toBe(3);
    admission.release(third as number, 'failed');
    expect(admission.snapshot()).toEqual({ limit: 2, admitted: 3, completed: 1, failed: 1, refused: 2, cancelled: 1, peakInFlight: 2 });
  });

  it('refuses a limit below 1', () => {
    expect(() => new ImportAdmission(0)).toThrow('import limit must be a positive integer (got 0)');
  });
});

const config = (maxImports: number): ServeConfig => ({
  host: '127.0.0.1',
  port: 0,
  records: 2000,
  workers: 1,
  pool: false,
  importTimeoutMs: 120_000,
  childHeapMb: null,
  importPriority: 'normal',
  maxImports,
});

let stopServing: (() => Promise<void>) | null = null;
afterEach(async () => {
  await stopServing?.();
  stopServing = null;
});

async function serve(transport: TransportId, maxImports: number): Promise<{ base: string; admission: ImportAdmission }> {
  const offload = offloadImports(getTransport(transport), config(maxImports));
  const admission = new ImportAdmission(maxImports);
  const server = createApp({ stationCount: 2000, runImport: offload.runImport, admission });
  const port = await listen(server, '127.0.0.1', 0);
  stopServing = async () => {
    await closeServer(server);
    await offload.close();
  };
  return { base: `http://127.0.0.1:${port}`, admission };
}

async function waitFor<T>(probe: () => T | undefined, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('not reached in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('imports in flight are bounded', () => {
  it('12 concurrent imports with a limit of 3: at most 3 children at once, the other 9 get 503 with Retry-After', async () => {
    const { base, admission } = await serve('fork-json', 3);
    let peakChildren = 0;
    const watch = setInterval(() => {
      peakChildren = Math.max(peakChildren, descendantsOf(process.pid).length);
    }, 50);
    try {
      // Enough work (0.3 s of CPU each) that the three admitted imports are still running when the
      // last request arrives: the twelve are sent at once.
      const answers = await Promise.all(
        Array.from({ length: 12 }, async (_, i) => {
          const res = await fetch(`${base}/import?records=2000&work=20000&seed=${i + 1}`, { method: 'POST' });
          const body = (await res.json()) as { error?: string; retryAfterS?: number };
          return { status: res.status, retryAfter: res.headers.get('retry-after'), body };
        }),
      );
      const statuses = answers.map((a) => a.status).sort();
      expect(statuses).toEqual([200, 200, 200, 503, 503, 503, 503, 503, 503, 503, 503, 503]);
      for (const refused of answers.filter((a) => a.status === 503)) {
        expect(Number(refused.retryAfter)).toBeGreaterThanOrEqual(1);
        expect(refused.body.retryAfterS).toBe(Number(refused.retryAfter));
        expect(refused.body.error).toMatch(/^busy: 3 import\(s\) in flight/);
      }
    } finally {
      clearInterval(watch);
    }
    expect(peakChildren).toBeGreaterThanOrEqual(1);
    expect(peakChildren).toBeLessThanOrEqual(3);
    expect(admission.snapshot()).toEqual({ limit: 3, admitted: 3, completed: 3, failed: 0, refused: 9, cancelled: 0, peakInFlight: 3 });
    // A slot is free again: the next import is admitted.
    const next = await fetch(`${base}/import?records=2000&work=0&seed=99`, { method: 'POST' });
    expect(next.status).toBe(200);
  });

  it('a client that disconnects mid-import: its child is gone and its temp dir removed within a second', async () => {
    const { base, admission } = await serve('chunked', 2);
    const request = http.request(`${base}/import?records=2000&work=1000000`, { method: 'POST', agent: false });
    request.on('error', () => undefined); // we hang up ourselves
    request.end();
    const child = await waitFor(() => descendantsOf(process.pid)[0], 15_000);
    // The child's own socket directory, from its command line (other runs may create ipc-lab-* dirs).
    const tempDir = path.dirname(readFileSync(`/proc/${child}/cmdline`, 'utf8').split('\0').find((arg) => arg.endsWith('.sock')) ?? '');
    expect(existsSync(tempDir) && path.basename(tempDir).startsWith('ipc-lab-')).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 300)); // the import is under way
    expect(isAlive(child)).toBe(true);

    request.destroy();
    expect(await waitAllGone([child], 1000)).toEqual([]);
    await waitFor(() => (existsSync(tempDir) ? undefined : true), 1000);
    await waitFor(() => (admission.active === 0 ? true : undefined), 1000);
    expect(admission.snapshot()).toMatchObject({ admitted: 1, cancelled: 1, completed: 0, failed: 0 });
    // And the server serves on.
    expect((await fetch(`${base}/stations/3`)).status).toBe(200);
  });
});
