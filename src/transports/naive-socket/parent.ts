import { performance } from 'node:perf_hooks';
import { payloadBody, payloadFromBody } from '../common/envelope.js';
import type { ChildOwner } from '../common/child-owner.js';
import { OneShotSocketPeer, startOneShotSocketPeer } from '../common/one-shot-socket/parent.js';
import type { PrivateTempDir } from '../common/temp-dir.js';
import { TransportError, type ExchangeResult, type Job, type Payload, type PeerOptions, type Transport } from '../types.js';
import { ipcMessageBytes, type NaiveFromPeer, type NaiveRequest } from './messages.js';

/**
 * THE BUG THE TALK HIT, KEPT ON PURPOSE: a Unix socket receiver that takes each 'data' event for a
 * whole message (see peer.ts). Only the payload's bytes cross the socket (job and payload kind go
 * over the fork's IPC channel just before, see messages.ts), so it breaks where one read ends: fine
 * up to 64 KiB, silently truncated above. The reply is corrupted or an error, never a hang.
 */
class NaiveSocketPeer extends OneShotSocketPeer {
  private nextMessage: ((message: NaiveFromPeer) => void) | null = null;

  constructor(child: ChildOwner, dir: PrivateTempDir, socketPath: string, options: PeerOptions) {
    super(child, dir, socketPath, options);
    child.child.on('message', (message: NaiveFromPeer) => {
      const deliver = this.nextMessage;
      this.nextMessage = null;
      deliver?.(message);
    });
  }

  exchange(job: Job, payload: Payload, signal?: AbortSignal): Promise<ExchangeResult> {
    // The peer holds one announced request at a time.
    return this.oneAtATime(() => this.guardedExchange(this.run(job, payload), signal));
  }

  private receive(): Promise<NaiveFromPeer> {
    return new Promise((resolve) => (this.nextMessage = resolve));
  }

  private async run(job: Job, payload: Payload): Promise<ExchangeResult> {
    const startedMs = performance.now();
    const request: NaiveRequest = { type: 'request', job, payloadKind: payload.kind };
    const armed = this.receive();
    this.child.child.send(request);
    const armedMessage = await armed;
    if (armedMessage.type !== 'armed') throw new TransportError('error', `peer ${this.pid} answered '${armedMessage.type}' to a request`);
    // Listen for the reply's control message before connecting: it may come before the socket ends.
    const replied = this.receive();
    const body = payloadBody(payload);
    const replyBytes = await this.sendAndReadToEnd(body.length > 0 ? [body] : []);
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

  protected override release(): void {
    super.release();
    this.nextMessage = null;
  }
}

export const naiveSocketTransport: Transport = {
  id: 'naive-socket',
  title: "Unix socket, one 'data' event taken as one message (the bug, on purpose)",
  talkIteration: 6,
  start: (options) => startOneShotSocketPeer('naive-socket', options, (child, dir, socketPath) => new NaiveSocketPeer(child, dir, socketPath, options)),
};
