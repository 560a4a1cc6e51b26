import { ChildOwner } from '../common/child-owner.js';
import { TransportError, type ExchangeResult, type Job, type Payload, type PeerOptions, type Transport, type TransportPeer } from '../types.js';
import type { QueueClient } from './client.js';
import { startLocalWorker } from './local-workers.js';
import { DEFAULT_PLACEMENT, QUEUE_PREFIX } from './messages.js';
import { PrivateRedis } from './redis-server.js';

// Not in the talk: the answer it set aside ("why not a message queue?"). For the sweep: a private
// redis-server, one BullMQ worker process, and a producer in this process; the echo goes through Redis.

let queueCounter = 0;

class QueuePeer implements TransportPeer {
  readonly pid: number;

  constructor(
    private readonly redis: PrivateRedis,
    private readonly worker: ChildOwner,
    private readonly client: QueueClient,
    private readonly options: PeerOptions,
  ) {
    this.pid = worker.pid;
    // Redis gone: the peer is unusable, every exchange in flight fails now, with the reason.
    redis.onLoss((reason) => worker.fail(new TransportError('crashed', reason)));
  }

  async exchange(job: Job, payload: Payload, signal?: AbortSignal): Promise<ExchangeResult> {
    const result = await this.worker.guard(this.client.submit(job, payload, this.options.timeoutMs, signal), this.options.timeoutMs, 'queue exchange');
    return { reply: result.reply, bytesToPeer: result.bytesToWorker, bytesFromPeer: result.bytesFromWorker, roundTripMs: result.roundTripMs };
  }

  async close(): Promise<void> {
    await this.worker.close();
    await this.client.close();
    // The Redis is private and goes as a whole: no need to remove keys one by one.
    await this.redis.stop();
  }
}

export const queueTransport: Transport = {
  id: 'queue',
  title: 'BullMQ job queue on a private Redis, a worker process takes the job (workers could be on any host)',
  talkIteration: null,
  brokered: true,
  async start(options: PeerOptions): Promise<TransportPeer> {
    const redis = await PrivateRedis.start();
    const target = { endpoint: redis.endpoint };
    const queueName = `sweep-${process.pid}-${++queueCounter}`;
    let worker: ChildOwner | null = null;
    try {
      worker = await startLocalWorker(target, {
        queueName,
        prefix: QUEUE_PREFIX,
        concurrency: 1,
        lockDurationMs: 30_000,
        stalledIntervalMs: 30_000,
      });
      // BullMQ and ioredis load here, not with the registry: every command imports the registry.
      const { QueueClient } = await import('./client.js');
      const client = await QueueClient.open({
        target,
        queueName,
        prefix: QUEUE_PREFIX,
        placement: options.queuePlacement ?? DEFAULT_PLACEMENT,
        attempts: 1,
        report: false,
        redisLabel: redis.label,
      });
      return new QueuePeer(redis, worker, client, options);
    } catch (error) {
      await worker?.close();
      await redis.stop();
      throw error;
    }
  },
};
