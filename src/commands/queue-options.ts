import type { Argv } from 'yargs';
import type { ScenarioRunConfig } from '../scenario/run.js';
import type { ScaleResult } from '../results/schema.js';
import type { RedisTarget } from '../transports/queue/connection.js';
import { DEFAULT_PLACEMENT, PLACEMENTS, WORKER_ENV } from '../transports/queue/messages.js';
import { DEFAULT_MAXMEMORY_BYTES } from '../transports/queue/redis-config.js';
import { DEFAULT_LOCK_DURATION_MS, type QueueSettings } from '../transports/queue/settings.js';
import { assertRedisServerInstalled, REDIS_OPTION_DESCRIPTIONS, resolveRedisTarget, type RedisArgs } from './redis-options.js';
import { parseChoice, parseNumber, parseSize, UsageError } from './usage.js';
import type { OptionSpec } from '../web/catalog.js';

// The queue scenario's own options: where Redis is, how jobs are kept, and the scale figure.

export const DEFAULT_QUEUE_WORKERS = 2;
/** One retry: a thrown error in the diff is deterministic, but a worker may lose Redis mid-job. */
const DEFAULT_ATTEMPTS = 2;
const DEFAULT_SCALE_IMPORTS = 8;
const DEFAULT_SCALE_CONCURRENCY = 4;
/** The worker counts of the scale figure. */
const SCALE_WORKERS = [1, 2];

export interface QueueArgs extends RedisArgs {
  id?: string;
  workers?: string;
  queue?: string;
  placement?: string;
  attempts?: string;
  'lock-duration'?: string;
  'redis-maxmemory'?: string;
  scale?: boolean;
  'scale-imports'?: string;
  'scale-concurrency'?: string;
}

/** Options only the queue scenario reads: given to another scenario, they are a mistake, not a no-op. */
const QUEUE_ONLY = [
  'redis',
  'redis-password-file',
  'queue',
  'placement',
  'attempts',
  'lock-duration',
  'redis-maxmemory',
  'scale',
  'scale-imports',
  'scale-concurrency',
] as const;

/** The queue options' help, shared by the command line and the workshop page's form. */
const QUEUE_OPTION_HELP = {
  queue: 'queue: the queue name [default: run-<run-id>]; its keys are removed at the end',
  placement: `queue: where the records travel: ${PLACEMENTS.join(' or ')} [default: ${DEFAULT_PLACEMENT}]`,
  attempts: `queue: tries in all for an import that fails [default: ${DEFAULT_ATTEMPTS}]`,
  'lock-duration': `queue: seconds a job's lock lives unrenewed: how soon a dead worker's job is taken again [default: ${DEFAULT_LOCK_DURATION_MS / 1000}]`,
  'redis-maxmemory': 'queue: maxmemory of the private Redis, e.g. 512MiB [default: 1GiB]',
  scale: `queue: afterwards, imports per minute with ${SCALE_WORKERS.join(' and ')} local worker processes`,
  'scale-imports': `queue --scale: imports per worker count [default: ${DEFAULT_SCALE_IMPORTS}]`,
  'scale-concurrency': `queue --scale: imports each worker runs at once [default: ${DEFAULT_SCALE_CONCURRENCY}]`,
};

/**
 * The queue options the workshop page offers. Not --redis or --redis-password-file: a run from the
 * page uses a private Redis, so no Redis address or password is ever typed into a browser form.
 */
export const QUEUE_PAGE_OPTIONS: OptionSpec[] = [
  { name: 'placement', kind: 'text', default: '', describe: QUEUE_OPTION_HELP.placement, only: ['queue'] },
  { name: 'attempts', kind: 'number', default: '', describe: QUEUE_OPTION_HELP.attempts, only: ['queue'] },
  { name: 'lock-duration', kind: 'number', default: '', describe: QUEUE_OPTION_HELP['lock-duration'], only: ['queue'] },
  { name: 'redis-maxmemory', kind: 'text', default: '', describe: QUEUE_OPTION_HELP['redis-maxmemory'], only: ['queue'] },
  { name: 'scale', kind: 'boolean', default: 'false', describe: QUEUE_OPTION_HELP.scale, only: ['queue'] },
  { name: 'scale-imports', kind: 'number', default: '', describe: QUEUE_OPTION_HELP['scale-imports'], only: ['queue'] },
  { name: 'scale-concurrency', kind: 'number', default: '', describe: QUEUE_OPTION_HELP['scale-concurrency'], only: ['queue'] },
];

