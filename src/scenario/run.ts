import type { ImportPriority } from '../transports/common/priority.js';
import { asError, errorMessage } from '../format/error.js';
import { runLightLoad, type PhaseRecording } from '../load/driver.js';
import { downsampleTimeline, summarizePhase } from '../load/stats.js';
import { captureEnv } from '../results/env.js';
import { SCHEMA_VERSION, type ImportRecord, type Phase, type ScenarioResult } from '../results/schema.js';
import { busyWorkerStats } from './busy.js';
import { measureCapacity } from './capacity.js';
import type { ServeConfig } from '../server/contract.js';
import type { Handoff } from '../transports/types.js';
import type { QueueSettings } from '../transports/queue/settings.js';
import type { ScenarioDefinition } from './define.js';
import type { RunPhaseName, ScenarioEventListener } from './events.js';
import { runImports, type ImportEvent } from './imports.js';
import { pollLoopDelay } from './loop-poller.js';
import { startServerProcess, type ServerProcess } from './server-process.js';

/** Everything a scenario run needs, resolved and validated by the command. */
export interface ScenarioRunConfig {
  durationS: number;
  warmupS: number;
  rate: number;
  connections: number;
  records: number;
  imports: number;
  changes: number;
  workPerRecord: number;
  workers: number;
  reconnect: boolean;
  pool: boolean;
  host: string;
  port: number;
  importTimeoutS: number;
  childHeapMb: number | null;
  /**
   * How imports are scheduled where they run outside the HTTP process (children, worker-pool's
   * threads, the queue's local workers); normal as in the talk, and for single-thread and cluster.
   * Absent in results from before it existed: normal.
   */
  importPriority: ImportPriority;
  /** Seconds of each closed-loop capacity phase (idle, during imports); 0 skips them. */
  capacityS: number;
  capacityConnections: number;
  maxImports: number;
  /** Imports in flight at once (1: one after another, as the talk's users did). */
  concurrency: number;
  /** worker-pool only: the hand-off and the queue's length. */
  workerPool?: { handoff: Handoff; maxQueue: number };
  /** The queue scenario's options. */
  queue?: QueueSettings;
}

export interface RunHooks {
  /** Show a progress bar per phase (a terminal). */
  progress: boolean;
  /** One line per step, for a terminal; a no-op when piped. */
  log: (line: string) => void;
  signal: AbortSignal;
  /** Told what happens while the run goes (phases, every answer, imports, loop delay); must not throw. */
  onEvent?: ScenarioEventListener;
  /**
   * Poll the serving processes' /metrics this often for live event-loop delay ('loop-delay' events).
   * Off (undefined) for runs nobody watches: polling adds a few requests per second to the server.
   */
  loopDelayPollMs?: number;
  /** Extra environment for the server process: secrets (a Redis password), never recorded in results. */
  serverEnv?: NodeJS.ProcessEnv;
}

const TIMELINE_POINTS = 1500;
const LIGHT_REQUEST_TIMEOUT_S = 30;

/**
 * A Ctrl-C reaches the server too, and its exit may be seen before this process's own SIGINT
 * handler runs: give the signal a moment to arrive before calling a failure a failure.
 */
const INTERRUPT_GRACE_MS = 250;

function settle(signal: AbortSignal, ms: number): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}


/**
 * Start the scenario's server, warm up, measure light traffic alone (baseline), then light traffic
 * while imports run (underLoad). Always stops the server; an error still yields an errored result.
 */
