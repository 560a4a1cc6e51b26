import { readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { findRedisServer, REDIS_INSTALL_HINT } from '../../src/transports/queue/redis-server.js';
import { descendantsOf } from './processes.js';

// Tests that need a real redis-server. Without one they are skipped and say why, except under CI
// (CI=true), where a missing redis-server fails them: CI must not pass by testing less.

export const redisServerPath = findRedisServer();
export const inCi = process.env.CI === 'true';
export const skipRedisTests = redisServerPath === null && !inCi;

export function announceRedisSkip(file: string): void {
  if (skipRedisTests) console.warn(`[skipped] ${file}: redis-server not found on PATH (${REDIS_INSTALL_HINT})`);
}

/** The private Redis dirs in the temp directory right now. */
export function redisTempDirs(): string[] {
  return readdirSync(os.tmpdir()).filter((name) => name.startsWith('ipc-lab-redis-'));
}

/**
 * Connects to the private Redis of the run that announced `queueName`: a dir that appeared after
 * `before` and whose Redis knows the queue (other runs on the machine may have Redis dirs too).
 */
export async function connectToRunRedis(before: ReadonlySet<string>, queueName: string, timeoutMs = 30_000): Promise<Redis> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    for (const dir of redisTempDirs().filter((d) => !before.has(d))) {
      const client = new Redis({ path: path.join(os.tmpdir(), dir, 'redis.sock'), lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
      client.on('error', () => undefined);
      try {
        await client.connect();
        if ((await client.zscore('ipc-lab:runs', queueName)) !== null) return client;
      } catch {
        // not up yet, or not ours
      }
      client.disconnect();
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no private Redis announced queue ${queueName} within ${timeoutMs} ms`);
}

/** Waits until a worker has started a job of `queueName` and returns that worker's pid (from the job's log). */
export async function activeJobWorkerPid(redis: Redis, queueName: string, timeoutMs = 60_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    for (const jobId of await redis.lrange(`ipc-lab:${queueName}:active`, 0, -1)) {
      for (const line of await redis.lrange(`ipc-lab:${queueName}:${jobId}:logs`, 0, -1)) {
        const entry = JSON.parse(line) as { event?: string; pid?: number };
        if (entry.event === 'start' && entry.pid !== undefined) return entry.pid;
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`no job of ${queueName} started within ${timeoutMs} ms`);
}

/** redis-server processes among the descendants of `root`. */
export function redisServersUnder(root: number): number[] {
  return descendantsOf(root).filter((pid) => {
    try {
      return readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'redis-server';
    } catch {
      return false; // gone meanwhile
    }
  });
}
