import os from 'node:os';
import path from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { findScenario, scenarioIds, scenarios } from '../../scenarios/index.js';
import { projectRoot } from '../paths.js';
import { nodeDirName, resultPath, newRunId, writeJsonAtomic } from '../results/store.js';
import { renderScenarioSummary } from '../scenario/summary.js';
import { runScenario, type ScenarioRunConfig } from '../scenario/run.js';
import { DEFAULT_CHANGE_SHARE, DEFAULT_RECORDS, DEFAULT_WORK_PER_RECORD } from '../workload/index.js';
import { MAX_IMPORT_RECORDS, MAX_WORK_PER_RECORD } from '../server/params.js';
import { checkOutputDir } from './locations.js';
import { assertPortFree } from './port.js';
import { addQueueOptions, assertNoQueueOptions, DEFAULT_QUEUE_WORKERS, measureQueueScale, resolveQueueSettings, type QueueArgs } from './queue-options.js';
import { abortOnSignals, nextSignal } from './signals.js';
import { HANDOFFS, type Handoff } from '../transports/types.js';
import { IMPORT_PRIORITIES, LOW_NICE } from '../transports/common/priority.js';
import { offloadingScenarioIds, resolveImportPriority } from './import-priority.js';
import { parseChoice, parseNumber, resolveRunId, UsageError } from './usage.js';
import type { ScenarioEvent } from '../scenario/events.js';
import { buildCatalog, type OptionSpec } from '../web/catalog.js';
import { comparisonRow } from '../web/compare.js';
import { forwardToParent } from '../web/forward.js';
import { startLiveView } from '../web/live.js';

/** The live view is for this machine's browser only. */
const LIVE_HOST = '127.0.0.1';

/** A path as the person who ran the command reads it: relative to the project when below it. */
export function displayPath(file: string): string {
  const relative = path.relative(projectRoot, file);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative.split(path.sep).join('/') : file;
}

export interface ScenarioArgs extends QueueArgs {
  id?: string;
  list?: boolean;
  duration: string;
  warmup: string;
  rate: string;
  connections?: string;
  records: string;
  imports: string;
  changes: string;
  work: string;
  workers?: string;
  reconnect: boolean;
  pool: boolean;
  host: string;
  port: string;
  'import-timeout': string;
  'child-heap-mb'?: string;
  'import-priority'?: string;
  capacity: string;
  'capacity-connections': string;
  'max-imports'?: string;
  handoff?: string;
  'max-queue'?: string;
  concurrency: string;
  json: boolean;
  out: string;
  'run-id'?: string;
  'by-node'?: boolean;
  live?: boolean;
  'live-port'?: string;
  'emit-events'?: boolean;
}

/** How often a watched run polls the serving processes for their live event-loop delay. */
export const LIVE_LOOP_DELAY_POLL_MS = 250;

/** Enough connections that a stall of this long still shows as latency, not as requests not sent. */
const STALL_COVERED_S = 5;

/** Options only the worker-pool scenario reads: given to another scenario, they are a mistake, not a no-op. */
const WORKER_POOL_ONLY = ['handoff', 'max-queue'] as const;
/** worker-pool's default queue: this many imports may wait per worker. */
const QUEUE_PER_WORKER = 4;

/** worker-pool: the pool's threads (default cores - 1: one core stays the HTTP thread's), hand-off and queue. */
function resolveWorkerPool(args: ScenarioArgs): { workers: number; workerPool: { handoff: Handoff; maxQueue: number } } {
  const workers =
    args.workers === undefined ? Math.max(1, os.availableParallelism() - 1) : parseNumber('workers', args.workers, { min: 1, max: 64, integer: true });
  const handoff = args.handoff === undefined ? 'clone' : parseChoice('handoff', args.handoff, HANDOFFS);
  const maxQueue =
    args['max-queue'] === undefined ? QUEUE_PER_WORKER * workers : parseNumber('max-queue', args['max-queue'], { min: 0, max: 1000, integer: true });
  return { workers, workerPool: { handoff, maxQueue } };
}