export async function runScenario(
  scenario: ScenarioDefinition,
  config: ScenarioRunConfig,
  runId: string,
  hooks: RunHooks,
): Promise<ScenarioResult> {
  const startedAt = new Date().toISOString();
  const runStartMs = performance.now();
  const runClockMs = (): number => Math.round((performance.now() - runStartMs) * 1000) / 1000;
  const emit = hooks.onEvent ?? (() => {});
  let currentPhase: RunPhaseName = 'starting';
  const enterPhase = (phase: RunPhaseName, extra: { durationMs?: number; baseUrl?: string; pids?: number[] } = {}): void => {
    currentPhase = phase;
    emit({ type: 'phase', phase, tMs: runClockMs(), ...extra });
  };
  let stopPolling = (): void => {};
  const emitImport = (event: ImportEvent): void =>
    emit(
      event.type === 'start'
        ? { type: 'import-start', index: event.index, tMs: runClockMs() }
        : {
            type: 'import-end',
            index: event.index,
            tMs: runClockMs(),
            durationMs: event.record.durationMs,
            ok: event.record.ok,
            ...(event.record.error !== undefined ? { error: event.record.error } : {}),
          },
    );
  const base = {
    schemaVersion: SCHEMA_VERSION,
    kind: 'scenario' as const,
    scenario: scenario.id,
    runId,
    startedAt,
    env: captureEnv(),
    config: { ...config } as Record<string, unknown>,
  };
  const phases: { baseline?: Phase; underLoad?: Phase } = {};
  let server: ServerProcess | null = null;
  const serveConfig: ServeConfig = {
    host: config.host,
    port: config.port,
    records: config.records,
    workers: config.workers,
    pool: config.pool,
    importTimeoutMs: config.importTimeoutS * 1000,
    childHeapMb: config.childHeapMb,
    importPriority: config.importPriority,
    maxImports: config.maxImports,
    ...(config.workerPool ? { workerPool: config.workerPool } : {}),
    ...(config.queue ? { queue: config.queue } : {}),
  };
  try {
    enterPhase('starting');
    hooks.log(`starting ${scenario.id} server`);
    server = await startServerProcess(scenario.id, serveConfig, hooks.signal, hooks.serverEnv);
    const baseUrl = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${server.port}`;
    const load = (durationS: number, holdOpen?: Promise<unknown>): Promise<PhaseRecording> =>
      runLightLoad(
        {
          baseUrl,
          stationCount: config.records,
          rate: config.rate,
          connections: config.connections,
          durationMs: durationS * 1000,
          reconnect: config.reconnect,
          progress: hooks.progress,
          // Long enough that a request stuck behind a whole import is measured, not dropped.
          timeoutS: LIGHT_REQUEST_TIMEOUT_S,
          ...(holdOpen ? { holdOpen } : {}),
          onSample: (sample) =>
            emit({
              type: 'request',
              phase: currentPhase,
              // The answer just arrived: its send time on the run clock is now minus its latency.
              tMs: Math.max(0, Math.round((runClockMs() - sample.latencyMs) * 1000) / 1000),
              latencyMs: sample.latencyMs,
              pid: sample.pid,
              status: sample.status,
            }),
        },
        hooks.signal,
      );
    const running = server;
    // After every step: an interrupted run or a server that died makes the run errored, never a
    // "completed" run whose light requests all failed.
    const checkAborted = (): void => {
      if (hooks.signal.aborted) throw asError(hooks.signal.reason ?? 'aborted');
      const lost = running.lostReason();
      if (lost !== null) throw new Error(lost);
    };

    hooks.log(`serving ${baseUrl} (pids ${server.pids.join(', ')}); warm-up ${config.warmupS} s, not recorded`);
    if (hooks.loopDelayPollMs !== undefined) {
      stopPolling = pollLoopDelay(baseUrl, hooks.loopDelayPollMs, ({ pid, delayMs }) =>
        emit({ type: 'loop-delay', tMs: runClockMs(), pid, delayMs }),
      );
    }
    enterPhase('warmup', { durationMs: config.warmupS * 1000, baseUrl, pids: server.pids });
    if (config.warmupS > 0) await load(config.warmupS);
    checkAborted();

    hooks.log(`baseline: light traffic only, ${config.durationS} s at ${config.rate} req/s`);
    await server.resetMetrics();
    enterPhase('baseline', { durationMs: config.durationS * 1000 });
    phases.baseline = summarizePhase(await load(config.durationS));
    checkAborted();

    hooks.log(`under load: light traffic while ${config.imports} import(s) of ${config.records} records run, ${config.concurrency} at a time`);
    await server.resetMetrics();
    enterPhase('underLoad', { durationMs: config.durationS * 1000 });
    const importsStartEpochMs = Date.now();
    const importsStartMs = performance.now();
    const importsRun = runImports(
      {
        baseUrl,
        count: config.imports,
        concurrency: config.concurrency,
        records: config.records,
        changes: config.changes,
        workPerRecord: config.workPerRecord,
        phaseMs: config.durationS * 1000,
        timeoutMs: config.importTimeoutS * 1000,
        onImport: emitImport,
      },
      importsStartMs,
      hooks.signal,
    );
    // The phase contains every import it starts: when they take longer than planned, it runs on
    // until the last one ends (and records by how much: phases.underLoad.extendedByMs).
    const [recording, rawImports] = await Promise.all([load(config.durationS, importsRun), importsRun]);
    checkAborted();
    // Put imports on the light traffic's clock: both are relative to the under-load phase start.
    const shiftMs = importsStartEpochMs - recording.startedAtEpochMs;
    const imports: ImportRecord[] = rawImports.map((imp) => ({ ...imp, startedAtMs: imp.startedAtMs + shiftMs }));
    phases.underLoad = summarizePhase(recording);
    // Collected before the capacity phases, so the event-loop figures are the under-load phase's.
    const { eventLoop, peakRssBytes } = await server.collectMetrics();
    const capacity =
      config.capacityS > 0
        ? await measureCapacity(
            {
              baseUrl,
              records: config.records,
              changes: config.changes,
              workPerRecord: config.workPerRecord,
              connections: config.capacityConnections,
              durationS: config.capacityS,
              importTimeoutMs: config.importTimeoutS * 1000,
              requestTimeoutS: LIGHT_REQUEST_TIMEOUT_S,
              servingPids: server.pids,
            },
            {
              progress: hooks.progress,
              log: hooks.log,
              signal: hooks.signal,
              checkAborted,
              onPhase: (phase) => enterPhase(phase, { durationMs: config.capacityS * 1000 }),
              onImport: emitImport,
            },
          )
        : undefined;
    // What became of every import the server was asked for during the whole run (the runner's,
    // the capacity phase's, any a user sent meanwhile): counted from its start, never reset.
    const { admission } = await server.collectMetrics();
    return {
      ...base,
      state: 'completed',
      finishedAt: new Date().toISOString(),
      phases: { baseline: phases.baseline, underLoad: phases.underLoad },
      imports,
      eventLoop,
      admission,
      ...(peakRssBytes ? { peakRssBytes } : {}),
      timeline: downsampleTimeline(recording.samples, TIMELINE_POINTS),
      busyWorker: busyWorkerStats(recording.samples, imports),
      events: [...server.events],
      ...(capacity ? { capacity } : {}),
    };
  } catch (thrown: unknown) {
    // Interrupted, whatever failed because of it (a server that got the Ctrl-C while starting): say
    // that the run was interrupted, not what broke on the way down.
    await settle(hooks.signal, INTERRUPT_GRACE_MS);
    const error = hooks.signal.aborted ? asError(hooks.signal.reason ?? 'aborted') : thrown;
    return {
      ...base,
      state: 'errored',
      finishedAt: new Date().toISOString(),
      error: errorMessage(error),
      phases,
      events: server ? [...server.events] : [],
    };
  } finally {
    stopPolling();
    enterPhase('stopping');
    await server?.stop();
  }
}
