import type http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServeConfig } from '../../src/server/contract.js';
import { ImportAdmission } from '../../src/server/admission.js';
import { createApp } from '../../src/server/app.js';
import { offloadImports } from '../../src/server/offload.js';
import { getTransport } from '../../src/transports/registry.js';
import { closeServer, listen } from '../../src/server/serve.js';
import { descendantsOf, waitAllGone } from '../helpers/processes.js';

const config: ServeConfig = {
  host: '127.0.0.1',
  port: 0,
  records: 2000,
  workers: 1,
  pool: false,
  importTimeoutMs: 20_000,
  childHeapMb: null,
  importPriority: 'normal',
  maxImports: 2,
};

let server: http.Server;
let base: string;
let offload: ReturnType<typeof offloadImports>;

beforeAll(async () => {
  offload = offloadImports(getTransport('fork-json'), config);
  server = createApp({ stationCount: config.records, runImport: offload.runImport });
  base = `http://127.0.0.1:${await listen(server, '127.0.0.1', 0)}`;
});
afterAll(async () => {
  await closeServer(server);
  await offload.close();
});

describe('imports offloaded to a child', () => {
  it('runs the diff in a child and reports bytes both ways', async () => {
    const res = await fetch(`${base}/import?records=2000&changes=0.1&seed=1&work=0`, { method: 'POST' });
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body.counts).toEqual({ added: 50, changed: 100, deleted: 50, unchanged: 1850 });
    expect(body.workerPid).not.toBe(process.pid);
    expect(body.bytesToWorker).toBeGreaterThan(100_000);
    expect(body.bytesFromWorker).toBeGreaterThan(10_000);
  });

  it('a child killed mid-import gives a 5xx naming the signal, and light requests are still served', async () => {
    // Enough work per record that the child is still busy when it is killed.
    const pending = fetch(`${base}/import?records=2000&work=200000`, { method: 'POST' });
    let child: number | undefined;
    const deadline = Date.now() + 10_000;
    while (child === undefined && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      child = descendantsOf(process.pid).find((pid) => pid > 0);
    }
    expect(child).toBeDefined();
    await new Promise((resolve) => setTimeout(resolve, 300));
    process.kill(child as number, 'SIGKILL');
    const res = await pending;
    expect(res.status).toBe(502);
    const body = (await res.json()) as { error: string };
    expect(body.error).toMatch(/^import failed: .*SIGKILL/);
    expect(await waitAllGone([child as number])).toEqual([]);

    const light = await fetch(`${base}/stations/7`);
    expect(light.status).toBe(200);
    expect(((await light.json()) as { id: number }).id).toBe(7);
  });
});

describe('imports offloaded to a pooled child (--pool)', () => {
  it('reuses one child across imports and ends it on close', async () => {
    const pooled = offloadImports(getTransport('chunked'), { ...config, pool: true });
    const app = createApp({ stationCount: config.records, runImport: pooled.runImport });
    const url = `http://127.0.0.1:${await listen(app, '127.0.0.1', 0)}`;
    try {
      const pids: unknown[] = [];
      for (const seed of [1, 2]) {
        const res = await fetch(`${url}/import?records=2000&seed=${seed}&work=0`, { method: 'POST' });
        expect(res.status).toBe(200);
        pids.push(((await res.json()) as { workerPid: unknown }).workerPid);
      }
      expect(pids[0]).toBe(pids[1]);
      expect(pids[0]).not.toBe(process.pid);
      await closeServer(app);
      await pooled.close();
      expect(await waitAllGone([pids[0] as number])).toEqual([]);
    } finally {
      await closeServer(app);
      await pooled.close();
    }
  });

  it('two imports at once on the one child: the second waits its turn and says how long (queuedMs)', async () => {
    const pooled = offloadImports(getTransport('fork-json'), { ...config, pool: true });
    const app = createApp({ stationCount: config.records, runImport: pooled.runImport, admission: new ImportAdmission(2) });
    const url = `http://127.0.0.1:${await listen(app, '127.0.0.1', 0)}`;
    try {
      const post = async (seed: number): Promise<{ status: number; body: { queuedMs: number; workerPid: number }; ms: number }> => {
        const startedMs = performance.now();
        const res = await fetch(`${url}/import?records=2000&seed=${seed}&work=20000`, { method: 'POST' });
        return { status: res.status, body: (await res.json()) as { queuedMs: number; workerPid: number }, ms: performance.now() - startedMs };
      };
      const [first, second] = await Promise.all([post(1), post(2)]);
      expect([first?.status, second?.status]).toEqual([200, 200]);
      const [early, late] = [first!, second!].sort((a, b) => a.body.queuedMs - b.body.queuedMs);
      expect(early!.body.workerPid).toBe(late!.body.workerPid);
      // The later one was handed over only when the earlier one's exchange had ended.
      expect(late!.body.queuedMs).toBeGreaterThan(0.5 * (early!.ms - early!.body.queuedMs));
    } finally {
      await closeServer(app);
      await pooled.close();
    }
  });
});
