import { asError } from '../../format/error.js';
import type { Link } from '../common/in-place-link/socket.js';
import { controlFrame, dataFrames, FramingError, refusalReason } from './framing.js';
import type { ControlMessage } from './messages.js';
import { ChunkedFrameReader } from './reader.js';

// One end of a chunked link, used the same way by parent and peer. Sending a message:
//   announce(size) -> wait for "ready" (or "refused") -> data frames,
// or, for a message within the standing allowance (eagerMaxBytes, both sides agree on it at start):
//   announce(size) + data frames at once.
// Receiving (reader.ts, in place): on announce, refuse above the maximum before allocating, else
// allocate the whole message once (answering "ready" when the sender waits for it); the data
// frames land straight in it.

export interface EndpointHandlers {
  message(message: Buffer): void;
  /** We refused an incoming message (too big): the exchange it belonged to fails. */
  refusedIncoming(reason: string): void;
  /** Garbage, a protocol violation or the link ended: the endpoint is unusable. */
  failed(error: Error): void;
}

export interface EndpointOptions {
  maxMessageBytes: number;
  frameBytes: number;
  /**
   * The standing allowance: a message up to this size (and up to maxMessageBytes) is sent right
   * behind its announce, and its receiver answers no "ready". Both ends of a link must be given the
   * same figure (the parent passes its own to the peer). 0: every message waits for "ready".
   */
  eagerMaxBytes: number;
}

export class RefusedError extends Error {
  override name = 'RefusedError';
}

export class ChunkedEndpoint {
  /** Hand this to the link before it connects: the inbound connection reads in place through it. */
  readonly reader: ChunkedFrameReader;
  private link: Link | null = null;
  private outgoing: { parts: Buffer[]; resolve: () => void; reject: (error: Error) => void } | null = null;
  private failure: Error | null = null;

  constructor(
    private readonly options: EndpointOptions,
    private readonly handlers: EndpointHandlers,
  ) {
    this.reader = new ChunkedFrameReader(options.maxMessageBytes, {
      control: (message) => this.onControl(message),
      message: (message) => handlers.message(message),
    });
  }

  /** Starts using the link: writes go out on its outbound connection; either connection ending ends the endpoint. */
  attach(link: Link): void {
    this.link = link;
    for (const socket of [link.inbound, link.outbound]) {
      socket.on('error', (error) => this.fail(error));
      socket.on('close', () => {
        const progress = this.reader.incomingProgress;
        const incomplete = progress ? ` (message incomplete: ${progress.receivedBytes} of ${progress.sizeBytes} bytes)` : '';
        this.fail(new Error(`connection closed${incomplete}`));
      });
    }
  }

  /** Every byte written and read, frame headers and control frames included. */
  get bytesWritten(): number {
    return this.link?.outbound.bytesWritten ?? 0;
  }

  get bytesRead(): number {
    return this.link?.inbound.bytesRead ?? 0;
  }

  /** Sends one message; resolves once its data is handed to the socket, rejects if refused. */
  send(parts: Buffer[], sizeBytes: number): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.outgoing) return Promise.reject(new Error('a message is already being sent'));
    const announce = controlFrame({ type: 'announce', sizeBytes });
    if (this.isEager(sizeBytes)) {
      try {
        this.write([announce, ...dataFrames(parts, this.options.frameBytes)]);
      } catch (error: unknown) {
        return Promise.reject(asError(error)); // as the waiting path does: a rejection, never a throw
      }
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      this.outgoing = { parts, resolve, reject };
      this.write([announce]);
    });
  }

  /**
   * Whether a message of this size goes without the "ready" round trip. The handshake lets a receiver
   * refuse or prepare before a big message arrives; one within the allowance it can always take, and
   * the wait for "ready" would be a large share of its round trip (at 1 KiB, twice the time the data
   * takes; at 1 MiB a third).
   */
  private isEager(sizeBytes: number): boolean {
    return this.options.eagerMaxBytes > 0 && sizeBytes <= Math.min(this.options.eagerMaxBytes, this.options.maxMessageBytes);
  }

  // Runs inside the reader's commit: a throw here is a FramingError that drops the inbound connection.
  private onControl(message: ControlMessage): void {
    switch (message.type) {
      case 'announce': {
        const reason = refusalReason(message.sizeBytes, this.options.maxMessageBytes);
        if (reason !== null) {
          this.write([controlFrame({ type: 'refused', reason })]);
          this.handlers.refusedIncoming(reason);
          return;
        }
        // "ready" first: an empty message is delivered by expectMessage at once, and its answer must follow.
        if (!this.isEager(message.sizeBytes)) this.write([controlFrame({ type: 'ready' })]);
        this.reader.expectMessage(message.sizeBytes);
        return;
      }
      case 'ready': {
        const outgoing = this.takeOutgoing('ready');
        this.write(dataFrames(outgoing.parts, this.options.frameBytes));
        outgoing.resolve();
        return;
      }
      case 'refused':
        this.takeOutgoing('refused').reject(new RefusedError(message.reason));
        return;
    }
  }

  private takeOutgoing(what: string): NonNullable<ChunkedEndpoint['outgoing']> {
    const outgoing = this.outgoing;
    if (!outgoing) throw new FramingError(`'${what}' received but nothing was announced`);
    this.outgoing = null;
    return outgoing;
  }

  private write(buffers: Buffer[]): void {
    const socket = this.link?.outbound;
    if (!socket) throw new Error('chunked endpoint: write before the link is attached');
    // Corked: the frame headers and their data views leave in as few writev calls as possible.
    socket.cork();
    for (const buffer of buffers) socket.write(buffer);
    socket.uncork();
  }

  private fail(error: Error): void {
    if (this.failure) return;
    this.failure = error;
    this.outgoing?.reject(error);
    this.outgoing = null;
    this.handlers.failed(error);
  }

  close(): void {
    this.link?.inbound.destroy();
    this.link?.outbound.destroy();
  }
}