/** `idleAvailable` answers whether SCHED_IDLE works here, by running chrt (see resolveImportPriority). */
export function resolveScenarioConfig(args: ScenarioArgs, idleAvailable?: () => boolean): ScenarioRunConfig {
  const rate = parseNumber('rate', args.rate, { min: 1, max: 10_000 });
  const pool = args.id === 'worker-pool' ? resolveWorkerPool(args) : null;
  if (pool === null) {
    const given = WORKER_POOL_ONLY.find((option) => args[option] !== undefined);
    if (given !== undefined) throw new UsageError(`--${given} applies to the worker-pool scenario only`);
  }
  if (args.id !== 'queue') assertNoQueueOptions(args);
  const concurrency = parseNumber('concurrency', args.concurrency, { min: 1, max: 64, integer: true });
  return {
    durationS: parseNumber('duration', args.duration, { min: 1, max: 3600 }),
    warmupS: parseNumber('warmup', args.warmup, { min: 0, max: 600 }),
    rate,
    connections:
      args.connections === undefined
        ? Math.min(1000, Math.max(10, Math.ceil(rate * STALL_COVERED_S)))
        : parseNumber('connections', args.connections, { min: 1, max: 10_000, integer: true }),
    records: parseNumber('records', args.records, { min: 1, max: MAX_IMPORT_RECORDS, integer: true }),
    imports: parseNumber('imports', args.imports, { min: 0, max: 1000, integer: true }),
    changes: parseNumber('changes', args.changes, { min: 0, max: 1 }),
    workPerRecord: parseNumber('work', args.work, { min: 0, max: MAX_WORK_PER_RECORD, integer: true }),
    workers:
      pool?.workers ??
      (args.id === 'queue'
        ? args.workers === undefined
          ? DEFAULT_QUEUE_WORKERS
          : parseNumber('workers', args.workers, { min: 0, max: 64, integer: true })
        : args.workers === undefined
          ? Math.max(2, os.availableParallelism())
          : parseNumber('workers', args.workers, { min: 1, max: 64, integer: true })),
    reconnect: args.reconnect,
    pool: args.pool,
    host: args.host,
    port: parseNumber('port', args.port, { min: 0, max: 65_535, integer: true }),
    importTimeoutS: parseNumber('import-timeout', args['import-timeout'], { min: 1, max: 86_400 }),
    childHeapMb:
      args['child-heap-mb'] === undefined
        ? null
        : parseNumber('child-heap-mb', args['child-heap-mb'], { min: 16, max: 65_536, integer: true }),
    importPriority: resolveImportPriority(args.id, args['import-priority'], args.workers, idleAvailable),
    concurrency,
    capacityS: parseNumber('capacity', args.capacity, { min: 0, max: 600, integer: true }),
    capacityConnections: parseNumber('capacity-connections', args['capacity-connections'], { min: 1, max: 1000, integer: true }),
    // worker-pool: the pool's own bound (its workers plus its queue), checked before any work is done.
    // Otherwise the runner's own --concurrency is never refused by default: only a lower explicit bound refuses it.
    maxImports:
      args['max-imports'] === undefined
        ? pool
          ? pool.workers + pool.workerPool.maxQueue
          : Math.max(os.availableParallelism(), concurrency)
        : parseNumber('max-imports', args['max-imports'], { min: 1, max: 1000, integer: true }),
    ...(pool ? { workerPool: pool.workerPool } : {}),
  };
}

/**
 * The options a run takes, with the command line's defaults and help: the yargs builder below and
 * the workshop page's form are both made from this list, so they cannot drift apart.
 */
