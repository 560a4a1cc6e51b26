import { FramingError, Landing, TruncatedError, type InPlaceReader } from '../common/in-place-reader.js';
import { FRAME_HEADER_BYTES, FRAME_MAGIC, FrameType, MAX_CONTROL_BYTES, parseControl, refusalReason } from './framing.js';
import type { ControlMessage } from './messages.js';

export interface ChunkedSink {
  control(message: ControlMessage): void;
  /** A whole announced message, landed in place; the receiver's to keep. */
  message(message: Buffer): void;
}

/**
 * The chunked protocol's receiving side, in place: a frame header lands in 6 bytes, a control
 * payload in a buffer of its length, and a data frame's payload straight into the announced
 * message at the point it has reached, so the message is the one buffer every frame fills.
 * The message buffer exists only after expectMessage() (the endpoint's answer to an accepted
 * announce), which checks the size against the limit before allocating.
 */
export class ChunkedFrameReader implements InPlaceReader {
  private readonly header = new Landing(Buffer.alloc(FRAME_HEADER_BYTES));
  private control: Landing | null = null;
  private incoming: Landing | null = null;
  /** Bytes of the current data frame still to land. */
  private dataRemaining = 0;
  private lastViewBytes = 0;
  private streamOffset = 0;

  constructor(
    private readonly maxMessageBytes: number,
    private readonly sink: ChunkedSink,
  ) {}

  /** The next `sizeBytes` of data frames are one message. Call from sink.control (an accepted announce). */
  expectMessage(sizeBytes: number): void {
    if (this.incoming) throw new FramingError('announce while a message is still arriving');
    const reason = refusalReason(sizeBytes, this.maxMessageBytes);
    if (reason !== null) throw new FramingError(reason);
    if (sizeBytes === 0) this.sink.message(Buffer.alloc(0));
    else this.incoming = new Landing(Buffer.allocUnsafe(sizeBytes));
  }

  /** The message being received, when one is: how far it got. */
  get incomingProgress(): { receivedBytes: number; sizeBytes: number } | null {
    return this.incoming ? { receivedBytes: this.incoming.filled, sizeBytes: this.incoming.buffer.length } : null;
  }

  nextBuffer(): Buffer {
    let view: Buffer;
    if (this.control) view = this.control.rest();
    else if (this.dataRemaining > 0) view = (this.incoming as Landing).rest(this.dataRemaining);
    else view = this.header.rest();
    this.lastViewBytes = view.length;
    return view;
  }

  commit(bytes: number): void {
    const frameStartOffset = this.streamOffset;
    this.streamOffset += bytes;
    if (this.control) {
      this.control.fill(bytes, this.lastViewBytes);
      if (this.control.full) this.endControl();
      return;
    }
    if (this.dataRemaining > 0) {
      const incoming = this.incoming as Landing;
      incoming.fill(bytes, this.lastViewBytes);
      this.dataRemaining -= bytes;
      if (incoming.full) {
        this.incoming = null;
        this.sink.message(incoming.buffer);
      }
      return;
    }
    this.header.fill(bytes, this.lastViewBytes);
    if (this.header.full) this.startFrame(frameStartOffset + bytes - FRAME_HEADER_BYTES);
  }

  private startFrame(headerOffset: number): void {
    const [magic, type] = this.header.buffer;
    const lengthBytes = this.header.buffer.readUInt32BE(2);
    this.header.reset();
    if (magic !== FRAME_MAGIC) throw new FramingError(`garbage: bad magic byte 0x${(magic ?? 0).toString(16)} at stream offset ${headerOffset}`);
    if (type === FrameType.control) {
      if (lengthBytes > MAX_CONTROL_BYTES) throw new FramingError(`control frame of ${lengthBytes} bytes is above ${MAX_CONTROL_BYTES}`);
      this.control = new Landing(Buffer.allocUnsafe(lengthBytes));
      if (lengthBytes === 0) this.endControl();
      return;
    }
    if (type !== FrameType.data) throw new FramingError(`garbage: unknown frame type ${type}`);
    const incoming = this.incoming;
    if (!incoming) throw new FramingError('data frame without an announced message');
    if (incoming.filled + lengthBytes > incoming.buffer.length) {
      throw new FramingError(`data beyond the announced size: ${incoming.filled + lengthBytes} of ${incoming.buffer.length} bytes`);
    }
    this.dataRemaining = lengthBytes;
  }

  private endControl(): void {
    const json = (this.control as Landing).buffer;
    this.control = null;
    this.sink.control(parseControl(json));
  }

  end(): void {
    if (this.header.filled > 0) throw new TruncatedError(`truncated stream: ended after ${this.header.filled} of ${FRAME_HEADER_BYTES} header bytes`);
    if (this.control) throw new TruncatedError(`truncated stream: ended inside a control frame`);
    if (this.incoming) {
      throw new TruncatedError(`truncated stream: ended after ${this.incoming.filled} of ${this.incoming.buffer.length} announced bytes`);
    }
  }
}
