import net from 'node:net';
import { performance } from 'node:perf_hooks';
import { decodeEnvelope, encodeEnvelope } from '../shared/envelope.js';
import { startForkedPeer, type ChildOwner } from '../shared/child-owner.js';
import { PeerBase } from '../shared/peer-base.js';
import { PrivateTempDir } from '../shared/temp-dir.js';
import { TransportError, type ExchangeResult, type Job, type Payload, type PeerOptions, type Transport, type TransportPeer } from '../types.js';
import { ChunkedEndpoint, RefusedError } from './endpoint.js';
import { FramingError } from './framing.js';
import { CHUNKED_FRAME_BYTES, DEFAULT_MAX_MESSAGE_BYTES } from './messages.js';

// Parent side of chunked (the protocol: messages.ts). The parent listens on a socket in its private
// temp dir and forks the peer with [socket path, max message bytes, frame bytes]; the peer connects
// and says 'ready' over the fork channel; from then on everything goes over that one connection.

type Outcome = { ok: true; message: Buffer } | { ok: false; error: TransportError };

/** Parent side: sends each request as one message on the connection the peer opened, awaits one back. */
class ChunkedPeer extends PeerBase {
  private readonly endpoint: ChunkedEndpoint;
  private settle: ((outcome: Outcome) => void) | null = null;

  constructor(
    private readonly child: ChildOwner,
    dir: PrivateTempDir,
    socket: net.Socket,
    options: PeerOptions,
  ) {
    super(child, options, dir);
    const maxMessageBytes = options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
    this.endpoint = new ChunkedEndpoint(socket, { maxMessageBytes, frameBytes: CHUNKED_FRAME_BYTES }, {
      message: (message) => this.settle?.({ ok: true, message }),
      refusedIncoming: (reason) => this.settle?.({ ok: false, error: new TransportError('refused', `reply refused: ${reason}`) }),
      failed: (error) => {
        const settle = this.settle;
        if (settle) void this.explainFailure(error).then((explained) => settle({ ok: false, error: explained }));
      },
    });
  }

  /** Garbage on the stream is `corrupted`; a lost connection is explained by the peer's end if it died. */
  private explainFailure(error: Error): Promise<TransportError> {
    if (error instanceof FramingError) return Promise.resolve(new TransportError('corrupted', `from peer ${this.pid}: ${error.message}`));
    return this.child.explainLoss(new TransportError('error', `peer ${this.pid}: ${error.message}`));
  }

  exchange(job: Job, payload: Payload, signal?: AbortSignal): Promise<ExchangeResult> {
    // One connection, one message at a time each way.
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
        // The connection failed before the peer said 'ready' (say it was killed): say how it ended.
        throw await this.explainFailure(error);
      });
      const settled = await outcome;
      if (!settled.ok) throw settled.error;
      const { header, payload: reply } = decodeEnvelope(settled.message);
      if (header.type !== 'request') this.lastPeakRssBytes = header.peakRssBytes;
      if (header.type === 'error') throw new TransportError('error', `peer ${this.pid}: ${header.message}`);
      if (reply === null) throw new TransportError('corrupted', `peer ${this.pid} replied without a payload`);
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

function listen(socketPath: string): Promise<net.Server> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(socketPath, () => resolve(server));
  });
}

export const chunkedTransport: Transport = {
  id: 'chunked',
  title: 'size first, "ready for data", framed chunks, both ways (Unix socket)',
  talkIteration: 6,
  async start(options: PeerOptions): Promise<TransportPeer> {
    const dir = PrivateTempDir.create('chunked');
    const socketPath = dir.file('peer.sock');
    const server = await listen(socketPath);
    const accepted = new Promise<net.Socket>((resolve) => server.once('connection', resolve));
    const maxMessageBytes = options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
    let owner: ChildOwner | null = null;
    try {
      owner = await startForkedPeer('chunked', [socketPath, String(maxMessageBytes), String(CHUNKED_FRAME_BYTES)], options);
      const socket = await owner.guard(accepted, options.timeoutMs, 'chunked peer connection');
      return new ChunkedPeer(owner, dir, socket, options);
    } catch (error) {
      await owner?.close();
      await dir.remove();
      throw error;
    } finally {
      // One peer, one connection: stop accepting (the socket file goes with the dir at close).
      server.close();
    }
  },
};
