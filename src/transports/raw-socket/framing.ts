import { FramingError, Landing, TruncatedError, type InPlaceReader } from '../common/in-place-reader.js';

// raw-socket's framing, the least a stream needs to carry messages: [uint32 BE length][message].

export const LENGTH_PREFIX_BYTES = 4;
/** The largest length the prefix can carry. */
export const MAX_PREFIXED_BYTES = 2 ** 32 - 1;

export function lengthPrefix(sizeBytes: number): Buffer {
  if (!Number.isSafeInteger(sizeBytes) || sizeBytes < 0 || sizeBytes > MAX_PREFIXED_BYTES) {
    throw new RangeError(`a length prefix carries 0 to ${MAX_PREFIXED_BYTES} bytes (got ${sizeBytes})`);
  }
  const prefix = Buffer.allocUnsafe(LENGTH_PREFIX_BYTES);
  prefix.writeUInt32BE(sizeBytes, 0);
  return prefix;
}

/**
 * Reads length-prefixed messages in place: the prefix into 4 bytes, then the message straight into
 * one buffer of the announced size, allocated only after the size is checked against the limit.
 * Each message is handed over whole, and is the receiver's to keep.
 */
export class LengthPrefixedReader implements InPlaceReader {
  private readonly prefix = new Landing(Buffer.alloc(LENGTH_PREFIX_BYTES));
  private message: Landing | null = null;
  private lastViewBytes = 0;

  constructor(
    private readonly maxMessageBytes: number,
    private readonly onMessage: (message: Buffer) => void,
  ) {}

  nextBuffer(): Buffer {
    const view = (this.message ?? this.prefix).rest();
    this.lastViewBytes = view.length;
    return view;
  }

  commit(bytes: number): void {
    if (this.message) {
      this.message.fill(bytes, this.lastViewBytes);
      if (this.message.full) this.deliver(this.message.buffer);
      return;
    }
    this.prefix.fill(bytes, this.lastViewBytes);
    if (!this.prefix.full) return;
    const sizeBytes = this.prefix.buffer.readUInt32BE(0);
    this.prefix.reset();
    if (sizeBytes > this.maxMessageBytes) {
      throw new FramingError(`announced message of ${sizeBytes} bytes is above the maximum of ${this.maxMessageBytes} bytes`);
    }
    if (sizeBytes === 0) this.deliver(Buffer.alloc(0));
    else this.message = new Landing(Buffer.allocUnsafe(sizeBytes));
  }

  private deliver(message: Buffer): void {
    this.message = null;
    this.onMessage(message);
  }

  end(): void {
    if (this.prefix.filled > 0) {
      throw new TruncatedError(`stream ended inside a length prefix (${this.prefix.filled} of ${LENGTH_PREFIX_BYTES} bytes)`);
    }
    if (this.message) {
      throw new TruncatedError(`stream ended after ${this.message.filled} of ${this.message.buffer.length} announced bytes`);
    }
  }
}
