import autocannon from 'autocannon';
import { performance } from 'node:perf_hooks';
import type { LatencySummaryMs } from '../results/schema.js';
import { servedByPid } from './driver.js';

export interface CapacityOptions {
  /** e.g. `http://127.0.0.1:41234` */
  baseUrl: string;
  /** Requests go to `/stations/1` .. `/stations/<stationCount>`, round robin over all connections. */
  stationCount: number;
  /** Keep-alive connections, each sending its next request as soon as the previous one is answered. */
  connections: number;
  /** Whole seconds: the per-second series has one value per second. */
  durationS: number;
  /** autocannon's per-request timeout, seconds. Default 10. */
  timeoutS?: number;
  /** Show autocannon's progress bar on stderr. */
  progress: boolean;
}

/** One autocannon connection: who answered it, and when. */
export interface ConnectionAnswers {
  /** The pid in `x-served-by` of its latest answer (a keep-alive connection stays with one process). */
  pid: number | null;
  /** Completion times, ms since the phase start, ascending. */
  answeredAtMs: number[];
}

/** What one closed-loop phase measured; the scenario runner turns it into the results' Capacity. */
export interface CapacityRecording {
  /** performance.now() when the phase started, to put other events on its clock. */
  startedAtPerfMs: number;
  durationMs: number;
  connections: number;
  /** Answers of any status. */
  requests: number;
  /** From autocannon's `tick` event: answers completed in each second of the phase. */
  requestsPerSecond: number[];
  /** autocannon's own histogram: closed loop, time from sending to the answer on a free connection. */
  closedLoopLatencyMs: LatencySummaryMs;
  errors: number;
  timeouts: number;
  non2xx: number;
  requestsByPid: Record<string, number>;
  perConnection: ConnectionAnswers[];
  /** User + system CPU time of this process (the load generator) during the phase. */
  loadGeneratorCpuMs: number;
}

function validate(options: CapacityOptions): void {
  const positiveInteger = (name: string, value: number) => {
    if (!Number.isInteger(value) || value <= 0) throw new RangeError(`options.${name} must be a positive integer, got ${value}`);
  };
  positiveInteger('stationCount', options.stationCount);
  positiveInteger('connections', options.connections);
  positiveInteger('durationS', options.durationS);
  if (options.timeoutS !== undefined && !(options.timeoutS > 0)) throw new RangeError(`options.timeoutS must be a positive number, got ${options.timeoutS}`);
  if (!/^http:\/\//.test(options.baseUrl)) throw new RangeError(`options.baseUrl must be an http URL, got ${options.baseUrl}`);
}

const roundMs = (ms: number) => Math.round(ms * 1000) / 1000;

/**
 * As many light requests as the server takes on `connections` keep-alive connections for durationS
 * seconds: autocannon's own closed loop, through its public API only (options, `setupClient` with
 * `client.setRequests`, `onResponse`, the `tick` event, the result). No rate is set, so autocannon
 * applies no coordinated-omission correction: its latencies are closed-loop and labelled so.
 * Ends on time however overloaded the server is: autocannon stops after durationS and drops what is
 * still outstanding. Aborting `signal` stops it and rejects with the signal's reason.
 */
export async function runCapacity(options: CapacityOptions, signal?: AbortSignal): Promise<CapacityRecording> {
  validate(options);
  signal?.throwIfAborted();
  let nextStationId = 0;
  const setupRequest = (request: autocannon.Request): autocannon.Request => {
    nextStationId = (nextStationId % options.stationCount) + 1;
    return { ...request, method: 'GET', path: `/stations/${nextStationId}` };
  };
  const perConnection: ConnectionAnswers[] = [];
  const requestsByPid: Record<string, number> = {};
  const requestsPerSecond: number[] = [];
  let startedAtPerfMs = 0;

  const cpuBefore = process.cpuUsage();
  startedAtPerfMs = performance.now();
  let instance: autocannon.Instance | undefined;
  const done = new Promise<autocannon.Result>((resolve, reject) => {
    instance = autocannon(
      {
        url: options.baseUrl,
        connections: options.connections,
        duration: options.durationS,
        timeout: options.timeoutS ?? 10,
        requests: [{ setupRequest }],
        // Each connection gets its own onResponse, so every answer is put on the connection it came on.
        setupClient: (client) => {
          const connection: ConnectionAnswers = { pid: null, answeredAtMs: [] };
          perConnection.push(connection);
          client.setRequests([
            {
              setupRequest,
              onResponse: (_status, _body, _context, headers) => {
                connection.answeredAtMs.push(roundMs(performance.now() - startedAtPerfMs));
                const pid = servedByPid(headerValue(headers, 'x-served-by'));
                connection.pid = pid;
                if (pid !== null) requestsByPid[String(pid)] = (requestsByPid[String(pid)] ?? 0) + 1;
              },
            },
          ]);
        },
      },
      (error: unknown, result: autocannon.Result) => (error ? reject(error) : resolve(result)),
    );
  });
  const running = instance as autocannon.Instance;
  // Emitted once a second with the answers counted since the previous tick; once more as it stops. On
  // busy cores a tick can come late, and the stopping tick then carries the phase's last answers:
  // those are folded into the last second rather than dropped.
  (running as NodeJS.EventEmitter).on('tick', (counts: { counter: number }) => {
    if (requestsPerSecond.length < options.durationS) requestsPerSecond.push(counts.counter);
    else requestsPerSecond[requestsPerSecond.length - 1]! += counts.counter;
  });
  if (options.progress) autocannon.track(running, { renderProgressBar: true, renderResultsTable: false, renderLatencyTable: false });
  const onAbort = () => running.stop();
  signal?.addEventListener('abort', onAbort, { once: true });
  let result: autocannon.Result;
  try {
    result = await done;
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
  const cpu = process.cpuUsage(cpuBefore);
  if (signal?.aborted) throw signal.reason;
  const latency = result.latency;
  return {
    startedAtPerfMs,
    durationMs: Math.round(result.duration * 1000),
    connections: options.connections,
    requests: result.requests.total,
    requestsPerSecond,
    closedLoopLatencyMs: { p50: latency.p50, p90: latency.p90, p99: latency.p99, p999: latency.p99_9, max: latency.max, mean: latency.mean },
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    requestsByPid,
    perConnection,
    loadGeneratorCpuMs: Math.round((cpu.user + cpu.system) / 1000),
  };
}

/** A header from autocannon's key-value headers, whatever the case of its name. */
function headerValue(headers: Record<string, unknown> | undefined, name: string): string | undefined {
  for (const [key, value] of Object.entries(headers ?? {})) {
    if (key.toLowerCase() !== name) continue;
    return Array.isArray(value) ? String(value[0]) : String(value);
  }
  return undefined;
}
