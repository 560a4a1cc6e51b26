import type { Redis } from 'ioredis';
import { QUEUE_PREFIX } from './messages.js';

// How a worker started elsewhere (`npm run worker -- --redis URL`) finds the runs it can serve:
// each run's queue has a name unique to the run, so a run announces it in one sorted set, scored by
// when the announcement expires, and refreshes it while it lives. A run killed outright drops out
// when its score passes; a run that ends removes itself, and the set vanishes with its last member.

export const RUNS_KEY = `${QUEUE_PREFIX}:runs`;
const ANNOUNCE_TTL_MS = 15_000;
const REFRESH_EVERY_MS = 5_000;

/** What a run tells the workers that join it, kept under the run's own queue name (removed with it). */
export interface RunAnnouncement {
  queueName: string;
  lockDurationMs: number;
}

export function settingsKey(queueName: string): string {
  return `${QUEUE_PREFIX}:${queueName}:harness`;
}

export class RunAnnouncer {
  private readonly timer: NodeJS.Timeout;

  private constructor(
    private readonly redis: Redis,
    private readonly queueName: string,
  ) {
    this.timer = setInterval(() => {
      this.refresh().catch(() => undefined); // Redis away: the producer reports that itself
    }, REFRESH_EVERY_MS);
    this.timer.unref();
  }

  static async announce(redis: Redis, announcement: RunAnnouncement): Promise<RunAnnouncer> {
    await redis
      .multi()
      .hset(settingsKey(announcement.queueName), { lockDurationMs: String(announcement.lockDurationMs) })
      .zadd(RUNS_KEY, Date.now() + ANNOUNCE_TTL_MS, announcement.queueName)
      .exec();
    return new RunAnnouncer(redis, announcement.queueName);
  }

  private async refresh(): Promise<void> {
    await this.redis.zadd(RUNS_KEY, Date.now() + ANNOUNCE_TTL_MS, this.queueName);
  }

  /** Stops announcing; the run's settings key goes with the rest of its queue's keys. */
  async withdraw(): Promise<void> {
    this.stop();
    await this.redis.zrem(RUNS_KEY, this.queueName);
  }

  /** Stops refreshing only (Redis is gone): the announcement expires by itself. */
  stop(): void {
    clearInterval(this.timer);
  }
}

/** The runs announced and not expired, with what they ask of their workers. */
export async function liveRuns(redis: Redis, nowEpochMs = Date.now()): Promise<RunAnnouncement[]> {
  const names = await redis.zrangebyscore(RUNS_KEY, nowEpochMs, '+inf');
  const runs: RunAnnouncement[] = [];
  for (const queueName of names) {
    const lockDurationMs = Number(await redis.hget(settingsKey(queueName), 'lockDurationMs'));
    if (Number.isFinite(lockDurationMs) && lockDurationMs > 0) runs.push({ queueName, lockDurationMs });
  }
  return runs;
}
