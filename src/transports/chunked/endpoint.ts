import type net from 'node:net';
import { asError } from '../../format/error.js';
import { controlFrame, dataFrames, FrameReader, FramingError, MessageAssembler, refusalReason } from './framing.js';
import type { ControlMessage } from './messages.js';

// One end of a chunked connection, used the same way by parent and peer. Sending a message:
//   announce(size) -> wait for "ready" (or "refused") -> data frames.
// Receiving: on announce, refuse above the maximum before allocating, else allocate the whole
// message once, answer "ready", copy the data frames into it.

export interface EndpointHandlers {
  message(message: Buffer): void;
  /** We refused an incoming message (too big): the exchange it belonged to fails. */
  refusedIncoming(reason: string): void;
  /** Garbage, a protocol violation or the connection ended: the endpoint is unusable. */
  failed(error: Error): void;
}

export interface EndpointOptions {
  maxMessageBytes: number;
  frameBytes: number;
}

export class RefusedError extends Error {
  override name = 'RefusedError';
}

export class ChunkedEndpoint {
  /** Every byte written and read, frame headers and control frames included. */
  bytesWritten = 0;
  bytesRead = 0;
  private readonly reader: FrameReader;
  private incoming: MessageAssembler | null = null;
  private outgoing: { parts: Buffer[]; resolve: () => void; reject: (error: Error) => void } | null = null;
  private failure: Error | null = null;

  constructor(
    private readonly socket: net.Socket,
    private readonly options: EndpointOptions,
    private readonly handlers: EndpointHandlers,
  ) {
    this.reader = new FrameReader({ control: (message) => this.onControl(message), data: (piece) => this.onData(piece) });
    socket.on('data', (chunk: Buffer) => {
      this.bytesRead += chunk.length;
      this.guarded(() => this.reader.push(chunk));
    });
    socket.on('end', () => {
      this.guarded(() => this.reader.end());
      const progress = this.incoming ? ` (message incomplete: ${this.incoming.receivedBytes} of ${this.incoming.sizeBytes} bytes)` : '';
      this.fail(new Error(`connection ended${progress}`));
    });
    socket.on('error', (error) => this.fail(error));
    socket.on('close', () => this.fail(new Error('connection closed')));
  }

  /** Sends one message; resolves once its data is handed to the socket, rejects if refused. */
  send(parts: Buffer[], sizeBytes: number): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.outgoing) return Promise.reject(new Error('a message is already being sent'));
    return new Promise((resolve, reject) => {
      this.outgoing = { parts, resolve, reject };
      this.write([controlFrame({ type: 'announce', sizeBytes })]);
    });
  }

  private onControl(message: ControlMessage): void {
    switch (message.type) {
      case 'announce': {
        if (this.incoming) throw new FramingError('announce while a message is still arriving');
        const reason = refusalReason(message.sizeBytes, this.options.maxMessageBytes);
        if (reason !== null) {
          this.write([controlFrame({ type: 'refused', reason })]);
          this.handlers.refusedIncoming(reason);
          return;
        }
        this.incoming = new MessageAssembler(message.sizeBytes);
        this.write([controlFrame({ type: 'ready' })]);
        if (message.sizeBytes === 0) this.deliver();
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

  private onData(piece: Buffer): void {
    if (!this.incoming) throw new FramingError('data frame without an announced message');
    this.incoming.write(piece);
    if (this.incoming.complete) this.deliver();
  }

  private deliver(): void {
    const message = (this.incoming as MessageAssembler).buffer;
    this.incoming = null;
    this.handlers.message(message);
  }

  private write(buffers: Buffer[]): void {
    // Corked: the frame headers and their data views leave in as few writev calls as possible.
    this.socket.cork();
    for (const buffer of buffers) {
      this.bytesWritten += buffer.length;
      this.socket.write(buffer);
    }
    this.socket.uncork();
  }

  private guarded(step: () => void): void {
    if (this.failure) return;
    try {
      step();
    } catch (error) {
      this.fail(asError(error));
      this.socket.destroy();
    }
  }

  private fail(error: Error): void {
    if (this.failure) return;
    this.failure = error;
    this.outgoing?.reject(error);
    this.outgoing = null;
    this.handlers.failed(error);
  }

  close(): void {
    this.socket.destroy();
  }
}
