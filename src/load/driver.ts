import autocannon from 'autocannon';
import { performance } from 'node:perf_hooks';
import { asInternals, servedByPid } from './client-hook.js';
import { OpenLoopPacer } from './pacer.js';
import type { LightLoadOptions, PhaseRecording, RequestSample } from './types.js';

export type { LightLoadOptions, PhaseRecording, RequestSample } from './types.js';

/** While a connection waits for its next turn, autocannon's request timeout must not fire on it. */
const IDLE_TIMEOUT_MS = 86_400_000;
const FINISH_CHECK_MS = 10;

/** One autocannon connection as the pacer sees it. */
interface PacedConnection {
  send(dueAtMs: number): void;
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
  if (!/^https?:\/\//.test(options.baseUrl)) throw new RangeError(`options.baseUrl must be an http(s) URL, got ${options.baseUrl}`);
}

const roundMs = (ms: number) => Math.round(ms * 1000) / 1000;

/**
 * Drives `GET /stations/:id` at options.rate requests per second for options.durationMs, open loop
 * (see OpenLoopPacer), on autocannon's connections, and records every answer itself from the client
 * events: latency from the intended send time, status and the `x-served-by` pid. autocannon's own
 * histogram and coordinated-omission correction are not used. After the sending window the driver waits
 * (at most timeoutS) for the answers still outstanding; what is then still unanswered counts as a timeout.
 * Aborting `signal` stops autocannon and rejects with the signal's reason.
 */
export async function runLightLoad(options: LightLoadOptions, signal?: AbortSignal): Promise<PhaseRecording> {
  validate(options);
  signal?.throwIfAborted();
  const timeoutS = options.timeoutS ?? 10;
  const recording: PhaseRecording = { startedAtEpochMs: 0, durationMs: options.durationMs, samples: [], errors: 0, timeouts: 0 };
  let startMs = 0;
  const nowMs = () => roundMs(performance.now() - startMs);
  let inFlight = 0;
  let closed = false;
  let nextStationId = 0;

  const pacer = new OpenLoopPacer<PacedConnection>(1000 / options.rate, options.durationMs, nowMs, (c, dueAtMs) => c.send(dueAtMs));

  const setupClient = (raw: autocannon.Client) => {
    const client = asInternals(raw);
    const sendNow = client._doRequest.bind(client);
    let grantedDueAtMs: number | null = null;
    let inFlightDueAtMs: number | null = null;
    let connectionUsed = false;
    let lostJustNow = false;
    let lastHeaders: unknown;
    const connection: PacedConnection = {
      send(dueAtMs) {
        grantedDueAtMs = dueAtMs;
        // _resetConnection opens a fresh socket, whose connect calls _doRequest, which sends.
        if (options.reconnect && connectionUsed) client._resetConnection();
        else client._doRequest();
      },
    };
    // autocannon calls this whenever the connection could send; send only when the pacer says so.
    client._doRequest = () => {
      if (grantedDueAtMs !== null) {
        inFlightDueAtMs = grantedDueAtMs;
        grantedDueAtMs = null;
        connectionUsed = true;
        inFlight += 1;
        sendNow();
        return;
      }
      if (inFlightDueAtMs !== null) {
        // Called with a request outstanding: its connection ended, failed or timed out (a timeout
        // event follows synchronously). Forget it, and its stale entry in autocannon's queue.
        inFlightDueAtMs = null;
        inFlight -= 1;
        if (!closed) recording.errors += 1;
        lostJustNow = true;
        queueMicrotask(() => (lostJustNow = false));
        client.pipelinedRequests.clear();
      }
      client.timeoutTicker.reschedule(IDLE_TIMEOUT_MS);
      pacer.markIdle(connection);
    };
    client.on('headers', (info: unknown) => (lastHeaders = info));
    (client as NodeJS.EventEmitter).on('timeout', () => {
      if (lostJustNow && !closed) recording.timeouts += 1;
      lostJustNow = false;
    });
    client.on('response', (status: number) => {
      if (inFlightDueAtMs === null) return;
      const completedAtMs = nowMs();
      const sample: RequestSample = {
        sentAtMs: roundMs(inFlightDueAtMs),
        completedAtMs,
        latencyMs: roundMs(completedAtMs - inFlightDueAtMs),
        pid: servedByPid(lastHeaders),
        status,
      };
      inFlightDueAtMs = null;
      inFlight -= 1;
      if (!closed) recording.samples.push(sample);
    });
  };

  const autocannonOptions: autocannon.Options = {
    url: options.baseUrl,
    connections: options.connections,
    // An upper bound only: the driver stops autocannon itself once the answers are in.
    duration: Math.ceil(options.durationMs / 1000 + timeoutS) + 2,
    timeout: timeoutS,
    // No connectionRate/overallRate: the pacer sets the rate. autocannon's rate limiter would send in
    // bursts at the start of each second, and without a rate its coordinated-omission correction
    // (wrong at a rate, see DESIGN.md) never applies; autocannon even rejects
    // ignoreCoordinatedOmission without a rate.
    // Clients are destroyed on the next sample tick after stop(): keep that short.
    sampleInt: 100,
    setupClient,
    requests: [
      {
        setupRequest: (request) => {
          nextStationId = (nextStationId % options.stationCount) + 1;
          return { ...request, method: 'GET', path: `/stations/${nextStationId}` };
        },
      },
    ],
  };
  // The callback form returns the instance (stop, events) and calls back once autocannon is done.
  let instance: autocannon.Instance | undefined;
  const done = new Promise<void>((resolve, reject) => {
    instance = autocannon(autocannonOptions, (error: unknown) => (error ? reject(error) : resolve()));
  });
  if (options.progress && instance) {
    // track() reads the duration for its header and bar from instance.opts, a copy separate from the
    // one the run uses: show the phase length rather than the drain upper bound.
    const shown = (instance as autocannon.Instance & { opts?: { duration?: number } }).opts;
    if (shown) shown.duration = Math.ceil(options.durationMs / 1000);
    autocannon.track(instance, { renderProgressBar: true, renderResultsTable: false, renderLatencyTable: false });
  }

  recording.startedAtEpochMs = Date.now();
  startMs = performance.now();
  pacer.start();

  const outcome = await new Promise<{ aborted: boolean; error?: unknown }>((resolve) => {
    const deadlineMs = options.durationMs + timeoutS * 1000;
    const check = setInterval(() => {
      const now = nowMs();
      const drained = now >= options.durationMs && pacer.scheduleDone && pacer.waiting === 0 && inFlight === 0;
      if (drained || now >= deadlineMs) finish({ aborted: false });
    }, FINISH_CHECK_MS);
    const onAbort = () => finish({ aborted: true });
    const finish = (result: { aborted: boolean; error?: unknown }) => {
      clearInterval(check);
      signal?.removeEventListener('abort', onAbort);
      resolve(result);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    // autocannon ending on its own (bad options, or all clients gone) ends the phase too.
    done.then(
      () => finish({ aborted: false }),
      (error: unknown) => finish({ aborted: false, error }),
    );
  });

  // Everything still owed or outstanding at the end was not answered within the timeout.
  const unanswered = pacer.stop() + inFlight;
  if (!outcome.aborted) {
    recording.errors += unanswered;
    recording.timeouts += unanswered;
  }
  closed = true;
  if (outcome.error !== undefined) throw outcome.error;
  instance?.stop();
  await done;
  if (outcome.aborted) throw signal?.reason ?? new Error('aborted');
  recording.samples.sort((a, b) => a.completedAtMs - b.completedAtMs);
  return recording;
}
