import net from 'node:net';
import { performance } from 'node:perf_hooks';
import type { ChildOwner } from './child-owner.js';
import { decodeEnvelope, encodeEnvelope } from './envelope.js';
import { startForkedChild } from './fork-channel.js';
import { writeParts } from './socket-peer.js';
import { PrivateTempDir } from './temp-dir.js';
import { TransportError, type ExchangeResult, type Job, type Payload, type PeerOptions, type Transport, type TransportPeer } from './types.js';

/** Sends one message on a fresh connection, ends our side, reads until the peer ends: no framing. */
export function sendAndReadToEnd(socketPath: string, parts: Buffer[], sockets: Set<net.Socket>): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ path: socketPath, allowHalfOpen: true });
    sockets.add(socket);
    const chunks: Buffer[] = [];
    let ended = false;
    socket.on('connect', () => {
      writeParts(socket, parts);
      socket.end();
    });
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('end', () => {
      ended = true;
      resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks));
    });
    socket.on('error', (error) => {
      if (!ended) reject(new TransportError('error', `socket ${socketPath}: ${error.message}`));
    });
    socket.on('close', () => {
      sockets.delete(socket);
      if (!ended) reject(new TransportError('error', `socket ${socketPath} closed before the reply ended`));
    });
  });
}

class SocketPeer implements TransportPeer {
  readonly pid: number;
  private lastPeakRssBytes: number | null = null;
  private readonly sockets = new Set<net.Socket>();

  constructor(
    private readonly owner: ChildOwner,
    private readonly dir: PrivateTempDir,
    private readonly socketPath: string,
    private readonly options: PeerOptions,
  ) {
    this.pid = owner.pid;
  }

  exchange(job: Job, payload: Payload): Promise<ExchangeResult> {
    return this.owner.guard(this.run(job, payload), this.options.timeoutMs, `exchange with peer ${this.pid}`).catch((error: unknown) => {
      for (const socket of this.sockets) socket.destroy();
      throw error;
    });
  }

  private async run(job: Job, payload: Payload): Promise<ExchangeResult> {
    const startedMs = performance.now();
    const request = encodeEnvelope({ type: 'request', job, payloadKind: payload.kind }, payload);
    const replyBytes = await sendAndReadToEnd(this.socketPath, request.parts, this.sockets).catch(async (error: TransportError) => {
      throw await this.owner.explainLoss(error);
    });
    let envelope;
    try {
      envelope = decodeEnvelope(replyBytes);
    } catch (error) {
      throw new TransportError('corrupted', `reply from peer ${this.pid}: ${(error as Error).message}`);
    }
    if (envelope.header.type !== 'request') this.lastPeakRssBytes = envelope.header.peakRssBytes;
    if (envelope.header.type === 'error') throw new TransportError('error', `peer ${this.pid}: ${envelope.header.message}`);
    if (envelope.payload === null) throw new TransportError('corrupted', `peer ${this.pid} replied without a payload`);
    return { reply: envelope.payload, bytesToPeer: request.sizeBytes, bytesFromPeer: replyBytes.length, roundTripMs: performance.now() - startedMs };
  }

  peerPeakRssBytes(): Promise<number | null> {
    return Promise.resolve(this.lastPeakRssBytes);
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await this.owner.close();
    await this.dir.remove();
  }
}

/** raw-socket: one enveloped message per connection each way (see socket-peer.ts). */
export function oneShotSocketTransport(meta: Pick<Transport, 'id' | 'title' | 'talkIteration'>): Transport {
  return {
    ...meta,
    async start(options: PeerOptions): Promise<TransportPeer> {
      const dir = PrivateTempDir.create(meta.id);
      const socketPath = dir.file('peer.sock');
      try {
        const owner = await startForkedChild(meta.id, [socketPath], options);
        return new SocketPeer(owner, dir, socketPath, options);
      } catch (error) {
        await dir.remove();
        throw error;
      }
    },
  };
}
