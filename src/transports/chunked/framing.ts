import { FramingError } from '../common/in-place-reader.js';
import type { ControlMessage } from './messages.js';

// The chunked protocol's framing (see messages.ts for the exchange), pure (no sockets): every frame is
//   [magic 0xC6][type: 1 control | 2 data][uint32 BE payload length][payload]
// Control payloads are small JSON messages; data payloads are pieces of the announced message.
// Writing frames is here; reading them, in place, is reader.ts.

export const FRAME_MAGIC = 0xc6;
export const FRAME_HEADER_BYTES = 6;
export const FrameType = { control: 1, data: 2 } as const;
export const MAX_CONTROL_BYTES = 4096;

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
