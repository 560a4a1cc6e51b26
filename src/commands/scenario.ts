import os from 'node:os';
import path from 'node:path';
import type { CommandModule } from 'yargs';
import { findScenario, scenarioIds, scenarios } from '../../scenarios/index.js';
import { projectRoot } from '../paths.js';
import { nodeDirName, resultPath, newRunId, writeJsonAtomic } from '../results/store.js';
import { renderScenarioSummary } from '../scenario/summary.js';
import { runScenario, type ScenarioRunConfig } from '../scenario/run.js';
import { DEFAULT_CHANGE_SHARE, DEFAULT_RECORDS, DEFAULT_WORK_PER_RECORD } from '../workload/index.js';
import { MAX_IMPORT_RECORDS, MAX_WORK_PER_RECORD } from '../server/params.js';
import { checkOutputDir } from './locations.js';
import { assertPortFree } from './port.js';
import { abortOnSignals } from './signals.js';
import { HANDOFFS, type Handoff } from '../transports/types.js';
import { parseChoice, parseNumber, resolveRunId, UsageError } from './usage.js';

export interface ScenarioArgs {
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
}

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

export function resolveScenarioConfig(args: ScenarioArgs): ScenarioRunConfig {
  const rate = parseNumber('rate', args.rate, { min: 1, max: 10_000 });
  const pool = args.id === 'worker-pool' ? resolveWorkerPool(args) : null;
  if (pool === null) {
    const given = WORKER_POOL_ONLY.find((option) => args[option] !== undefined);
    if (given !== undefined) throw new UsageError(`--${given} applies to the worker-pool scenario only`);
  }
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
      (args.workers === undefined ? Math.max(2, os.availableParallelism()) : parseNumber('workers', args.workers, { min: 1, max: 64, integer: true })),
    reconnect: args.reconnect,
    pool: args.pool,
    host: args.host,
    port: parseNumber('port', args.port, { min: 0, max: 65_535, integer: true }),
    importTimeoutS: parseNumber('import-timeout', args['import-timeout'], { min: 1, max: 86_400 }),
    childHeapMb:
      args['child-heap-mb'] === undefined
        ? null
        : parseNumber('child-heap-mb', args['child-heap-mb'], { min: 16, max: 65_536, integer: true }),
    concurrency: parseNumber('concurrency', args.concurrency, { min: 1, max: 64, integer: true }),
    capacityS: parseNumber('capacity', args.capacity, { min: 0, max: 600, integer: true }),
    capacityConnections: parseNumber('capacity-connections', args['capacity-connections'], { min: 1, max: 1000, integer: true }),
    // worker-pool: the pool's own bound (its workers plus its queue), checked before any work is done.
    maxImports:
      args['max-imports'] === undefined
        ? pool
          ? pool.workers + pool.workerPool.maxQueue
          : os.availableParallelism()
        : parseNumber('max-imports', args['max-imports'], { min: 1, max: 1000, integer: true }),
    ...(pool ? { workerPool: pool.workerPool } : {}),
  };
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
    y
      .positional('id', { type: 'string', describe: `scenario id: ${scenarioIds().join(', ')}` })
      .option('list', { type: 'boolean', describe: 'list the scenarios with one-line titles' })
      .option('duration', { type: 'string', requiresArg: true, default: '15', describe: 'seconds of each measured phase (baseline, under load)' })
      .option('warmup', { type: 'string', requiresArg: true, default: '2', describe: 'seconds of warm-up traffic, not recorded' })
      .option('rate', { type: 'string', requiresArg: true, default: '50', describe: 'light requests per second (fixed rate)' })
      .option('connections', { type: 'string', requiresArg: true, describe: `keep-alive connections [default: rate x ${STALL_COVERED_S}, at least 10]` })
      .option('records', { type: 'string', requiresArg: true, default: String(DEFAULT_RECORDS), describe: 'stations in the data set and in each import' })
      .option('imports', { type: 'string', requiresArg: true, default: '2', describe: 'imports run during the under-load phase' })
      .option('concurrency', { type: 'string', requiresArg: true, default: '1', describe: 'imports in flight at once (1: one after another); past the pool or --max-imports they queue or get 503' })
      .option('changes', { type: 'string', requiresArg: true, default: String(DEFAULT_CHANGE_SHARE), describe: 'share of records an import adds, changes or deletes (0..1)' })
      .option('work', { type: 'string', requiresArg: true, default: String(DEFAULT_WORK_PER_RECORD), describe: 'CPU work per record (the cost knob)' })
      .option('workers', { type: 'string', requiresArg: true, describe: 'cluster: HTTP workers [default: cores, at least 2]; worker-pool: threads in the pool [default: cores - 1, at least 1]' })
      .option('reconnect', { type: 'boolean', default: false, describe: 'a new connection per light request (cluster: spreads requests, not connections)' })
      .option('pool', { type: 'boolean', default: false, describe: 'IPC scenarios: keep one child alive across imports instead of forking per import' })
      .option('host', { type: 'string', requiresArg: true, default: '127.0.0.1', describe: 'address the server binds' })
      .option('port', { type: 'string', requiresArg: true, default: '0', describe: 'port the server binds (0: any free port)' })
      .option('import-timeout', { type: 'string', requiresArg: true, default: '300', describe: 'seconds an import may take before it counts as failed' })
      .option('child-heap-mb', { type: 'string', requiresArg: true, describe: 'IPC scenarios: run children with this heap limit (MB); worker-pool: each worker\'s (resourceLimits)' })
      .option('capacity', { type: 'string', requiresArg: true, default: '5', describe: 'seconds of each closed-loop capacity phase (idle, during imports); 0 skips them' })
      .option('capacity-connections', { type: 'string', requiresArg: true, default: '10', describe: 'connections of the capacity phases (autocannon, closed loop)' })
      .option('max-imports', { type: 'string', requiresArg: true, describe: 'imports each serving process takes in flight at once; more get 503 with Retry-After [default: cores; worker-pool: workers + max-queue]' })
      .option('handoff', { type: 'string', requiresArg: true, describe: `worker-pool: how records cross to a worker and back: ${HANDOFFS.join(' or ')} (structured clone, or JSON bytes in a moved ArrayBuffer) [default: clone]` })
      .option('max-queue', { type: 'string', requiresArg: true, describe: `worker-pool: imports that may wait for a free worker (piscina's maxQueue); one more gets 503 with Retry-After [default: ${QUEUE_PER_WORKER} x workers]` })
      .option('json', { type: 'boolean', default: false, describe: 'print only the result JSON on stdout' })
      .option('out', { type: 'string', requiresArg: true, default: path.join(projectRoot, 'results'), defaultDescription: 'results/ at the project root', describe: 'directory for <run-id>/<id>.json' })
      .option('run-id', { type: 'string', requiresArg: true, hidden: true })
      .option('by-node', { type: 'boolean', default: false, hidden: true, describe: 'write into <run-id>/node-<major>/ (bench --node)' })
      .example('$0 scenario cluster --duration 10', 'run the cluster iteration for 10 s per phase')
      .example('$0 scenario worker-pool --duration 10 --handoff bytes', 'imports on a piscina pool, records as JSON bytes in a moved ArrayBuffer')
      .example('$0 scenario --list', 'list the scenarios'),
  handler: async (args) => {
    if (args.list) {
      process.stdout.write(listScenarios());
      return;
    }
    if (args.id === undefined) throw new UsageError(`name a scenario: ${scenarioIds().join(', ')} (or --list)`);
    const scenario = findScenario(args.id);
    if (!scenario) throw new UsageError(`unknown scenario "${args.id}"; valid ids: ${scenarioIds().join(', ')}`);
    const config = resolveScenarioConfig(args);
    const runId = resolveRunId(args['run-id'], newRunId);
    const outDir = await checkOutputDir('out', args.out);
    await assertPortFree(config.host, config.port);

    const interactive = process.stderr.isTTY && !args.json;
    const signals = abortOnSignals();
    try {
      const result = await runScenario(scenario, config, runId, {
        progress: Boolean(process.stdout.isTTY) && !args.json,
        log: (line) => {
          if (interactive) process.stderr.write(`[${scenario.id}] ${line}\n`);
        },
        signal: signals.signal,
      });
      const file = resultPath(outDir, runId, scenario.id, args['by-node'] ? nodeDirName() : undefined);
      await writeJsonAtomic(file, result);
      process.stdout.write(args.json ? `${JSON.stringify(result, null, 2)}\n` : renderScenarioSummary(result, file));
      const interrupted = signals.received();
      // The summary's ERRORED line already says why; with --json, only the exit line will.
      if (interrupted) throw args.json ? interrupted : interrupted.said();
      if (result.state === 'errored') throw new Error(`scenario ${scenario.id} errored: ${result.error}`);
    } finally {
      signals.dispose();
    }
  },
};