export const SCENARIO_RUN_OPTIONS: OptionSpec[] = [
  { name: 'duration', kind: 'number', default: '15', describe: 'seconds of each measured phase (baseline, under load)' },
  { name: 'warmup', kind: 'number', default: '2', describe: 'seconds of warm-up traffic, not recorded' },
  { name: 'rate', kind: 'number', default: '50', describe: 'light requests per second (fixed rate)' },
  { name: 'connections', kind: 'number', default: '', describe: `keep-alive connections [default: rate x ${STALL_COVERED_S}, at least 10]` },
  { name: 'records', kind: 'number', default: String(DEFAULT_RECORDS), describe: 'stations in the data set and in each import' },
  { name: 'imports', kind: 'number', default: '2', describe: 'imports run during the under-load phase' },
  { name: 'concurrency', kind: 'number', default: '1', describe: 'imports in flight at once (1: one after another); past the pool or --max-imports they queue or get 503' },
  { name: 'changes', kind: 'number', default: String(DEFAULT_CHANGE_SHARE), describe: 'share of records an import adds, changes or deletes (0..1)' },
  { name: 'work', kind: 'number', default: String(DEFAULT_WORK_PER_RECORD), describe: 'CPU work per record (the cost knob)' },
  {
    name: 'workers',
    kind: 'number',
    default: '',
    describe: `cluster: HTTP workers [default: cores, at least 2]; worker-pool: threads in the pool [default: cores - 1, at least 1]; queue: local worker processes [default: ${DEFAULT_QUEUE_WORKERS}]`,
    only: ['cluster', 'worker-pool', 'queue'],
  },
  { name: 'reconnect', kind: 'boolean', default: 'false', describe: 'a new connection per light request (cluster: spreads requests, not connections)' },
  { name: 'pool', kind: 'boolean', default: 'false', describe: 'IPC scenarios: keep one child alive across imports instead of forking per import', only: forkingScenarioIds() },
  { name: 'import-timeout', kind: 'number', default: '300', describe: 'seconds an import may take before it counts as failed' },
  {
    name: 'child-heap-mb',
    kind: 'number',
    default: '',
    describe: "IPC scenarios: run children with this heap limit (MB); worker-pool: each worker's (resourceLimits)",
    only: ipcScenarioIds(),
  },
  {
    name: 'import-priority',
    kind: 'text',
    default: '',
    describe: `how imports that run outside the HTTP process (children, worker-pool's threads, the queue's local workers) are scheduled: ${IMPORT_PRIORITIES.join(', ')} (normal: as the server, as in the talk; low: nice ${LOW_NICE}; idle: only when no other thread wants the CPU, Linux) [default: idle, or low without chrt]`,
    only: offloadingScenarioIds(),
  },
  { name: 'capacity', kind: 'number', default: '5', describe: 'seconds of each closed-loop capacity phase (idle, during imports); 0 skips them' },
  { name: 'capacity-connections', kind: 'number', default: '10', describe: 'connections of the capacity phases (autocannon, closed loop)' },
  {
    name: 'max-imports',
    kind: 'number',
    default: '',
    describe: 'imports each serving process takes in flight at once; more get 503 with Retry-After [default: cores or --concurrency, the larger; worker-pool: workers + max-queue]',
  },
  {
    name: 'handoff',
    kind: 'text',
    default: '',
    describe: `worker-pool: how records cross to a worker and back: ${HANDOFFS.join(' or ')} (structured clone, or JSON bytes in a moved ArrayBuffer) [default: clone]`,
    only: ['worker-pool'],
  },
  {
    name: 'max-queue',
    kind: 'number',
    default: '',
    describe: `worker-pool: imports that may wait for a free worker (piscina's maxQueue); one more gets 503 with Retry-After [default: ${QUEUE_PER_WORKER} x workers]`,
    only: ['worker-pool'],
  },
];

/**
 * Scenarios that hand imports to a peer the server owns (children, or worker-pool's threads); not
 * the queue, whose workers are processes of their own that --pool and --child-heap-mb do not reach.
 */
function ipcScenarioIds(): string[] {
  return scenarios.filter((s) => s.transport !== undefined && s.id !== 'queue').map((s) => s.id);
}

/** Scenarios whose imports go to a forked child, which --pool can keep alive (not worker-pool's threads). */
function forkingScenarioIds(): string[] {
  return ipcScenarioIds().filter((id) => id !== 'worker-pool');
}

export function listScenarios(): string {
  const width = Math.max(...scenarios.map((s) => s.id.length));
  const where = (iteration: number | null): string => (iteration === null ? 'beyond the talk:' : `${iteration}.`);
  return `${scenarios.map((s) => `${s.id.padEnd(width)}  ${where(s.talkIteration)} ${s.title}`).join('\n')}\n`;
}

