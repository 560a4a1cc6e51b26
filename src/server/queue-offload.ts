import { writeFileSync } from 'node:fs';
import type { ServeConfig, ServingHandle } from './contract.js';
import { QueueClient, QueueJobFailed, type JobReport } from '../transports/queue/client.js';
import type { RedisTarget } from '../transports/queue/connection.js';
import { LocalWorkers } from '../transports/queue/local-workers.js';
import { QUEUE_PREFIX, WORKER_ENV } from '../transports/queue/messages.js';
import { formatRedisUrl } from '../transports/queue/redis-config.js';
import { PrivateRedis } from '../transports/queue/redis-server.js';
import { stalledIntervalFor, type QueueSettings } from '../transports/queue/settings.js';
import { ImportFailedError, type QueueDetails, type RunImport } from './import-job.js';
import { measureBlocking } from './loop-block.js';
import { serveApp } from './serve.js';

/** Removing the run's keys must not hold the end of a run hostage to an unreachable Redis. */
const CLEANUP_TIMEOUT_MS = 10_000;

function details(report: JobReport | null, workerHost?: string): QueueDetails {
  return {
    ...(workerHost !== undefined ? { workerHost } : {}),
    ...(report?.queuedMs != null ? { queuedMs: report.queuedMs } : {}),
    ...(report?.runningMs != null ? { runningMs: report.runningMs } : {}),
    attempts: report?.attempts ?? [],
  };
}

function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/**
 * The queue scenario's server: imports go into a BullMQ queue on Redis (private, or given with
 * --redis) and come back from whichever worker took them: local processes started here, or
 * `npm run worker` on other hosts.
 */
export async function serveQueued(config: ServeConfig, emit: (message: string) => void): Promise<ServingHandle> {
  const settings: QueueSettings | undefined = config.queue;
  if (!settings) throw new Error('the queue scenario needs its queue settings');
  const password = process.env[WORKER_ENV.password];
  const closers: (() => Promise<void>)[] = [];
  const closeAll = async (): Promise<void> => {
    const pending = closers.splice(0).reverse();
    for (const close of pending) await close().catch((error: unknown) => emit(`queue clean-up: ${String(error)}`));
  };
  try {
    let redis: PrivateRedis | null = null;
    if (settings.redis === null) {
      redis = await PrivateRedis.start({ maxmemoryBytes: settings.maxmemoryBytes });
      const started = redis;
      closers.push(() => started.stop());
      started.onLoss((reason) => emit(reason));
    }
    const target: RedisTarget = {
      endpoint: redis?.endpoint ?? (settings.redis as NonNullable<QueueSettings['redis']>),
      ...(password ? { password } : {}),
    };
    const client = await QueueClient.open({
      target,
      queueName: settings.queueName,
      prefix: QUEUE_PREFIX,
      placement: settings.placement,
      attempts: settings.attempts,
      report: true,
      ...(redis ? { redisLabel: redis.label } : {}),
      announce: { lockDurationMs: settings.lockDurationMs },
    });
    closers.push(() => client.close());
    const keysLeftFile = settings.keysLeftFile;
    if (keysLeftFile !== undefined) {
      // `npm run faults`: what the clean-up below left, counted before the Redis stops. Not written
      // when the Redis is gone (nothing can be counted: the faults table says n/a).
      closers.push(async () => {
        if (redis !== null && redis.lostReason !== null) return;
        const count = await withTimeout(client.keysLeft(redis !== null), CLEANUP_TIMEOUT_MS, `counting the keys left in queue ${settings.queueName}`);
        writeFileSync(keysLeftFile, String(count));
      });
    }
    // Last in, first out: workers stop before the keys go, so none re-creates a key after the clean-up.
    closers.push(async () => {
      if (redis !== null && redis.lostReason !== null) return; // nothing left to remove
      await withTimeout(client.removeQueue(), CLEANUP_TIMEOUT_MS, `removing queue ${settings.queueName}`);
    });
    const workers = await LocalWorkers.start(
      settings.workers,
      target,
      {
        queueName: settings.queueName,
        prefix: QUEUE_PREFIX,
        concurrency: settings.concurrency,
        lockDurationMs: settings.lockDurationMs,
        stalledIntervalMs: stalledIntervalFor(settings.lockDurationMs),
        ...(config.importPriority !== 'normal' ? { priority: config.importPriority } : {}),
      },
      emit,
    );
    closers.push(() => workers.close());
    // No socket path in the record: a private Redis's is a temp dir that reproduces nothing.
    const where = redis ? `a private redis-server (pid ${redis.pid})` : `Redis at ${formatRedisUrl(target.endpoint)}`;
    emit(`queue ${settings.queueName} on ${where}; local workers: ${workers.pids.join(', ') || 'none'}`);

    // A client gone takes its job off the queue if no worker has it yet (QueueClient.submit).
    const runImport: RunImport = async (job, signal) => {
      try {
        const { value: result, maxBlockMs } = await measureBlocking(() =>
          client.submit(
            { kind: 'diff', baselineRecords: job.baselineRecords, baselineSeed: job.baselineSeed, workPerRecord: job.workPerRecord },
            { kind: 'records', records: job.incoming },
            config.importTimeoutMs,
            signal,
          ),
        );
        if (result.reply.kind !== 'diff') throw new Error(`the queue worker replied with ${result.reply.kind}, expected a diff`);
        return {
          counts: result.reply.diff.counts,
          changedRecords: result.reply.diff.changedRecords.length,
          bytesToWorker: result.bytesToWorker,
          bytesFromWorker: result.bytesFromWorker,
          workerPid: result.worker.pid,
          transferBlockMs: maxBlockMs,
          queueDetails: details(result.report, result.worker.host),
        };
      } catch (error: unknown) {
        if (error instanceof QueueJobFailed) throw new ImportFailedError(error.message, details(error.report));
        throw error;
      }
    };
    return await serveApp(config, runImport, closeAll);
  } catch (error) {
    await closeAll();
    throw error;
  }
}
