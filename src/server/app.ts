import http from 'node:http';
import { errorMessage } from '../format/error.js';
import { BASELINE_SEED, generateStations, makeIncoming, type Station } from '../workload/index.js';
import type { RunImport } from './import-job.js';
import { processMetrics } from './metrics.js';
import { parseImportParams, parseStationId } from './params.js';

export interface AppOptions {
  /** Size of the "database": the baseline data set served by GET /stations/:id. */
  stationCount: number;
  runImport: RunImport;
}

type Reply = (status: number, body: unknown) => void;

/** The HTTP app every scenario serves: light reads, the heavy import, and metrics. */
export function createApp({ stationCount, runImport }: AppOptions): http.Server {
  const database = generateStations(stationCount, BASELINE_SEED);
  // Baselines of other sizes, for imports of a size other than the database's; regenerating is
  // cheap next to the diff, caching keeps it off the measured path after the first import.
  const baselines = new Map<number, Station[]>([[stationCount, database]]);
  const baselineOf = (records: number): Station[] => {
    let baseline = baselines.get(records);
    if (!baseline) {
      baseline = generateStations(records, BASELINE_SEED);
      baselines.clear();
      baselines.set(stationCount, database).set(records, baseline);
    }
    return baseline;
  };

  const handleImport = async (url: URL, reply: Reply): Promise<void> => {
    const params = parseImportParams(url.searchParams, stationCount);
    if (!params.ok) return reply(params.status, { error: params.message });
    const { records, changes, seed, workPerRecord } = params.value;
    const startedMs = performance.now();
    const baseline = baselineOf(records);
    const incoming = makeIncoming(baseline, changes, seed);
    try {
      const outcome = await runImport({ incoming, baseline, baselineRecords: records, baselineSeed: BASELINE_SEED, workPerRecord });
      reply(200, { ...outcome, records, durationMs: Math.round(performance.now() - startedMs) });
    } catch (error: unknown) {
      // The import failed (child crashed, timed out, ...): say so with a 5xx and keep serving.
      reply(502, { error: `import failed: ${errorMessage(error)}`, durationMs: Math.round(performance.now() - startedMs) });
    }
  };

  const server = http.createServer((req, res) => {
    const reply: Reply = (status, body) => {
      if (res.headersSent) return;
      const text = JSON.stringify(body);
      res.writeHead(status, {
        'content-type': 'application/json; charset=utf-8',
        'content-length': Buffer.byteLength(text),
        'x-served-by': String(process.pid),
      });
      res.end(text);
    };
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://localhost');
    } catch {
      return reply(400, { error: 'malformed request target' });
    }
    const station = /^\/stations\/([^/]*)$/.exec(url.pathname);
    if (station) {
      if (req.method !== 'GET') return reply(405, { error: 'use GET /stations/:id' });
      const id = parseStationId(station[1] ?? '', stationCount);
      return id.ok ? reply(200, database[id.value - 1]) : reply(id.status, { error: id.message });
    }
    if (url.pathname === '/import') {
      if (req.method !== 'POST') return reply(405, { error: 'use POST /import?records=N&changes=F&seed=S' });
      req.resume(); // the import takes its parameters from the query; drain any body
      void handleImport(url, reply);
      return;
    }
    if (url.pathname === '/metrics') {
      if (req.method !== 'GET') return reply(405, { error: 'use GET /metrics' });
      return reply(200, processMetrics());
    }
    reply(404, { error: `no route ${req.method ?? ''} ${url.pathname}; try GET /stations/1, POST /import, GET /metrics` });
  });
  // The load driver keeps many connections open, each idle for seconds between its requests. With
  // Node's default 5 s keep-alive timeout the server closes connections just as a request is sent
  // on them, which shows up as errors that are the harness's fault, not the scenario's.
  server.keepAliveTimeout = 120_000;
  server.headersTimeout = 121_000;
  return server;
}
