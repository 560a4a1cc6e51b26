import type http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/server/app.js';
import { runInline } from '../../src/server/inline.js';
import { closeServer, listen } from '../../src/server/serve.js';

let server: http.Server;
let base: string;

beforeAll(async () => {
  server = createApp({ stationCount: 200, runImport: runInline });
  base = `http://127.0.0.1:${await listen(server, '127.0.0.1', 0)}`;
});
afterAll(() => closeServer(server));

async function call(path: string, method = 'GET'): Promise<{ status: number; body: Record<string, unknown>; servedBy: string | null }> {
  const res = await fetch(`${base}${path}`, { method });
  return { status: res.status, body: (await res.json()) as Record<string, unknown>, servedBy: res.headers.get('x-served-by') };
}

describe('HTTP app', () => {
  it('serves a station with x-served-by', async () => {
    const res = await call('/stations/1');
    expect(res.status).toBe(200);
    expect(res.servedBy).toBe(String(process.pid));
    expect(res.body).toMatchObject({ id: 1, code: 'A00001' });
  });

  it('answers an import with the diff summary', async () => {
    const res = await call('/import?records=100&changes=0.4&seed=3&work=0', 'POST');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      counts: { added: 10, changed: 20, deleted: 10, unchanged: 70 },
      changedRecords: 30,
      bytesToWorker: 0,
      bytesFromWorker: 0,
      workerPid: process.pid,
      records: 100,
    });
  });

  it('answers bad requests with 4xx and keeps serving', async () => {
    const bad: [string, string, number][] = [
      ['/stations/abc', 'GET', 400],
      ['/stations/-1', 'GET', 400],
      ['/stations/201', 'GET', 404],
      ['/stations/1', 'POST', 405],
      ['/import?records=-5', 'POST', 400],
      ['/import?records=abc', 'POST', 400],
      ['/import?records=100000000', 'POST', 400],
      ['/import?changes=7', 'POST', 400],
      ['/import', 'GET', 405],
      ['/nowhere', 'GET', 404],
      ['/stations/%E0%A4%A', 'GET', 400],
    ];
    for (const [path, method, status] of bad) {
      const res = await call(path, method);
      expect(res.status, `${method} ${path}`).toBe(status);
      expect(typeof res.body.error).toBe('string');
      expect(res.servedBy).toBe(String(process.pid));
    }
    expect((await call('/stations/200')).status).toBe(200);
  });

  it('reports metrics', async () => {
    const res = await call('/metrics');
    expect(res.status).toBe(200);
    expect(res.body.pid).toBe(process.pid);
    expect(res.body).toHaveProperty('eventLoopDelay.p99Ms');
    expect(typeof res.body.rssBytes).toBe('number');
  });
});
