import { Worker } from 'bullmq';
import { compiledEntry } from '../../paths.js';
import { redisOptions, type RedisTarget } from './connection.js';
import { WORKER_ENV, type QueueJobData, type QueueJobResult } from './messages.js';

// A BullMQ worker as the harness runs it, locally or on another host: jobs run in sandboxed worker
// threads (processor.js), this thread only moves jobs and renews their locks.

export interface QueueWorkerOptions {
  target: RedisTarget;
  queueName: string;
  prefix: string;
  /** Jobs this process runs at once (BullMQ's concurrency: one sandbox thread each). */
  concurrency: number;
  /** How long a job's lock lives without renewal: after a crash, the time until another worker may take the job. */
  lockDurationMs: number;
  /** How often this worker looks for jobs whose lock expired. */
  stalledIntervalMs: number;
  /** Errors BullMQ reports (a lost connection, ...): the worker keeps going and reconnects. */
  onError: (error: Error) => void;
}

export interface QueueWorkerHandle {
  /** Stops taking jobs; `force` does not wait for the running ones (their locks expire, others retry them). */
  close(force?: boolean): Promise<void>;
}

export async function startQueueWorker(options: QueueWorkerOptions): Promise<QueueWorkerHandle> {
  // Sandboxed processors read their Redis from the environment (worker threads inherit it): this is
  // how the password reaches them without a command line.
  process.env[WORKER_ENV.endpoint] = JSON.stringify(options.target.endpoint);
  if (options.target.password !== undefined) process.env[WORKER_ENV.password] = options.target.password;
  const worker = new Worker<QueueJobData, QueueJobResult>(options.queueName, compiledEntry('transports/queue/processor.js'), {
    connection: redisOptions(options.target, 'worker'),
    prefix: options.prefix,
    concurrency: options.concurrency,
    lockDuration: options.lockDurationMs,
    stalledInterval: options.stalledIntervalMs,
    useWorkerThreads: true,
  });
  worker.on('error', options.onError);
  await worker.waitUntilReady();
  return { close: (force = false) => worker.close(force) };
}
