// Reading a stream straight into its final buffers. The reader hands out the view the next read
// must land in (a frame header, the rest of an announced message, or for raw-socket a scratch buffer
// between messages, from which a small one is copied out once) and is told how many bytes landed; a
// socket with `onread` (see in-place-link/socket.ts) lets the kernel copy into those views, so a big
// message is received with no copy in user space and no concatenation.
// Readers are pure state machines: tests feed them any chunking they like.

/** Garbage or a protocol violation on the stream (or a size above the limit): it cannot be trusted any more. */
export class FramingError extends Error {
  override name = 'FramingError';
}

/**
 * The stream ended inside a frame or an announced message: the sender went away mid-message (it died,
 * or it announced more than it sent). Not garbage: whoever owns the peer explains how it ended.
 */
export class TruncatedError extends Error {
  override name = 'TruncatedError';
}

/** The largest message a receiver allocates unless told otherwise (PeerOptions.maxMessageBytes). */
export const DEFAULT_MAX_MESSAGE_BYTES = 1024 * 1024 * 1024;

export interface InPlaceReader {
  /** Where the next read must land: never empty, valid until the next commit(). */
  nextBuffer(): Buffer;
  /** `bytes` (1 to that view's length) landed at the start of the view nextBuffer() last gave. Throws FramingError. */
  commit(bytes: number): void;
  /** The stream ended: throws TruncatedError when it ended inside a frame or message. */
  end(): void;
}

/** A buffer filled front to back by reads, in place. */
export class Landing {
  private filledBytes = 0;

  constructor(readonly buffer: Buffer) {}

  /** The unfilled rest, or at most `limitBytes` of it. */
  rest(limitBytes = Infinity): Buffer {
    return this.buffer.subarray(this.filledBytes, this.filledBytes + Math.min(limitBytes, this.buffer.length - this.filledBytes));
  }

  /** Counts `bytes` that landed in the view rest() gave, whose length was `viewBytes`. */
  fill(bytes: number, viewBytes: number): void {
    if (!Number.isInteger(bytes) || bytes < 1 || bytes > viewBytes) throw new Error(`in-place read of ${bytes} bytes into a view of ${viewBytes}`);
    this.filledBytes += bytes;
  }

  /** Empty again, to be refilled (a header buffer reused for every frame). */
  reset(): void {
    this.filledBytes = 0;
  }

  get filled(): number {
    return this.filledBytes;
  }

  get full(): boolean {
    return this.filledBytes === this.buffer.length;
  }
}