export const scenarioCommand: CommandModule<object, ScenarioArgs> = {
  command: 'scenario [id]',
  describe: 'run one iteration of the talk under light load plus imports, and write results/<run-id>/<id>.json',
  builder: (y) =>
    addQueueOptions(
      y
      .positional('id', { type: 'string', describe: `scenario id: ${scenarioIds().join(', ')}` })
      .option('list', { type: 'boolean', describe: 'list the scenarios with one-line titles' })
      .options(
        Object.fromEntries(
          SCENARIO_RUN_OPTIONS.map((o) => [
            o.name,
            o.kind === 'boolean'
              ? { type: 'boolean' as const, default: o.default === 'true', describe: o.describe }
              : { type: 'string' as const, requiresArg: true, describe: o.describe, ...(o.default !== '' ? { default: o.default } : {}) },
          ]),
        ),
      )
      .option('host', { type: 'string', requiresArg: true, default: '127.0.0.1', describe: 'address the server binds' })
      .option('port', { type: 'string', requiresArg: true, default: '0', describe: 'port the server binds (0: any free port)' })
      .option('json', { type: 'boolean', default: false, describe: 'print only the result JSON on stdout' })
      .option('out', { type: 'string', requiresArg: true, default: path.join(projectRoot, 'results'), defaultDescription: 'results/ at the project root', describe: 'directory for <run-id>/<id>.json' })
      .option('live', { type: 'boolean', default: false, describe: 'serve the live view of this run on 127.0.0.1 and print its URL; stays up after the run until Ctrl-C' })
      .option('live-port', { type: 'string', requiresArg: true, default: '0', describe: 'port of the live view (0: any free port)' })
      .option('run-id', { type: 'string', requiresArg: true, hidden: true })
      .option('by-node', { type: 'boolean', default: false, hidden: true, describe: 'write into <run-id>/node-<major>/ (bench --node)' })
      // Set by the workshop, which runs every command as its own process: forward the runner's events.
      .option('emit-events', { type: 'boolean', default: false, hidden: true }),
    )
      .example('$0 scenario cluster --duration 10', 'run the cluster iteration for 10 s per phase')
      .example('$0 scenario worker-pool --duration 10 --handoff bytes', 'imports on a piscina pool, records as JSON bytes in a moved ArrayBuffer')
      .example('$0 scenario queue --duration 10', 'imports through BullMQ on a private Redis, 2 local workers')
      .example('$0 scenario single-thread --live', 'watch the run live in a browser (open the printed URL)')
      .example('$0 scenario --list', 'list the scenarios') as unknown as Argv<ScenarioArgs>,
  handler: async (args) => {
    if (args.list) {
      process.stdout.write(listScenarios());
      return;
    }
    if (args.id === undefined) throw new UsageError(`name a scenario: ${scenarioIds().join(', ')} (or --list)`);
    const scenario = findScenario(args.id);
    if (!scenario) throw new UsageError(`unknown scenario "${args.id}"; valid ids: ${scenarioIds().join(', ')}`);
    // Every check first, without running anything: the import priority is settled last, since finding
    // out whether idle works here runs chrt, and bad input starts nothing.
    const config = resolveScenarioConfig(args, () => true);
    const runId = resolveRunId(args['run-id'], newRunId);
    const outDir = await checkOutputDir('out', args.out);
    const queue = scenario.id === 'queue' ? resolveQueueSettings(args, runId, config.concurrency) : null;
    if (queue) config.queue = queue.settings;
    await assertPortFree(config.host, config.port);
    const livePort = parseNumber('live-port', args['live-port'] ?? '0', { min: 0, max: 65_535, integer: true });
    if (args.live) await assertPortFree(LIVE_HOST, livePort);
    config.importPriority = resolveImportPriority(args.id, args['import-priority'], args.workers);

    const interactive = process.stderr.isTTY && !args.json;
    const file = resultPath(outDir, runId, scenario.id, args['by-node'] ? nodeDirName() : undefined);
    const signals = abortOnSignals();
    const forward = args['emit-events'] ? forwardToParent() : null;
    const live = args.live
      ? await startLiveView({
          run: {
            kind: 'scenario',
            target: scenario.id,
            runId,
            args: process.argv.slice(2),
            resultFile: displayPath(file),
            startedAt: new Date().toISOString(),
          },
          catalog: buildCatalog('live', SCENARIO_RUN_OPTIONS, [], []),
          host: LIVE_HOST,
          port: livePort,
          onStop: () => signals.interrupt('SIGINT'),
        })
      : null;
    if (live) process.stderr.write(`[${scenario.id}] live view: ${live.server.urlWithToken}\n`);
    let outcome: 'completed' | 'errored' | 'interrupted' = 'errored';
    try {
      const result = await runScenario(scenario, config, runId, {
        progress: Boolean(process.stdout.isTTY) && !args.json,
        log: (line) => {
          if (interactive) process.stderr.write(`[${scenario.id}] ${line}\n`);
        },
        signal: signals.signal,
        ...(forward || live
          ? {
              onEvent: (event: ScenarioEvent) => {
                forward?.send(event);
                live?.onEvent(event);
              },
              loopDelayPollMs: LIVE_LOOP_DELAY_POLL_MS,
            }
          : {}),
        serverEnv: queue?.serverEnv ?? {},
      });
      if (queue?.scale && result.state === 'completed' && !signals.received()) {
        result.scale = await measureQueueScale(queue, config, (line) => interactive && process.stderr.write(`[${scenario.id}] ${line}\n`), signals.signal);
      }
      await writeJsonAtomic(file, result);
      const summary = renderScenarioSummary(result, file);
      process.stdout.write(args.json ? `${JSON.stringify(result, null, 2)}\n` : summary);
      const interrupted = signals.received();
      outcome = interrupted ? 'interrupted' : result.state;
      live?.finish({
        state: outcome,
        exitCode: null,
        summaryText: summary.trim(),
        row: comparisonRow(result),
        finishedAt: new Date().toISOString(),
      });
      // The summary's ERRORED line already says why; with --json, only the exit line will.
      if (interrupted) throw args.json ? interrupted : interrupted.said();
      if (result.state === 'errored') throw new Error(`scenario ${scenario.id} errored: ${result.error}`);
    } finally {
      signals.dispose();
      await forward?.flush();
      if (live) {
        // A run that ended by itself leaves its page up for the audience until Ctrl-C.
        if (outcome !== 'interrupted') {
          process.stderr.write(`[${scenario.id}] the live view stays up at ${live.server.url}: Ctrl-C to quit\n`);
          await nextSignal();
        }
        await live.close();
      }
    }
  },
};
