import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { openConnections } from './connections.js';
import { OpenLoopPacer } from './pacer.js';
import { PhaseProgress } from './progress.js';
import type { LightLoadOptions, PhaseRecording, RequestSample } from './types.js';

export type { LightLoadOptions, PhaseRecording, RequestSample } from './types.js';

const FINISH_CHECK_MS = 10;
const DEFAULT_HOLD_TAIL_MS = 500;

/**
 * One connection: a keep-alive Agent with a single socket, so the pacer's least-recently-used choice
 * spreads requests over every connection as a fixed pool would (one shared Agent reuses a single free
 * socket while answers are fast, and under cluster that socket's worker would get every request).
 * With reconnect there is no agent: a new connection per request.
 */
interface Connection {
  agent: http.Agent | false;
}

function validate(options: LightLoadOptions): void {
  const positive = (name: string, value: number, integer = false) => {
    if (!Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value))) {
      throw new RangeError(`options.${name} must be a positive ${integer ? 'integer' : 'number'}, got ${value}`);
    }
  };
  positive('stationCount', options.stationCount, true);
  positive('rate', options.rate);
  positive('connections', options.connections, true);
  positive('durationMs', options.durationMs);
  if (options.timeoutS !== undefined) positive('timeoutS', options.timeoutS);
  if (!/^http:\/\//.test(options.baseUrl)) throw new RangeError(`options.baseUrl must be an http URL, got ${options.baseUrl}`);
}

const roundMs = (ms: number) => Math.round(ms * 1000) / 1000;

/** The pid in `x-served-by`; null if absent or not a positive integer. */
export function servedByPid(header: string | string[] | undefined): number | null {
  const pid = Number(Array.isArray(header) ? header[0] : header);
  return Number.isInteger(pid) && pid > 0 ? pid : null;
}

/**
 * Drives `GET /stations/:id` at options.rate requests per second for options.durationMs, open loop
 * (see OpenLoopPacer), through node:http's public API on `connections` keep-alive connections, or a
 * fresh connection per request with `reconnect`. Every answer is recorded here: latency from the intended send time, status and the
 * `x-served-by` pid. After the sending window the driver waits (at most timeoutS) for the answers still
 * outstanding; what is then still unanswered counts as a timeout. Aborting `signal` closes every socket
 * and rejects with the signal's reason.
 */
export async function runLightLoad(options: LightLoadOptions, signal?: AbortSignal): Promise<PhaseRecording> {
  validate(options);
  signal?.throwIfAborted();
  const timeoutMs = (options.timeoutS ?? 10) * 1000;
  const recording: PhaseRecording = {
    startedAtEpochMs: 0,
    durationMs: options.durationMs,
    plannedDurationMs: options.durationMs,
    samples: [],
    errors: 0,
    timeouts: 0,
  };
  const base = new URL(options.baseUrl);
  const host = base.hostname.replace(/^\[|\]$/g, '');
  const port = Number(base.port || 80);
  const connections: Connection[] = options.reconnect
    ? Array.from({ length: options.connections }, () => ({ agent: false }))
    : (await openConnections(host, port, options.connections, timeoutMs)).map((agent) => ({ agent }));
  const closeConnections = () => {
    for (const connection of connections) if (connection.agent) connection.agent.destroy();
  };
  if (signal?.aborted) {
    closeConnections();
    throw signal.reason;
  }
  const outstanding = new Set<http.ClientRequest>();
  let startMs = 0;
  const nowMs = () => roundMs(performance.now() - startMs);
  let closed = false;
  let nextStationId = 0;

  const send = (connection: Connection, dueAtMs: number): void => {
    nextStationId = (nextStationId % options.stationCount) + 1;
    let settled = false;
    let timedOut = false;
    const settle = (sample: RequestSample | null): void => {
      if (settled) return;
      settled = true;
      outstanding.delete(request);
      if (closed) return;
      if (sample) {
        recording.samples.push(sample);
        options.onSample?.(sample);
      } else {
        recording.errors += 1;
        if (timedOut) recording.timeouts += 1;
      }
      pacer.markIdle(connection);
    };
    const request = http.request({
      host,
      port,
      path: `/stations/${nextStationId}`,
      method: 'GET',
      agent: connection.agent,
      timeout: timeoutMs,
    });
    outstanding.add(request);
    request.on('response', (response) => {
      const pid = servedByPid(response.headers['x-served-by']);
      response.resume();
      response.on('end', () => {
        const completedAtMs = nowMs();
        settle({ sentAtMs: roundMs(dueAtMs), completedAtMs, latencyMs: roundMs(completedAtMs - dueAtMs), pid, status: response.statusCode ?? null });
      });
      response.on('error', () => settle(null));
    });
    request.on('timeout', () => {
      timedOut = true;
      request.destroy(new Error(`no answer within ${timeoutMs} ms`));
    });
    request.on('error', () => settle(null));
    request.end();
  };

  // Held open: the window has no end until the held work settles, then ends a tail later (never
  // before durationMs). Measured on this phase's own clock, so the extension is exact.
  let endMs = options.holdOpen ? Number.POSITIVE_INFINITY : options.durationMs;
  const pacer = new OpenLoopPacer<Connection>(1000 / options.rate, endMs, nowMs, send);
  const release = (): void => {
    if (endMs !== Number.POSITIVE_INFINITY) return;
    endMs = Math.max(options.durationMs, (startMs === 0 ? 0 : nowMs()) + (options.holdTailMs ?? DEFAULT_HOLD_TAIL_MS));
    pacer.endAt(endMs);
  };
  options.holdOpen?.then(release, release);
  const progress = options.progress ? new PhaseProgress(options.durationMs, () => ({ elapsedMs: nowMs(), answered: recording.samples.length, errors: recording.errors })) : null;

  recording.startedAtEpochMs = Date.now();
  startMs = performance.now();
  for (const connection of connections) pacer.markIdle(connection);
  pacer.start();
  progress?.start();

  const aborted = await new Promise<boolean>((resolve) => {
    const check = setInterval(() => {
      const now = nowMs();
      const drained = now >= endMs && pacer.scheduleDone && pacer.waiting === 0 && outstanding.size === 0;
      if (drained || now >= endMs + timeoutMs) finish(false);
    }, FINISH_CHECK_MS);
    const onAbort = () => finish(true);
    const finish = (wasAborted: boolean) => {
      clearInterval(check);
      signal?.removeEventListener('abort', onAbort);
      resolve(wasAborted);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });

  // Everything still owed or outstanding at the end was not answered within the timeout.
  const unanswered = pacer.stop() + outstanding.size;
  closed = true;
  progress?.stop();
  for (const request of outstanding) request.destroy();
  closeConnections();
  if (aborted) throw signal?.reason ?? new Error('aborted');
  recording.durationMs = endMs;
  recording.errors += unanswered;
  recording.timeouts += unanswered;
  recording.samples.sort((a, b) => a.completedAtMs - b.completedAtMs);
  return recording;
}
