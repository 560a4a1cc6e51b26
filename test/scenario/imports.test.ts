import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { importOutcome, plannedStartMs, runImports } from '../../src/scenario/imports.js';

describe('import outcome', () => {
  it('records a 200 with the bytes moved as ok, anything else as failed with the reason', () => {
    expect(importOutcome(200, { bytesToWorker: 10, bytesFromWorker: 5, workerPid: 7, transferBlockMs: 1.5 })).toEqual({
      bytesToWorker: 10,
      bytesFromWorker: 5,
      ok: true,
      workerPid: 7,
      transferBlockMs: 1.5,
    });
    expect(importOutcome(502, { error: 'import failed: child crashed' })).toEqual({
      bytesToWorker: 0,
      bytesFromWorker: 0,
      ok: false,
      error: 'HTTP 502: import failed: child crashed',
    });
    expect(importOutcome(200, null)).toEqual({
      bytesToWorker: 0,
      bytesFromWorker: 0,
      ok: false,
      error: 'HTTP 200 with an unreadable body (not a JSON object)',
    });
    expect(importOutcome(200, {})).toMatchObject({ ok: false, error: 'HTTP 200 without the bytes moved' });
  });

  it('an import answered 200 with a body cut short is a failed import, not an ok one with 0 bytes', async () => {
    const server = http.createServer((req, res) => {
      req.resume();
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"bytesToWorker": 10, "bytesFr');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const plan = { baseUrl: `http://127.0.0.1:${port}`, count: 1, concurrency: 1, records: 10, changes: 0.1, workPerRecord: 0, phaseMs: 10, timeoutMs: 5000 };
      const [record] = await runImports(plan, performance.now(), new AbortController().signal);
      expect(record).toMatchObject({ ok: false, bytesToWorker: 0, bytesFromWorker: 0, error: 'HTTP 200 with an unreadable body (not a JSON object)' });
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});

describe('imports in flight (--concurrency)', () => {
  it('plans waves of K imports over 10%..90% of the phase; K = 1 is one after another', () => {
    expect([0, 1, 2, 3].map((i) => plannedStartMs(i, 4, 1, 10_000))).toEqual([1000, 3000, 5000, 7000]);
    expect([0, 1, 2, 3].map((i) => plannedStartMs(i, 4, 2, 10_000))).toEqual([1000, 1000, 5000, 5000]);
    expect([0, 1, 2, 3, 4].map((i) => plannedStartMs(i, 5, 4, 10_000))).toEqual([1000, 1000, 1000, 1000, 5000]);
  });

  it('keeps exactly K imports in flight at once, never more, and returns them in start order', async () => {
    let inFlight = 0;
    let most = 0;
    const server = http.createServer((req, res) => {
      req.resume();
      inFlight++;
      most = Math.max(most, inFlight);
      setTimeout(() => {
        inFlight--;
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ bytesToWorker: 1, bytesFromWorker: 1 }));
      }, 150);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const plan = { baseUrl: `http://127.0.0.1:${port}`, count: 6, concurrency: 3, records: 10, changes: 0.1, workPerRecord: 0, phaseMs: 10, timeoutMs: 5000 };
      const records = await runImports(plan, performance.now(), new AbortController().signal);
      expect(records).toHaveLength(6);
      expect(records.every((r) => r.ok)).toBe(true);
      expect(most).toBe(3);
      expect(records.map((r) => r.startedAtMs)).toEqual([...records.map((r) => r.startedAtMs)].sort((a, b) => a - b));
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
