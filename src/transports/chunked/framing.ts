import { FramingError } from '../shared/in-place-reader.js';
import type { ControlMessage } from './messages.js';

// The chunked protocol's framing (see messages.ts for the exchange), pure (no sockets): every frame is
//   [magic 0xC6][type: 1 control | 2 data][uint32 BE payload length][payload]
// Control payloads are small JSON messages; data payloads are pieces of the announced message.

export const FRAME_MAGIC = 0xc6;
export const FRAME_HEADER_BYTES = 6;
export const FrameType = { control: 1, data: 2 } as const;
export const MAX_CONTROL_BYTES = 4096;
/** Data frames above this are refused as garbage (the sender uses far smaller ones). */
export const MAX_DATA_FRAME_BYTES = 64 * 1024 * 1024;

/** Garbage or a protocol violation on the stream: the connection cannot be trusted any more. */
export { FramingError };

export function frameHeader(type: number, lengthBytes: number): Buffer {
  const header = Buffer.allocUnsafe(FRAME_HEADER_BYTES);
  header[0] = FRAME_MAGIC;
  header[1] = type;
  header.writeUInt32BE(lengthBytes, 2);
  return header;
}

export function controlFrame(message: ControlMessage): Buffer {
  const json = Buffer.from(JSON.stringify(message));
  return Buffer.concat([frameHeader(FrameType.control, json.length), json]);
}

/** The data frames of a message made of `parts`, as header + views into the parts (no copy). */
export function dataFrames(parts: readonly Buffer[], frameBytes: number): Buffer[] {
  const out: Buffer[] = [];
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  const flush = (): void => {
    if (pendingBytes === 0) return;
    out.push(frameHeader(FrameType.data, pendingBytes), ...pending);
    pending = [];
    pendingBytes = 0;
  };
  for (const part of parts) {
    for (let offset = 0; offset < part.length; ) {
      const take = Math.min(frameBytes - pendingBytes, part.length - offset);
      pending.push(part.subarray(offset, offset + take));
      pendingBytes += take;
      offset += take;
      if (pendingBytes === frameBytes) flush();
    }
  }
  flush();
  return out;
}

/** Why an announced size is refused before anything is allocated, or null when it is accepted. */
export function refusalReason(sizeBytes: number, maxMessageBytes: number): string | null {
  if (!Number.isSafeInteger(sizeBytes) || sizeBytes < 0) return `announced size ${sizeBytes} is not a byte count`;
  if (sizeBytes > maxMessageBytes) return `announced size ${sizeBytes} bytes is above the maximum of ${maxMessageBytes} bytes`;
  return null;
}

export function parseControl(json: Buffer): ControlMessage {
  let message: unknown;
  try {
    message = JSON.parse(json.toString('utf8'));
  } catch {
    throw new FramingError(`malformed control frame: not JSON (${json.length} bytes)`);
  }
  const m = message as Partial<Record<string, unknown>>;
  if (m.type === 'ready') return { type: 'ready' };
  if (m.type === 'announce' && typeof m.sizeBytes === 'number') return { type: 'announce', sizeBytes: m.sizeBytes };
  if (m.type === 'refused' && typeof m.reason === 'string') return { type: 'refused', reason: m.reason };
  throw new FramingError(`malformed control frame: ${json.toString('utf8').slice(0, 100)}`);
}

export interface FrameSink {
  control(message: ControlMessage): void;
  /** A piece of a data frame: a view into the pushed chunk, valid during the call. */
  data(piece: Buffer): void;
}

/** Cuts a byte stream into frames, whatever the read boundaries; throws FramingError on garbage. */
export class FrameReader {
  private readonly header = Buffer.alloc(FRAME_HEADER_BYTES);
  private headerFill = 0;
  private frameType = 0;
  private remaining = 0;
  private controlParts: Buffer[] = [];
  private streamOffset = 0;

  constructor(private readonly sink: FrameSink) {}

  push(chunk: Buffer): void {
    let at = 0;
    while (at < chunk.length) {
      if (this.remaining === 0 && this.frameType === 0) {
        const take = Math.min(FRAME_HEADER_BYTES - this.headerFill, chunk.length - at);
        chunk.copy(this.header, this.headerFill, at, at + take);
        this.headerFill += take;
        at += take;
        if (this.headerFill < FRAME_HEADER_BYTES) break;
        this.startFrame();
        continue;
      }
      const take = Math.min(this.remaining, chunk.length - at);
      const piece = chunk.subarray(at, at + take);
      at += take;
      this.remaining -= take;
      if (this.frameType === FrameType.data) this.sink.data(piece);
      else this.controlParts.push(Buffer.from(piece));
      if (this.remaining === 0) this.endFrame();
    }
    this.streamOffset += chunk.length;
  }

  private startFrame(): void {
    const [magic, type] = this.header;
    const length = this.header.readUInt32BE(2);
    this.headerFill = 0;
    if (magic !== FRAME_MAGIC) throw new FramingError(`garbage: bad magic byte 0x${(magic ?? 0).toString(16)} near stream offset ${this.streamOffset}`);
    if (type === FrameType.control && length > MAX_CONTROL_BYTES) throw new FramingError(`control frame of ${length} bytes is above ${MAX_CONTROL_BYTES}`);
    if (type === FrameType.data && length > MAX_DATA_FRAME_BYTES) throw new FramingError(`data frame of ${length} bytes is above ${MAX_DATA_FRAME_BYTES}`);
    if (type !== FrameType.control && type !== FrameType.data) throw new FramingError(`garbage: unknown frame type ${type}`);
    this.frameType = type;
    this.remaining = length;
    if (length === 0) this.endFrame();
  }

  private endFrame(): void {
    if (this.frameType === FrameType.control) {
      const json = Buffer.concat(this.controlParts);
      this.controlParts = [];
      this.frameType = 0;
      this.sink.control(parseControl(json));
      return;
    }
    this.frameType = 0;
  }

  /** The stream ended: an error if it ended inside a frame. */
  end(): void {
    if (this.headerFill > 0) throw new FramingError(`truncated stream: ended after ${this.headerFill} of ${FRAME_HEADER_BYTES} header bytes`);
    if (this.frameType !== 0) throw new FramingError(`truncated stream: ended with ${this.remaining} bytes of a frame missing`);
  }
}

/** Reassembles one message into a single Buffer allocated at the announced size (no growing concat). */
export class MessageAssembler {
  readonly buffer: Buffer;
  private filled = 0;

  constructor(readonly sizeBytes: number) {
    this.buffer = Buffer.allocUnsafe(sizeBytes);
  }

  write(piece: Buffer): void {
    if (this.filled + piece.length > this.sizeBytes) {
      throw new FramingError(`data beyond the announced size: ${this.filled + piece.length} of ${this.sizeBytes} bytes`);
    }
    piece.copy(this.buffer, this.filled);
    this.filled += piece.length;
  }

  get receivedBytes(): number {
    return this.filled;
  }

  get complete(): boolean {
    return this.filled === this.sizeBytes;
  }
}
