import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { importOutcome, runImports } from '../../src/scenario/imports.js';

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
      const plan = { baseUrl: `http://127.0.0.1:${port}`, count: 1, records: 10, changes: 0.1, workPerRecord: 0, phaseMs: 10, timeoutMs: 5000 };
      const [record] = await runImports(plan, performance.now(), new AbortController().signal);
      expect(record).toMatchObject({ ok: false, bytesToWorker: 0, bytesFromWorker: 0, error: 'HTTP 200 with an unreadable body (not a JSON object)' });
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
