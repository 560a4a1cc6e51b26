import os from 'node:os';
import type { SandboxedJob } from 'bullmq';
import { Redis } from 'ioredis';
import { errorMessage } from '../../format/error.js';
import { runJob } from '../common/jobs.js';
import { fromJsonWire, jsonWireBytes, toJsonWire } from '../common/json-wire.js';
import { redisOptions, type RedisTarget } from './connection.js';
import { WORKER_ENV, type AttemptLogLine, type QueueJobData, type QueueJobResult } from './messages.js';
import { decodePayload, encodePayload } from './payload-codec.js';
import type { RedisEndpoint } from './redis-config.js';

// BullMQ's sandboxed processor: it runs in a worker thread of the worker process, so the import's CPU
// work never blocks the thread that renews the job's lock (a blocked one would let the lock expire
// and the job run twice). Compiled JavaScript, loaded by BullMQ from dist/.

let keys: Redis | null = null;

/** This thread's own connection, for payloads kept in keys of their own (the worker's env says where). */
function keysClient(): Redis {
  if (keys === null) {
    const endpointJson = process.env[WORKER_ENV.endpoint];
    if (endpointJson === undefined) throw new Error(`${WORKER_ENV.endpoint} is not set: the worker process must say where Redis is`);
    const password = process.env[WORKER_ENV.password];
    const target: RedisTarget = { endpoint: JSON.parse(endpointJson) as RedisEndpoint, ...(password ? { password } : {}) };
    keys = new Redis(redisOptions(target, 'worker'));
    keys.on('error', () => undefined); // reconnects by itself; a command that fails reports the error
  }
  return keys;
}

export default async function processQueueJob(job: SandboxedJob<QueueJobData, QueueJobResult>): Promise<QueueJobResult> {
  const host = os.hostname();
  const pid = process.pid;
  const startedAtEpochMs = Date.now();
  const logLine = (line: AttemptLogLine): void => job.log(JSON.stringify(line));
  logLine({ event: 'start', host, pid, atEpochMs: startedAtEpochMs });
  try {
    const data = job.data;
    if (data.placement === 'job-data') {
      const reply = toJsonWire(runJob(data.job, fromJsonWire(data.payload)));
      return {
        placement: 'job-data',
        reply,
        requestBytes: jsonWireBytes(data.payload),
        replyBytes: jsonWireBytes(reply),
        worker: { host, pid, startedAtEpochMs, finishedAtEpochMs: Date.now() },
      };
    }
    const redis = keysClient();
    const stored = await redis.getBuffer(data.payloadKey);
    if (stored === null) throw new Error(`payload key ${data.payloadKey} is gone (expired, or its run has ended)`);
    const reply = runJob(data.job, decodePayload(data.payloadKind, stored));
    const encoded = encodePayload(reply);
    await redis.set(data.replyKey, encoded, 'PX', data.replyTtlMs);
    return {
      placement: 'redis-key',
      replyKey: data.replyKey,
      replyKind: reply.kind,
      requestBytes: stored.length,
      replyBytes: encoded.length,
      worker: { host, pid, startedAtEpochMs, finishedAtEpochMs: Date.now() },
    };
  } catch (error: unknown) {
    logLine({ event: 'error', host, pid, atEpochMs: Date.now(), message: errorMessage(error) });
    throw error;
  }
}
