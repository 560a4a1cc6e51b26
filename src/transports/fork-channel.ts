import { performance } from 'node:perf_hooks';
import { ChildOwner } from './child-owner.js';
import type { ForkCodec, ForkFromPeer, ForkReply, ForkFailure, ForkToPeer } from './fork-messages.js';
import { TransportError, type ExchangeResult, type Job, type Payload, type PeerOptions, type Transport, type TransportId, type TransportPeer } from './types.js';

/** A child that waits for its first 'ready' message: shared by every forked transport. */
export async function startForkedChild(
  transportId: TransportId,
  args: string[],
  options: PeerOptions,
  serialization: 'json' | 'advanced' = 'json',
): Promise<ChildOwner> {
  const owner = new ChildOwner({ transportId, args, childHeapMb: options.childHeapMb, serialization });
  const ready = new Promise<void>((resolve) => {
    const onMessage = (message: { type?: unknown }): void => {
      if (message.type !== 'ready') return;
      owner.child.off('message', onMessage);
      resolve();
    };
    owner.child.on('message', onMessage);
  });
  try {
    await owner.guard(ready, options.timeoutMs, `${transportId} peer start-up`);
  } catch (error) {
    await owner.close();
    throw error;
  }
  return owner;
}

class ForkChannelPeer<Body> implements TransportPeer {
  readonly pid: number;
  private nextId = 1;
  private readonly waiting = new Map<number, (reply: ForkReply<Body> | ForkFailure) => void>();
  private lastPeakRssBytes: number | null = null;

  constructor(
    private readonly owner: ChildOwner,
    private readonly codec: ForkCodec<Body>,
    private readonly options: PeerOptions,
  ) {
    this.pid = owner.pid;
    owner.child.on('message', (message: ForkFromPeer<Body>) => {
      if (message.type === 'ready') return;
      this.lastPeakRssBytes = message.peakRssBytes;
      this.waiting.get(message.id)?.(message);
    });
  }

  exchange(job: Job, payload: Payload): Promise<ExchangeResult> {
    const id = this.nextId++;
    return this.owner.guard(this.run(id, job, payload), this.options.timeoutMs, `exchange ${id} with peer ${this.pid}`).finally(() => {
      this.waiting.delete(id);
    });
  }

  private async run(id: number, job: Job, payload: Payload): Promise<ExchangeResult> {
    const startedMs = performance.now();
    const body = await this.codec.encode(payload);
    const replied = new Promise<ForkReply<Body> | ForkFailure>((resolve) => this.waiting.set(id, resolve));
    const request: ForkToPeer<Body> = { type: 'request', id, job, body };
    await new Promise<void>((resolve, reject) => {
      this.owner.child.send(request, (error) => (error ? reject(new TransportError('error', `send to peer ${this.pid}: ${error.message}`)) : resolve()));
    });
    const reply = await replied;
    if (reply.type === 'error') throw new TransportError('error', `peer ${this.pid}: ${reply.message}`);
    const replyPayload = await this.codec.decode(reply.body);
    const roundTripMs = performance.now() - startedMs;
    return {
      reply: replyPayload,
      bytesToPeer: this.codec.messageWireBytes({ ...request, body: null }, reply.requestBodyBytes),
      bytesFromPeer: this.codec.messageWireBytes({ ...reply, body: null }, reply.replyBodyBytes),
      roundTripMs,
    };
  }

  peerPeakRssBytes(): Promise<number | null> {
    return Promise.resolve(this.lastPeakRssBytes);
  }

  async close(): Promise<void> {
    this.waiting.clear();
    await this.owner.close();
  }
}

/** A transport whose data goes through process.send, encoded by `codec`. */
export function forkChannelTransport<Body>(
  meta: Pick<Transport, 'id' | 'title' | 'talkIteration'>,
  codec: ForkCodec<Body>,
): Transport {
  return {
    ...meta,
    async start(options: PeerOptions): Promise<TransportPeer> {
      const owner = await startForkedChild(meta.id, [], options, codec.serialization);
      return new ForkChannelPeer(owner, codec, options);
    },
  };
}
