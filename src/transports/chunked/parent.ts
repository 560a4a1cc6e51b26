import { performance } from 'node:perf_hooks';
import type { ChildOwner } from '../common/child-owner.js';
import { encodeEnvelope } from '../common/envelope.js';
import { replyPayload } from '../common/envelope-parent.js';
import { startLinkedPeer } from '../common/in-place-link/parent.js';
import { PeerBase } from '../common/peer-base.js';
import type { PrivateTempDir } from '../common/temp-dir.js';
import { TransportError, type ExchangeResult, type Job, type Payload, type PeerOptions, type Transport, type TransportPeer } from '../types.js';
import { ChunkedEndpoint, RefusedError } from './endpoint.js';
import { FramingError } from './framing.js';
import { CHUNKED_EAGER_MAX_BYTES, CHUNKED_FRAME_BYTES, DEFAULT_MAX_MESSAGE_BYTES } from './messages.js';

// Parent side of chunked (the protocol: messages.ts). The parent forks the peer with [to-peer path,
// from-peer path, max message bytes, frame bytes, eager max bytes] and opens the in-place link with it
// (common/in-place-link): each side reads what the other writes straight into the announced message.

type Outcome = { ok: true; message: Buffer } | { ok: false; error: TransportError };

/** Parent side: sends each request as one message on the link, awaits one message back. */
class ChunkedPeer extends PeerBase {
  private settle: ((outcome: Outcome) => void) | null = null;

  constructor(
    private readonly child: ChildOwner,
    dir: PrivateTempDir,
    private readonly endpoint: ChunkedEndpoint,
    options: PeerOptions,
  ) {
    super(child, options, dir);
  }

  // The endpoint's handlers land here (bound in `start`: the endpoint reads before this peer exists).
  onMessage(message: Buffer): void {
    this.settle?.({ ok: true, message });
  }

  onRefusedIncoming(reason: string): void {
    this.settle?.({ ok: false, error: new TransportError('refused', `reply refused: ${reason}`) });
  }

  onFailed(error: Error): void {
    const settle = this.settle;
    if (settle) void this.explainFailure(error).then((explained) => settle({ ok: false, error: explained }));
  }

  /** Garbage on the stream is `corrupted`; a lost connection is explained by the peer's end if it died. */
  private explainFailure(error: Error): Promise<TransportError> {
    if (error instanceof FramingError) return Promise.resolve(new TransportError('corrupted', `from peer ${this.pid}: ${error.message}`));
    return this.child.explainLoss(new TransportError('error', `peer ${this.pid}: ${error.message}`));
  }

  exchange(job: Job, payload: Payload, signal?: AbortSignal): Promise<ExchangeResult> {
    // One link, one message at a time each way.
    return this.oneAtATime(() => this.guarded(this.run(job, payload), signal));
  }

  private async run(job: Job, payload: Payload): Promise<ExchangeResult> {
    const startedMs = performance.now();
    const writtenBefore = this.endpoint.bytesWritten;
    const readBefore = this.endpoint.bytesRead;
    const outcome = new Promise<Outcome>((resolve) => (this.settle = resolve));
    try {
      const request = encodeEnvelope({ type: 'request', job, payloadKind: payload.kind }, payload);
      await this.endpoint.send(request.parts, request.sizeBytes).catch(async (error: Error) => {
        if (error instanceof RefusedError) throw new TransportError('refused', `peer ${this.pid} refused the request: ${error.message}`);
        // The link failed before the peer said 'ready' (say it was killed): say how it ended.
        throw await this.explainFailure(error);
      });
      const settled = await outcome;
      if (!settled.ok) throw settled.error;
      const reply = replyPayload(settled.message, this.pid, (peakRssBytes) => (this.lastPeakRssBytes = peakRssBytes));
      return {
        reply,
        bytesToPeer: this.endpoint.bytesWritten - writtenBefore,
        bytesFromPeer: this.endpoint.bytesRead - readBefore,
        roundTripMs: performance.now() - startedMs,
      };
    } finally {
      this.settle = null;
    }
  }

  protected override release(): void {
    this.endpoint.close();
  }
}

export const chunkedTransport: Transport = {
  id: 'chunked',
  title: 'size first, "ready for data", framed chunks read in place, both ways (Unix socket)',
  talkIteration: 6,
  ownWireFormat: true,
  async start(options: PeerOptions): Promise<TransportPeer> {
    const maxMessageBytes = options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
    let peer: ChunkedPeer | null = null;
    const endpoint = new ChunkedEndpoint(
      { maxMessageBytes, frameBytes: CHUNKED_FRAME_BYTES, eagerMaxBytes: CHUNKED_EAGER_MAX_BYTES },
      {
        message: (message) => peer?.onMessage(message),
        refusedIncoming: (reason) => peer?.onRefusedIncoming(reason),
        failed: (error) => peer?.onFailed(error),
      },
    );
    const { owner, dir, link } = await startLinkedPeer('chunked', options, endpoint.reader, [
      String(maxMessageBytes),
      String(CHUNKED_FRAME_BYTES),
      String(CHUNKED_EAGER_MAX_BYTES),
    ]);
    endpoint.attach(link);
    peer = new ChunkedPeer(owner, dir, endpoint, options);
    return peer;
  },
};
