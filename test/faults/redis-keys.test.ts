// The Redis keys a queue case leaves behind, counted on a real private redis-server: exact counts,
// and 0 after the queue scenario's own clean-up (the count the faults table shows).
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { faultQueueSettings, redisKeysLeft } from '../../src/faults/scenario-case.js';
import { startServerProcess } from '../../src/scenario/server-process.js';
import { QueueClient } from '../../src/transports/queue/client.js';
import { QUEUE_PREFIX } from '../../src/transports/queue/messages.js';
import { PrivateRedis } from '../../src/transports/queue/redis-server.js';
import { announceRedisSkip, skipRedisTests } from '../helpers/redis.js';
import { ourTempDirs, useOwnTempDir } from '../transports/helpers.js';

announceRedisSkip('Redis keys left by a queue case');
useOwnTempDir();

describe.skipIf(skipRedisTests)('Redis keys left by a queue case', () => {
  it('counts the queue\'s keys, or every key of a private Redis; none of the queue\'s after removeQueue', async () => {
    const redis = await PrivateRedis.start();
    const other = new Redis({ path: redis.endpoint.kind === 'unix' ? redis.endpoint.path : '' });
    let client: QueueClient | null = null;
    try {
      client = await QueueClient.open({ target: { endpoint: redis.endpoint }, queueName: 'count', prefix: QUEUE_PREFIX, placement: 'redis-key', attempts: 1, report: false });
      // BullMQ writes one key of the queue's own as it opens; nothing else is in this Redis yet.
      expect([await client.keysLeft(false), await client.keysLeft(true)]).toEqual([1, 1]);
      await other.set(`${QUEUE_PREFIX}:count:payload:a`, 'x');
      await other.set(`${QUEUE_PREFIX}:count:reply:b`, 'y');
      await other.set(`${QUEUE_PREFIX}:another-queue:payload:c`, 'z');
      expect(await client.keysLeft(false)).toBe(3);
      expect(await client.keysLeft(true)).toBe(4);
      await client.removeQueue();
      expect(await client.keysLeft(false)).toBe(0);
      expect(await client.keysLeft(true)).toBe(1); // another queue's key is not this run's to remove
    } finally {
      other.disconnect();
      await client?.close();
      await redis.stop();
    }
  });

  it('the queue scenario\'s server with the faults\' settings: one import, its clean-up, 0 keys left, counted before its Redis stopped', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'ipc-lab-fault-'));
    try {
      const server = await startServerProcess('queue', {
        host: '127.0.0.1', port: 0, records: 2000, workers: 2, pool: false, importTimeoutMs: 20_000, childHeapMb: null, importPriority: 'normal', maxImports: 2, queue: faultQueueSettings(dir),
      });
      try {
        const res = await fetch(`http://127.0.0.1:${server.port}/import?records=2000&changes=0.1&seed=1&work=0`, { method: 'POST' });
        expect(res.status).toBe(200);
      } finally {
        await server.stop();
      }
      expect(redisKeysLeft('queue', dir)).toBe(0);
      // Not a queue: no Redis involved, n/a.
      expect(redisKeysLeft('fork-send', dir)).toBeNull();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect(ourTempDirs()).toEqual([]);
  });
});
