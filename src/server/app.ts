import http from 'node:http';
import { errorMessage } from '../format/error.js';
import { BASELINE_SEED, generateStations, makeIncoming, type Station } from '../workload/index.js';
import { ImportAdmission, ImportRefusedError } from './admission.js';
import { ImportFailedError, type RunImport } from './import-job.js';
import { processMetrics } from './metrics.js';
import { parseImportParams, parseStationId } from './params.js';

export interface AppOptions {
  /** Size of the "database": the baseline data set served by GET /stations/:id. */
  stationCount: number;
  runImport: RunImport;
  /** Bounds the imports in flight; default: one at a time. */
  admission?: ImportAdmission;
}

type Reply = (status: number, body: unknown, headers?: Record<string, string>) => void;

/** The HTTP app every scenario serves: light reads, the heavy import, and metrics. */
export function createApp({ stationCount, runImport, admission = new ImportAdmission(1) }: AppOptions): http.Server {
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

  const refuse = (reply: Reply, message: string, retryAfterS: number): void =>
    reply(503, { error: message, retryAfterS }, { 'retry-after': String(retryAfterS) });

  const handleImport = async (url: URL, reply: Reply, clientGone: AbortSignal): Promise<void> => {
    const params = parseImportParams(url.searchParams, stationCount);
    if (!params.ok) return reply(params.status, { error: params.message });
    // Before any work: a refused import costs the server nothing.
    const ticket = admission.tryAdmit();
    if (ticket === null) {
      return refuse(reply, `busy: ${admission.limit} import(s) in flight, the most this server takes at once; retry later`, admission.retryAfterS());
    }
    const { records, changes, seed, workPerRecord } = params.value;
    const startedMs = performance.now();
    try {
      const baseline = baselineOf(records);
      const incoming = makeIncoming(baseline, changes, seed);
      clientGone.throwIfAborted();
      const outcome = await runImport({ incoming, baseline, baselineRecords: records, baselineSeed: BASELINE_SEED, workPerRecord }, clientGone);
      admission.release(ticket, 'completed');
      const { queueDetails, ...rest } = outcome;
      reply(200, { ...rest, ...queueDetails, records, durationMs: Math.round(performance.now() - startedMs) });
    } catch (error: unknown) {
      // Nobody is left to answer: the work was stopped (RunImport's contract), count it.
      if (clientGone.aborted) return admission.release(ticket, 'cancelled');
      if (error instanceof ImportRefusedError) {
        admission.release(ticket, 'refused');
        return refuse(reply, error.message, error.retryAfterS);
      }
      admission.release(ticket, 'failed');
      // The import failed (child crashed, timed out, ...): say so with a 5xx and keep serving.
      const details = error instanceof ImportFailedError ? error.details : {};
      reply(502, { error: `import failed: ${errorMessage(error)}`, ...details, durationMs: Math.round(performance.now() - startedMs) });
    }
  };

  const server = http.createServer((req, res) => {
    const reply: Reply = (status, body, headers = {}) => {
      if (res.headersSent || res.destroyed) return;
      const text = JSON.stringify(body);
      res.writeHead(status, {
        ...headers,
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
      // The connection closed before the answer was sent: the client gave up on this import.
      const clientGone = new AbortController();
      res.once('close', () => {
        if (!res.writableFinished) clientGone.abort(new Error('the client went away'));
      });
      void handleImport(url, reply, clientGone.signal);
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
