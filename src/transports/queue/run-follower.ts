import { Redis } from 'ioredis';
import { redisOptions, type RedisTarget } from './connection.js';
import { QUEUE_PREFIX } from './messages.js';
import { liveRuns } from './run-registry.js';
import { startQueueWorker, type QueueWorkerHandle } from './worker.js';

const POLL_EVERY_MS = 1_000;

/**
 * A worker on another host that was not told a queue: it serves every run announced on the Redis,
 * joining each run's queue while the run lives (with the lock duration the run asks for) and
 * leaving it when the run ends.
 */
export class RunFollower {
  private readonly workers = new Map<string, Promise<QueueWorkerHandle>>();
  private timer: NodeJS.Timeout | null = null;
  private polling = false;

  private constructor(
    private readonly redis: Redis,
    private readonly target: RedisTarget,
    private readonly concurrency: number,
    private readonly log: (line: string) => void,
  ) {}

  static async start(target: RedisTarget, concurrency: number, log: (line: string) => void): Promise<RunFollower> {
    const redis = new Redis({ ...redisOptions(target, 'worker'), lazyConnect: true });
    redis.on('error', () => undefined); // a poll that fails says so below
    await redis.connect();
    const follower = new RunFollower(redis, target, concurrency, log);
    await follower.poll();
    follower.timer = setInterval(() => void follower.poll(), POLL_EVERY_MS);
    return follower;
  }

  get queues(): string[] {
    return [...this.workers.keys()];
  }

  private async poll(): Promise<void> {
    if (this.polling) return;
    this.polling = true;
    try {
      const runs = await liveRuns(this.redis);
      const live = new Set(runs.map((run) => run.queueName));
      for (const run of runs) {
        if (this.workers.has(run.queueName)) continue;
        this.log(`joining queue ${run.queueName} (lock duration ${run.lockDurationMs} ms)`);
        const starting = startQueueWorker({
          target: this.target,
          queueName: run.queueName,
          prefix: QUEUE_PREFIX,
          concurrency: this.concurrency,
          lockDurationMs: run.lockDurationMs,
          stalledIntervalMs: run.lockDurationMs,
          onError: (error) => this.log(`queue ${run.queueName}: ${error.message}`),
        });
        starting.catch((error: unknown) => {
          this.log(`could not join queue ${run.queueName}: ${String(error)}`);
          this.workers.delete(run.queueName);
        });
        this.workers.set(run.queueName, starting);
      }
      for (const [queueName, handle] of this.workers) {
        if (live.has(queueName)) continue;
        this.workers.delete(queueName);
        this.log(`leaving queue ${queueName}: its run ended`);
        void handle.then((worker) => worker.close()).catch(() => undefined);
      }
    } catch (error: unknown) {
      this.log(`cannot read the announced runs: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      this.polling = false;
    }
  }

  /** Leaves every queue; without `force`, the running jobs finish first. */
  async close(force = false): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    const handles = [...this.workers.values()];
    this.workers.clear();
    await Promise.allSettled(handles.map(async (handle) => (await handle).close(force)));
    this.redis.disconnect();
  }
}
