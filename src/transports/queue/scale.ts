import { performance } from 'node:perf_hooks';
import type { ScalePoint, ScaleResult } from '../../results/schema.js';
import { BASELINE_SEED, generateStations, makeIncoming, type Station } from '../../workload/index.js';
import type { Job } from '../types.js';
import { QueueClient } from './client.js';
import type { RedisTarget } from './connection.js';
import { LocalWorkers } from './local-workers.js';
import { QUEUE_PREFIX, type Placement } from './messages.js';
import { PrivateRedis } from './redis-server.js';

// The scale figure: how many imports a minute the queue completes with 1, then 2, local worker
// processes, each running `concurrency` imports at once. Workers on other hosts add their cores the
// same way; here both counts share this machine's cores, which is what caps the second figure.

export function importsPerMinute(completed: number, spanMs: number): number {
  return spanMs > 0 ? Math.round(((completed * 60_000) / spanMs) * 10) / 10 : 0;
}

export interface ScaleOptions {
  /** A Redis given with --redis, or null for a private one per point. */
  target: RedisTarget | null;
  workerCounts: number[];
  concurrency: number;
  imports: number;
  records: number;
  changes: number;
  workPerRecord: number;
  placement: Placement;
  lockDurationMs: number;
  timeoutMs: number;
  /** A queue name unique to the run; each point adds its own suffix. */
  queueName: string;
  log: (line: string) => void;
  signal: AbortSignal;
}

export async function measureScale(options: ScaleOptions): Promise<ScaleResult> {
  // The data sets are made before timing: the figure is about the workers, not about this process.
  const baseline = generateStations(options.records, BASELINE_SEED);
  const incoming = Array.from({ length: options.imports }, (_, i) => makeIncoming(baseline, options.changes, i + 1));
  const points: ScalePoint[] = [];
  for (const workers of options.workerCounts) {
    if (options.signal.aborted) break;
    options.log(`scale: ${options.imports} imports through ${workers} local worker(s) at concurrency ${options.concurrency}`);
    points.push(await measurePoint(options, workers, incoming));
  }
  return { records: options.records, workPerRecord: options.workPerRecord, placement: options.placement, points };
}

async function measurePoint(options: ScaleOptions, workers: number, incoming: Station[][]): Promise<ScalePoint> {
  const redis = options.target === null ? await PrivateRedis.start() : null;
  const target: RedisTarget = redis ? { endpoint: redis.endpoint } : (options.target as RedisTarget);
  const queueName = `${options.queueName}-scale-${workers}`;
  let pool: LocalWorkers | null = null;
  let client: QueueClient | null = null;
  try {
    pool = await LocalWorkers.start(
      workers,
      target,
      { queueName, prefix: QUEUE_PREFIX, concurrency: options.concurrency, lockDurationMs: options.lockDurationMs, stalledIntervalMs: options.lockDurationMs },
      options.log,
    );
    client = await QueueClient.open({ target, queueName, prefix: QUEUE_PREFIX, placement: options.placement, attempts: 1, report: false, ...(redis ? { redisLabel: redis.label } : {}) });
    const job: Job = { kind: 'diff', baselineRecords: options.records, baselineSeed: BASELINE_SEED, workPerRecord: options.workPerRecord };
    // Warm-up: one small job per slot, so every sandbox thread is started and holds the baseline
    // ("database") of this size before the clock runs: each thread builds its own once, as a
    // long-running worker would have done long before.
    const small = generateStations(10, BASELINE_SEED);
    const open = client;
    await Promise.all(
      Array.from({ length: workers * options.concurrency }, () =>
        open.submit({ ...job, workPerRecord: 0 }, { kind: 'records', records: small }, options.timeoutMs),
      ),
    );
    const startedMs = performance.now();
    let next = 0;
    const errors: string[] = [];
    const lane = async (): Promise<void> => {
      for (let i = next++; i < incoming.length && !options.signal.aborted; i = next++) {
        try {
          await open.submit(job, { kind: 'records', records: incoming[i] as Station[] }, options.timeoutMs);
        } catch (error: unknown) {
          errors.push(error instanceof Error ? error.message : String(error));
        }
      }
    };
    // As many in flight as there are slots: every worker busy, none starved.
    await Promise.all(Array.from({ length: Math.min(incoming.length, workers * options.concurrency) }, lane));
    const spanMs = performance.now() - startedMs;
    const completed = incoming.length - errors.length;
    return {
      workers,
      concurrency: options.concurrency,
      imports: incoming.length,
      completed,
      spanMs: Math.round(spanMs),
      importsPerMinute: importsPerMinute(completed, spanMs),
      ...(errors.length > 0 ? { errors: [...new Set(errors)] } : {}),
    };
  } finally {
    await pool?.close();
    if (client && redis === null) await client.removeQueue().catch(() => undefined);
    await client?.close();
    await redis?.stop();
  }
}
