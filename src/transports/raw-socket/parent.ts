import { performance } from 'node:perf_hooks';
import { decodeEnvelope, encodeEnvelope } from '../shared/envelope.js';
import { OneShotSocketPeer, startOneShotSocketPeer } from '../shared/one-shot-socket/parent.js';
import { TransportError, type ExchangeResult, type Job, type Payload, type Transport } from '../types.js';

// Not in the talk: the reference for what the kernel and Node can move. Over a Unix socket, one
// message per connection each way: the parent writes the request envelope (shared/envelope.ts:
// [uint32 BE header length][JSON header: job, payload kind][body]) and ends its side; the peer reads
// to the end, answers with one envelope (a reply, or an error for a bad request) and ends. No framing,
// no size announcement: the end of the stream marks the end of the message, so any size reads whole.

class RawSocketPeer extends OneShotSocketPeer {
  exchange(job: Job, payload: Payload, signal?: AbortSignal): Promise<ExchangeResult> {
    return this.guardedExchange(this.run(job, payload), signal);
  }

  private async run(job: Job, payload: Payload): Promise<ExchangeResult> {
    const startedMs = performance.now();
    const request = encodeEnvelope({ type: 'request', job, payloadKind: payload.kind }, payload);
    const replyBytes = await this.sendAndReadToEnd(request.parts);
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
}

export const rawSocketTransport: Transport = {
  id: 'raw-socket',
  title: 'Unix socket, one message per connection (reference)',
  talkIteration: null,
  start: (options) => startOneShotSocketPeer('raw-socket', options, (child, dir, socketPath) => new RawSocketPeer(child, dir, socketPath, options)),
};
