import { performance } from 'node:perf_hooks';
import { encodeEnvelope } from '../common/envelope.js';
import { replyPayload } from '../common/envelope-parent.js';
import type { ChildOwner } from '../common/child-owner.js';
import { startLinkedPeer } from '../common/in-place-link/parent.js';
import { writeParts, type Link } from '../common/in-place-link/socket.js';
import { DEFAULT_MAX_MESSAGE_BYTES, FramingError } from '../common/in-place-reader.js';
import { PeerBase } from '../common/peer-base.js';
import type { PrivateTempDir } from '../common/temp-dir.js';
import { TransportError, type ExchangeResult, type Job, type Payload, type PeerOptions, type Transport, type TransportPeer } from '../types.js';
import { LENGTH_PREFIX_BYTES, lengthPrefix, LengthPrefixedReader } from './framing.js';

// Not in the talk: the reference for what the kernel and Node can move. One persistent link per peer
// (two Unix socket connections, common/in-place-link), each message [uint32 BE length][envelope]:
// the least a stream needs to tell messages apart. The receiver reads the prefix, allocates the
// announced size once (after checking it against maxMessageBytes) and lets every read land straight
// in that buffer (`onread`), so a big message costs the kernel's copy and nothing else: no 64 KiB
// chunks to concatenate. A small one arrives whole with its prefix in one read and is copied out
// once (framing.ts): one syscall, not two. The envelope (common/envelope.ts) carries the job and
// payload kind.

type Waiting = { resolve: (message: Buffer) => void; reject: (error: Error) => void };

class RawSocketPeer extends PeerBase {
  private waiting: Waiting | null = null;
  private lost: Error | null = null;

  constructor(
    private readonly child: ChildOwner,
    dir: PrivateTempDir,
    private readonly link: Link,
    options: PeerOptions,
    private readonly maxMessageBytes: number,
  ) {
    super(child, options, dir);
    for (const socket of [link.inbound, link.outbound]) {
      socket.on('error', (error) => this.fail(error));
      socket.on('close', () => this.fail(new Error('connection closed')));
    }
  }

  /** A whole reply, landed in place. */
  deliver(message: Buffer): void {
    const waiting = this.waiting;
    this.waiting = null;
    waiting?.resolve(message);
  }

  private fail(error: Error): void {
    this.lost ??= error;
    const waiting = this.waiting;
    this.waiting = null;
    waiting?.reject(error);
  }

  exchange(job: Job, payload: Payload, signal?: AbortSignal): Promise<ExchangeResult> {
    // One link, one message at a time each way.
    return this.oneAtATime(() => this.guarded(this.run(job, payload), signal));
  }

  private async run(job: Job, payload: Payload): Promise<ExchangeResult> {
    const startedMs = performance.now();
    const request = encodeEnvelope({ type: 'request', job, payloadKind: payload.kind }, payload);
    // The peer would drop the link on a length above its maximum (it never allocates one): say so here instead.
    if (request.sizeBytes > this.maxMessageBytes) {
      throw new TransportError('refused', `request of ${request.sizeBytes} bytes is above the maximum of ${this.maxMessageBytes} bytes`);
    }
    const replied = new Promise<Buffer>((resolve, reject) => {
      if (this.lost) reject(this.lost);
      else this.waiting = { resolve, reject };
    });
    if (!this.lost) writeParts(this.link.outbound, [lengthPrefix(request.sizeBytes), ...request.parts]);
    const replyBytes = await replied.catch(async (error: Error) => {
      // Garbage on the stream is `corrupted`; a lost connection is explained by the peer's end if it died.
      if (error instanceof FramingError) throw new TransportError('corrupted', `from peer ${this.pid}: ${error.message}`);
      throw await this.child.explainLoss(new TransportError('error', `peer ${this.pid}: ${error.message}`));
    });
    const reply = replyPayload(replyBytes, this.pid, (peakRssBytes) => (this.lastPeakRssBytes = peakRssBytes));
    return {
      reply,
      bytesToPeer: LENGTH_PREFIX_BYTES + request.sizeBytes,
      bytesFromPeer: LENGTH_PREFIX_BYTES + replyBytes.length,
      roundTripMs: performance.now() - startedMs,
    };
  }

  protected override release(): void {
    this.link.inbound.destroy();
    this.link.outbound.destroy();
  }
}

export const rawSocketTransport: Transport = {
  id: 'raw-socket',
  title: 'Unix socket, length prefix, read in place (reference)',
  talkIteration: null,
  ownWireFormat: true,
  async start(options: PeerOptions): Promise<TransportPeer> {
    const maxMessageBytes = options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
    // The reader exists before the link (the socket reads from the moment it connects); the peer object after.
    let peer: RawSocketPeer | null = null;
    const reader = new LengthPrefixedReader(maxMessageBytes, (message) => peer?.deliver(message));
    const { owner, dir, link } = await startLinkedPeer('raw-socket', options, reader, [String(maxMessageBytes)]);
    peer = new RawSocketPeer(owner, dir, link, options, maxMessageBytes);
    return peer;
  },
};
