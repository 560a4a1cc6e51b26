import http from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { ImportAdmission } from '../../src/server/admission.js';
import { createApp } from '../../src/server/app.js';
import type { ServeConfig } from '../../src/server/contract.js';
import { poolImports } from '../../src/server/offload.js';
import { closeServer, listen } from '../../src/server/serve.js';
import { workerPoolTransport, type PoolPeer } from '../../src/transports/worker-pool/parent.js';
import type { Transport, TransportPeer } from '../../src/transports/types.js';

// The HTTP app with its imports on a real piscina pool in this process: what the worker-pool
// scenario's server process runs, minus the process around it.

const RECORDS = 2000;

const config = (overrides: Partial<ServeConfig> = {}): ServeConfig => ({
  host: '127.0.0.1',
  port: 0,
  records: RECORDS,
  workers: 1,
  pool: false,
  importTimeoutMs: 60_000,
  childHeapMb: null,
  importPriority: 'normal',
  maxImports: 100,
  workerPool: { handoff: 'clone', maxQueue: 4 },
  ...overrides,
});

let stopServing: (() => Promise<void>) | null = null;
afterEach(async () => {
  await stopServing?.();
  stopServing = null;
});

/**
 * Serves with a pool; `faults` swaps the payload of the n-th exchange (0-based) for one the worker
 * cannot diff (bytes, not records): the job then throws in the worker, as a bug in an import would.
 */
async function serve(serveConfig: ServeConfig, faults: number[] = []): Promise<{ base: string; admission: ImportAdmission; pool: () => PoolPeer }> {
  let pool: PoolPeer | null = null;
  let exchanges = 0;
  const transport: Transport = {
    ...workerPoolTransport,
    start: async (options) => {
      const peer = (await workerPoolTransport.start(options)) as PoolPeer;
      pool = peer;
      const faulty: TransportPeer = {
        pid: peer.pid,
        exchange: (job, payload, signal) => peer.exchange(job, faults.includes(exchanges++) ? { kind: 'bytes', bytes: Buffer.from('not records') } : payload, signal),
        close: () => peer.close(),
      };
      return faulty;
    },
  };
  const offload = await poolImports(transport, serveConfig);
  const admission = new ImportAdmission(serveConfig.maxImports);
  const server = createApp({ stationCount: RECORDS, runImport: offload.runImport, admission });
  const port = await listen(server, '127.0.0.1', 0);
  stopServing = async () => {
    await closeServer(server);
    await offload.close();
  };
  return { base: `http://127.0.0.1:${port}`, admission, pool: () => pool as unknown as PoolPeer };
}

interface ImportAnswer {
  status: number;
  retryAfter: string | null;
  body: { error?: string; workerPid?: number; queuedMs?: number; bytesToWorker?: number; counts?: unknown; transferBlockMs?: number };
}

async function postImport(base: string, query: string): Promise<ImportAnswer> {
  const res = await fetch(`${base}/import?${query}`, { method: 'POST' });
  return { status: res.status, retryAfter: res.headers.get('retry-after'), body: (await res.json()) as ImportAnswer['body'] };
}

async function waitFor(check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('not reached in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('imports on a worker pool', () => {
  it('runs the diff on a worker thread of the serving process, and says how long it queued', async () => {
    const { base } = await serve(config());
    const answer = await postImport(base, `records=${RECORDS}&changes=0.1&seed=1&work=0`);
    expect(answer.status).toBe(200);
    expect(answer.body.counts).toEqual({ added: 50, changed: 100, deleted: 50, unchanged: 1850 });
    expect(answer.body.workerPid).toBe(process.pid);
    expect(answer.body.bytesToWorker).toBeGreaterThan(100_000);
    expect(answer.body.queuedMs).toBeGreaterThanOrEqual(0);
    expect(answer.body.transferBlockMs).toBeGreaterThanOrEqual(0);
  });

  it('a full queue answers 503 with Retry-After (nothing handed to a worker), and the next import is taken', async () => {
    // One worker, a queue of one, and an admission limit above both: the pool's own bound refuses.
    const { base, admission } = await serve(config({ workerPool: { handoff: 'bytes', maxQueue: 1 } }));
    const answers = await Promise.all([1, 2, 3].map((seed) => postImport(base, `records=${RECORDS}&work=60000&seed=${seed}`)));
    expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 503]);
    const refused = answers.find((a) => a.status === 503)!;
    expect(refused.body.error).toBe('worker-pool busy: all 1 worker(s) at work and 1 import(s) queued (--max-queue 1)');
    expect(Number(refused.retryAfter)).toBeGreaterThanOrEqual(1);
    expect(admission.snapshot()).toMatchObject({ admitted: 3, completed: 2, refused: 1, failed: 0 });
    // Of the two taken, one waited for the other's whole run.
    const queued = answers.filter((a) => a.status === 200).map((a) => a.body.queuedMs ?? -1);
    expect(Math.max(...queued)).toBeGreaterThan(Math.min(...queued));
    expect((await postImport(base, `records=${RECORDS}&work=0&seed=9`)).status).toBe(200);
  });

  it('a job that throws in its worker fails that import with a 502 naming the error; the next import succeeds', async () => {
    const { base, pool } = await serve(config(), [0]);
    const threads = pool().threadIds();
    const failed = await postImport(base, `records=${RECORDS}&work=0&seed=1`);
    expect(failed.status).toBe(502);
    expect(failed.body.error).toBe("import failed: worker-pool: job 'diff' needs a 'records' payload, got 'bytes'");
    expect((await postImport(base, `records=${RECORDS}&work=0&seed=2`)).status).toBe(200);
    expect(pool().threadIds()).toEqual(threads); // a throw does not cost the worker
    expect((await fetch(`${base}/stations/5`)).status).toBe(200);
  });

  it('a worker that runs out of memory fails that import with a 502 naming it; the pool replaces it and the next import succeeds', async () => {
    // A 16 MB heap per worker (resourceLimits) holds a 2000-record import but not a 60,000-record one.
    const { base, pool } = await serve(config({ childHeapMb: 16 }));
    const [thread] = pool().threadIds();
    const failed = await postImport(base, 'records=60000&work=0&seed=1');
    expect(failed.status).toBe(502);
    expect(failed.body.error).toMatch(/^import failed: worker-pool: a worker ran out of memory \(.*JS heap out of memory\); the pool replaces it$/);
    const next = await postImport(base, `records=${RECORDS}&work=0&seed=2`);
    expect(next.status).toBe(200);
    expect(pool().threadIds()).toHaveLength(1);
    expect(pool().threadIds()).not.toEqual([thread]);
  }, 60_000);

  it('a client that goes away while its import is queued: the task leaves the queue, no worker is ended', async () => {
    const { base, admission, pool } = await serve(config());
    const threads = pool().threadIds();
    const running = postImport(base, `records=${RECORDS}&work=100000&seed=1`);
    await waitFor(() => admission.active === 1, 10_000);
    const request = http.request(`${base}/import?records=${RECORDS}&work=0&seed=2`, { method: 'POST', agent: false });
    request.on('error', () => undefined); // we hang up ourselves
    request.end();
    await waitFor(() => admission.active === 2, 10_000);
    request.destroy();
    await waitFor(() => admission.snapshot().cancelled === 1, 2_000);
    expect(admission.active).toBe(1); // only the running import is left
    expect((await running).status).toBe(200);
    expect(admission.snapshot()).toMatchObject({ admitted: 2, completed: 1, cancelled: 1, failed: 0 });
    expect(pool().threadIds()).toEqual(threads);
  }, 60_000);
});
