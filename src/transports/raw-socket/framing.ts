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
 * What a read lands in between messages: the next prefix and, for a message that fits, all of it,
 * in one read instead of one for the prefix and one for the body. Measured on 2 cores, 1 KiB echo,
 * CPU per exchange: 37-39 us in the parent and 34-36 us in the peer, against 41-43 and 38-40 us
 * reading the prefix into its own 4 bytes (most of the rest is the write syscall that wakes the peer).
 */
export const SCRATCH_BYTES = 64 * 1024;

/**
 * Reads length-prefixed messages, in place where it counts. Between messages a read lands in a
 * 64 KiB scratch buffer: a small message arrives whole in that one read (prefix and body) and is
 * copied out once. A bigger one gets one buffer of the announced size, allocated only after the size
 * is checked against the limit; what the first read brought is copied in, and every later read
 * lands straight in it (no 64 KiB chunks to concatenate). Each message is handed over whole, and is
 * the receiver's to keep.
 */
export class LengthPrefixedReader implements InPlaceReader {
  private readonly scratch = Buffer.allocUnsafe(SCRATCH_BYTES);
  private readonly prefix = new Landing(Buffer.alloc(LENGTH_PREFIX_BYTES));
  private message: Landing | null = null;
  private lastView: Buffer = this.scratch;

  constructor(
    private readonly maxMessageBytes: number,
    private readonly onMessage: (message: Buffer) => void,
  ) {}

  nextBuffer(): Buffer {
    // Mid-message: straight into it. Otherwise the scratch buffer, also after a read that ended inside
    // a prefix (consume() finishes it): its rest and a small body then still come in one read.
    this.lastView = this.message ? this.message.rest() : this.scratch;
    return this.lastView;
  }

  commit(bytes: number): void {
    const view = this.lastView;
    if (view !== this.scratch && this.message) {
      this.message.fill(bytes, view.length);
      if (this.message.full) this.deliver(this.message.buffer);
      return;
    }
    if (!Number.isInteger(bytes) || bytes < 1 || bytes > view.length) throw new Error(`in-place read of ${bytes} bytes into a view of ${view.length}`);
    this.consume(view.subarray(0, bytes));
  }

  /** Bytes that landed in the scratch buffer: prefixes and message bodies, copied where they belong. */
  private consume(chunk: Buffer): void {
    for (let at = 0; at < chunk.length; ) {
      const landing = this.message ?? this.prefix;
      const target = landing.rest();
      const take = Math.min(target.length, chunk.length - at);
      chunk.copy(target, 0, at, at + take);
      landing.fill(take, target.length);
      at += take;
      if (!landing.full) return;
      if (landing === this.message) this.deliver(landing.buffer);
      else this.startMessage();
    }
  }

  /** A whole prefix has landed: the message it announces, refused above the limit before allocating. */
  private startMessage(): void {
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
