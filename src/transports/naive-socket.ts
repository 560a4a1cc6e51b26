import type net from 'node:net';
import { performance } from 'node:perf_hooks';
import type { ChildOwner } from './child-owner.js';
import { payloadBody, payloadFromBody } from './envelope.js';
import { startForkedChild } from './fork-channel.js';
import { ipcMessageBytes, type NaiveFromPeer, type NaiveRequest } from './naive-socket-messages.js';
import { sendAndReadToEnd } from './socket-transport.js';
import { PrivateTempDir } from './temp-dir.js';
import { TransportError, type ExchangeResult, type Job, type Payload, type PeerOptions, type Transport, type TransportPeer } from './types.js';

/**
 * THE BUG THE TALK HIT, KEPT ON PURPOSE: a Unix socket receiver that takes each 'data' event for a
 * whole message (see naive-socket-peer.ts). Only the payload's bytes cross the socket (job and
 * payload kind go over the fork's IPC channel just before), so it breaks where one read ends: fine
 * up to 64 KiB, silently truncated above. The reply is corrupted or an error, never a hang.
 */
class NaiveSocketPeer implements TransportPeer {
  readonly pid: number;
  private lastPeakRssBytes: number | null = null;
  private readonly sockets = new Set<net.Socket>();
  private nextMessage: ((message: NaiveFromPeer) => void) | null = null;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly owner: ChildOwner,
    private readonly dir: PrivateTempDir,
    private readonly socketPath: string,
    private readonly options: PeerOptions,
  ) {
    this.pid = owner.pid;
    owner.child.on('message', (message: NaiveFromPeer) => {
      const deliver = this.nextMessage;
      this.nextMessage = null;
      deliver?.(message);
    });
  }

  exchange(job: Job, payload: Payload): Promise<ExchangeResult> {
    // The peer holds one announced request at a time: exchanges queue up.
    const result = this.queue.then(() =>
      this.owner.guard(this.run(job, payload), this.options.timeoutMs, `exchange with peer ${this.pid}`).catch((error: unknown) => {
        for (const socket of this.sockets) socket.destroy();
        throw error;
      }),
    );
    this.queue = result.catch(() => undefined);
    return result;
  }

  private receive(): Promise<NaiveFromPeer> {
    return new Promise((resolve) => (this.nextMessage = resolve));
  }

  private async run(job: Job, payload: Payload): Promise<ExchangeResult> {
    const startedMs = performance.now();
    const request: NaiveRequest = { type: 'request', job, payloadKind: payload.kind };
    const armed = this.receive();
    this.owner.child.send(request);
    const armedMessage = await armed;
    if (armedMessage.type !== 'armed') throw new TransportError('error', `peer ${this.pid} answered '${armedMessage.type}' to a request`);
    // Listen for the reply's control message before connecting: it may come before the socket ends.
    const replied = this.receive();
    const body = payloadBody(payload);
    const replyBytes = await sendAndReadToEnd(this.socketPath, body.length > 0 ? [body] : [], this.sockets).catch(async (error: TransportError) => {
      throw await this.owner.explainLoss(error);
    });
    const reply = await replied;
    if (reply.type === 'reply' || reply.type === 'error') this.lastPeakRssBytes = reply.peakRssBytes;
    if (reply.type === 'error') throw new TransportError('error', `peer ${this.pid}: ${reply.message}`);
    if (reply.type !== 'reply') throw new TransportError('error', `peer ${this.pid} answered '${reply.type}' instead of a reply`);
    let replyPayload: Payload;
    try {
      replyPayload = payloadFromBody(reply.payloadKind, replyBytes);
    } catch (error) {
      throw new TransportError('corrupted', `reply from peer ${this.pid}: ${(error as Error).message}`);
    }
    return {
      reply: replyPayload,
      bytesToPeer: ipcMessageBytes(request) + body.length,
      bytesFromPeer: ipcMessageBytes(armedMessage) + ipcMessageBytes(reply) + replyBytes.length,
      roundTripMs: performance.now() - startedMs,
    };
  }

  peerPeakRssBytes(): Promise<number | null> {
    return Promise.resolve(this.lastPeakRssBytes);
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    this.nextMessage = null;
    await this.owner.close();
    await this.dir.remove();
  }
}

export const naiveSocketTransport: Transport = {
  id: 'naive-socket',
  title: "Unix socket, one 'data' event taken as one message (the bug, on purpose)",
  talkIteration: 6,
  async start(options: PeerOptions): Promise<TransportPeer> {
    const dir = PrivateTempDir.create('naive-socket');
    const socketPath = dir.file('peer.sock');
    try {
      const owner = await startForkedChild('naive-socket', [socketPath], options);
      return new NaiveSocketPeer(owner, dir, socketPath, options);
    } catch (error) {
      await dir.remove();
      throw error;
    }
  },
};