export function addQueueOptions<T>(y: Argv<T>): Argv<T> {
  return y
    .option('redis', { type: 'string', requiresArg: true, describe: `queue: ${REDIS_OPTION_DESCRIPTIONS.redis} [default: a private redis-server, stopped at the end]` })
    .option('redis-password-file', { type: 'string', requiresArg: true, describe: `queue: ${REDIS_OPTION_DESCRIPTIONS['redis-password-file']}` })
    .option('queue', { type: 'string', requiresArg: true, describe: QUEUE_OPTION_HELP.queue })
    .option('placement', { type: 'string', requiresArg: true, describe: QUEUE_OPTION_HELP.placement })
    .option('attempts', { type: 'string', requiresArg: true, describe: QUEUE_OPTION_HELP.attempts })
    .option('lock-duration', { type: 'string', requiresArg: true, describe: QUEUE_OPTION_HELP['lock-duration'] })
    .option('redis-maxmemory', { type: 'string', requiresArg: true, describe: QUEUE_OPTION_HELP['redis-maxmemory'] })
    .option('scale', { type: 'boolean', describe: QUEUE_OPTION_HELP.scale })
    .option('scale-imports', { type: 'string', requiresArg: true, describe: QUEUE_OPTION_HELP['scale-imports'] })
    .option('scale-concurrency', { type: 'string', requiresArg: true, describe: QUEUE_OPTION_HELP['scale-concurrency'] });
}

export function assertNoQueueOptions(args: QueueArgs): void {
  const given = QUEUE_ONLY.find((option) => args[option] !== undefined);
  if (given !== undefined) throw new UsageError(`--${given} applies to the queue scenario only`);
}

export interface ResolvedQueue {
  settings: QueueSettings;
  /** Where the scale figure is measured: the given Redis, or null for private ones. */
  target: RedisTarget | null;
  /** The password reaches the server process this way, never on its command line or in results. */
  serverEnv: NodeJS.ProcessEnv;
  scale: { imports: number; concurrency: number } | null;
}

/** Every queue option checked before anything starts (exit 2 on a bad one). */
export function resolveQueueSettings(args: QueueArgs, runId: string, concurrency: number): ResolvedQueue {
  const target = args.redis !== undefined ? resolveRedisTarget({ ...args, redis: args.redis }) : null;
  if (target === null) assertRedisServerInstalled();
  const workers = args.workers === undefined ? DEFAULT_QUEUE_WORKERS : parseNumber('workers', args.workers, { min: 0, max: 64, integer: true });
  if (workers === 0 && target === null) {
    throw new UsageError('--workers 0 needs --redis: the private Redis is reachable from this machine only, so no worker elsewhere could take the imports');
  }
  const queueName = args.queue ?? `run-${runId}`;
  if (!/^[\w.-]{1,100}$/.test(queueName)) throw new UsageError(`--queue accepts 1 to 100 letters, digits, ".", "_" and "-" (got "${queueName}")`);
  if (target !== null && args['redis-maxmemory'] !== undefined) {
    throw new UsageError('--redis-maxmemory applies to the private Redis only: a Redis given with --redis is left as it is');
  }
  const maxmemoryBytes = args['redis-maxmemory'] === undefined ? DEFAULT_MAXMEMORY_BYTES : parseSize('redis-maxmemory', args['redis-maxmemory']);
  if (maxmemoryBytes < 16 * 1024 ** 2) throw new UsageError(`--redis-maxmemory must be at least 16MiB (got "${args['redis-maxmemory']}")`);
  if (!args.scale && (args['scale-imports'] !== undefined || args['scale-concurrency'] !== undefined)) {
    throw new UsageError('--scale-imports and --scale-concurrency need --scale');
  }
  return {
    settings: {
      redis: target?.endpoint ?? null,
      queueName,
      placement: args.placement === undefined ? DEFAULT_PLACEMENT : parseChoice('placement', args.placement, PLACEMENTS),
      workers,
      concurrency,
      attempts: args.attempts === undefined ? DEFAULT_ATTEMPTS : parseNumber('attempts', args.attempts, { min: 1, max: 100, integer: true }),
      lockDurationMs:
        1000 * (args['lock-duration'] === undefined ? DEFAULT_LOCK_DURATION_MS / 1000 : parseNumber('lock-duration', args['lock-duration'], { min: 0.5, max: 3600 })),
      maxmemoryBytes,
    },
    target,
    serverEnv: target?.password !== undefined ? { [WORKER_ENV.password]: target.password } : {},
    scale: args.scale
      ? {
          imports: args['scale-imports'] === undefined ? DEFAULT_SCALE_IMPORTS : parseNumber('scale-imports', args['scale-imports'], { min: 1, max: 1000, integer: true }),
          concurrency:
            args['scale-concurrency'] === undefined
              ? DEFAULT_SCALE_CONCURRENCY
              : parseNumber('scale-concurrency', args['scale-concurrency'], { min: 1, max: 64, integer: true }),
        }
      : null,
  };
}

/** The scale figure, after the scenario's phases, with the scenario's import size. */
export async function measureQueueScale(queue: ResolvedQueue, config: ScenarioRunConfig, log: (line: string) => void, signal: AbortSignal): Promise<ScaleResult> {
  if (!queue.scale) throw new Error('no scale figure was asked for');
  const { measureScale } = await import('../transports/queue/scale.js'); // BullMQ loads only when measuring
  return measureScale({
    target: queue.target,
    workerCounts: SCALE_WORKERS,
    concurrency: queue.scale.concurrency,
    imports: queue.scale.imports,
    records: config.records,
    changes: config.changes,
    workPerRecord: config.workPerRecord,
    placement: queue.settings.placement,
    lockDurationMs: queue.settings.lockDurationMs,
    timeoutMs: config.importTimeoutS * 1000,
    queueName: queue.settings.queueName,
    log,
    signal,
  });
}
