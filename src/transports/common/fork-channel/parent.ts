import { performance } from 'node:perf_hooks';
import { errorMessage } from '../../../format/error.js';
import type { TransportId } from '../../registry.js';
import { TransportError, type ExchangeResult, type Job, type Payload, type PeerOptions, type Transport, type TransportPeer } from '../../types.js';
import { startForkedPeer, type ChildOwner } from '../child-owner.js';
import { PeerBase } from '../peer-base.js';
import { PendingReplies } from '../pending-replies.js';
import type { ForkCodec, ForkFailure, ForkFromPeer, ForkReply, ForkToPeer } from './messages.js';

/** Parent side of the fork-channel family: requests by process.send, replies matched by id. */
class ForkChannelPeer<Body> extends PeerBase {
  private readonly replies = new PendingReplies<ForkReply<Body> | ForkFailure>();

  constructor(
    private readonly child: ChildOwner,
    private readonly codec: ForkCodec<Body>,
    options: PeerOptions,
  ) {
    super(child, options);
    child.child.on('message', (message: ForkFromPeer<Body>) => {
      if (message.type === 'ready') return;
      this.lastPeakRssBytes = message.peakRssBytes;
      this.replies.settle(message.id, message);
    });
  }

  exchange(job: Job, payload: Payload, signal?: AbortSignal): Promise<ExchangeResult> {
    return this.replies.withId((id, reply) => this.guarded(this.run(id, reply, job, payload), signal, `exchange ${id} with peer ${this.pid}`));
  }

  private async run(id: number, replied: Promise<ForkReply<Body> | ForkFailure>, job: Job, payload: Payload): Promise<ExchangeResult> {
    const startedMs = performance.now();
    const body = await this.codec.encode(payload);
    const request: ForkToPeer<Body> = { type: 'request', id, job, body };
    await new Promise<void>((resolve, reject) => {
      this.child.child.send(request, (error) => (error ? reject(new TransportError('error', `send to peer ${this.pid}: ${error.message}`)) : resolve()));
    });
    const reply = await replied;
    if (reply.type === 'error') throw new TransportError('error', `peer ${this.pid}: ${reply.message}`);
    const replyPayload = await this.codec.decode(reply.body, this.options.maxMessageBytes).catch((error: unknown) => {
      // A reply that does not decode (a broken gzip stream, one inflating past the limit) is the peer's fault.
      if (error instanceof TransportError) throw error;
      throw new TransportError('corrupted', `reply from peer ${this.pid}: ${errorMessage(error)}`);
    });
    const roundTripMs = performance.now() - startedMs;
    return {
      reply: replyPayload,
      bytesToPeer: this.codec.messageWireBytes({ ...request, body: null }, reply.requestBodyBytes),
      bytesFromPeer: this.codec.messageWireBytes({ ...reply, body: null }, reply.replyBodyBytes),
      roundTripMs,
    };
  }

  protected override release(): void {
    this.replies.clear();
  }
}

/** A transport whose data goes through process.send, encoded by `codec`. */
export function forkChannelTransport<Body>(
  meta: { id: TransportId; title: string; talkIteration: number | null; ownWireFormat?: true },
  codec: ForkCodec<Body>,
): Transport {
  return {
    ...meta,
    async start(options: PeerOptions): Promise<TransportPeer> {
      const owner = await startForkedPeer(meta.id, [], options, codec.serialization);
      return new ForkChannelPeer(owner, codec, options);
    },
  };
}
