import v8 from 'node:v8';
import type { ForkCodec } from '../common/fork-channel/messages.js';
import type { Payload } from '../types.js';

// fork-advanced's body on the fork channel (messages: common/fork-channel/messages.ts), used by both
// sides. `serialization: 'advanced'` (the structured clone algorithm) carries Buffers as bytes,
// without base64, so the body is the payload itself.

const EMPTY_BYTES_BODY = v8.serialize({ kind: 'bytes', bytes: Buffer.alloc(0) }).length;
// Node prefixes each advanced message with its uint32 length.
const MESSAGE_PREFIX_BYTES = 4;

function asBuffer(payload: Payload): Payload {
  if (payload.kind !== 'bytes' || Buffer.isBuffer(payload.bytes)) return payload;
  // Buffers arrive as plain Uint8Array: wrap the same memory (no copy) to honour the Payload type.
  const view = payload.bytes as Uint8Array;
  return { kind: 'bytes', bytes: Buffer.from(view.buffer, view.byteOffset, view.byteLength) };
}

export const forkAdvancedCodec: ForkCodec<Payload> = {
  serialization: 'advanced',
  encode: (payload) => Promise.resolve(payload),
  decode: (body) => Promise.resolve(asBuffer(body)),
  // Structured data is sized by serializing it again, on the peer (see common/fork-channel/peer.ts).
  bodyWireBytes: (body) => (body.kind === 'bytes' ? EMPTY_BYTES_BODY + body.bytes.byteLength : v8.serialize(body).length),
  // v8 writes null as a single tag byte where the body goes.
  messageWireBytes: (message, bodyBytes) => MESSAGE_PREFIX_BYTES + v8.serialize(message).length - 1 + bodyBytes,
};
