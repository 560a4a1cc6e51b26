import os from 'node:os';
import { constants } from 'node:os';
import type { CommandModule } from 'yargs';
import { describeTarget, redisOptions, type RedisTarget } from '../transports/queue/connection.js';
import { QUEUE_PREFIX } from '../transports/queue/messages.js';
import { DEFAULT_LOCK_DURATION_MS } from '../transports/queue/settings.js';
import type { QueueWorkerHandle } from '../transports/queue/worker.js';
import { REDIS_OPTION_DESCRIPTIONS, resolveRedisTarget, type RedisArgs } from './redis-options.js';
import { parseNumber, UsageError } from './usage.js';

interface WorkerArgs extends RedisArgs {
  concurrency?: string;
  queue?: string;
  'lock-duration'?: string;
}

const CONNECT_TIMEOUT_MS = 5_000;

/** One round trip before anything starts: an unreachable Redis or a wrong password is an error now, not a silent retry loop. */
async function checkReachable(target: RedisTarget): Promise<void> {
  const { Redis } = await import('ioredis');
  const probe = new Redis({ ...redisOptions(target, 'producer'), lazyConnect: true, connectTimeout: CONNECT_TIMEOUT_MS, retryStrategy: () => null });
  // The connection's own error says why (WRONGPASS, ECONNREFUSED); the promise only says it closed.
  let cause = '';
  probe.on('error', (error: Error) => (cause ||= error.message));
  try {
    await probe.connect();
    await probe.ping();
  } catch (error: unknown) {
    throw new Error(`cannot reach Redis at ${describeTarget(target)}: ${cause || (error instanceof Error ? error.message : String(error))}`);
  } finally {
    probe.disconnect();
  }
}

/** Resolves on the first SIGINT/SIGTERM; `second` is called on the next one. */
function onSignals(second: (signal: NodeJS.Signals) => void): { first: Promise<NodeJS.Signals>; dispose: () => void } {
  let seen = false;
  let resolveFirst: (signal: NodeJS.Signals) => void = () => undefined;
  const first = new Promise<NodeJS.Signals>((resolve) => (resolveFirst = resolve));
  const handler = (signal: NodeJS.Signals): void => {
    if (!seen) {
      seen = true;
      resolveFirst(signal);
    } else second(signal);
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return {
    first,
    dispose: () => {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
    },
  };
}

export const workerCommand: CommandModule<object, WorkerArgs> = {
  command: 'worker',
  describe: 'a BullMQ worker for the queue scenario, on any host that reaches the Redis; runs until Ctrl-C',
  builder: (y) =>
    y
      .option('redis', { type: 'string', requiresArg: true, demandOption: true, describe: REDIS_OPTION_DESCRIPTIONS.redis })
      .option('redis-password-file', { type: 'string', requiresArg: true, describe: REDIS_OPTION_DESCRIPTIONS['redis-password-file'] })
      .option('concurrency', { type: 'string', requiresArg: true, describe: 'imports this worker runs at once, one thread each [default: cores of this host]' })
      .option('queue', { type: 'string', requiresArg: true, describe: 'serve this queue only [default: every run announced on the Redis, joined and left as runs start and end]' })
      .option('lock-duration', { type: 'string', requiresArg: true, describe: `with --queue: seconds a job's lock lives unrenewed [default: ${DEFAULT_LOCK_DURATION_MS / 1000}; without --queue the run's own]` })
      .example('REDIS_PASSWORD=... $0 worker --redis redis://10.0.0.5:6379 --concurrency 4', 'serve every run on that Redis, 4 imports at once'),
  handler: async (args) => {
    const target = resolveRedisTarget({ ...args, redis: args.redis ?? '' });
    const concurrency = args.concurrency === undefined ? os.availableParallelism() : parseNumber('concurrency', args.concurrency, { min: 1, max: 256, integer: true });
    if (args.queue !== undefined && !/^[\w.-]{1,100}$/.test(args.queue)) throw new UsageError(`--queue accepts 1 to 100 letters, digits, ".", "_" and "-" (got "${args.queue}")`);
    if (args['lock-duration'] !== undefined && args.queue === undefined) throw new UsageError('--lock-duration needs --queue: without it each run says its own');
    const lockDurationMs =
      1000 * (args['lock-duration'] === undefined ? DEFAULT_LOCK_DURATION_MS / 1000 : parseNumber('lock-duration', args['lock-duration'], { min: 0.5, max: 3600 }));
    await checkReachable(target);
    // BullMQ and ioredis load now, not with every command of the CLI.
    const [{ startQueueWorker }, { RunFollower }] = await Promise.all([import('../transports/queue/worker.js'), import('../transports/queue/run-follower.js')]);

    const log = (line: string): void => {
      process.stderr.write(`[worker ${os.hostname()}:${process.pid}] ${line}\n`);
    };
    let stop: (force: boolean) => Promise<void>;
    if (args.queue !== undefined) {
      const worker: QueueWorkerHandle = await startQueueWorker({
        target,
        queueName: args.queue,
        prefix: QUEUE_PREFIX,
        concurrency,
        lockDurationMs,
        stalledIntervalMs: lockDurationMs,
        onError: (error) => log(error.message),
      });
      log(`serving queue ${args.queue} on ${describeTarget(target)}, ${concurrency} at once; Ctrl-C to stop`);
      stop = (force) => worker.close(force);
    } else {
      const follower = await RunFollower.start(target, concurrency, log);
      log(`serving every run announced on ${describeTarget(target)}, ${concurrency} imports at once; Ctrl-C to stop`);
      stop = (force) => follower.close(force);
    }

    const signals = onSignals((signal) => {
      log('stopping now: running jobs are left to expire and be retaken by another worker');
      void stop(true).finally(() => process.exit(128 + (constants.signals[signal] ?? 0)));
    });
    const signal = await signals.first;
    log('finishing the running jobs, then stopping (Ctrl-C again to stop now)');
    await stop(false);
    signals.dispose();
    log(`stopped (${signal})`);
  },
};
