import type { DiffResult, Station } from '../../workload/types.js';
import type { Job, Payload } from '../types.js';

// The byte form of a message, for transports that move bytes (sockets, zlib):
//   [uint32 BE header length][header: JSON, UTF-8][body]
// The body is the payload itself for bytes (no encoding, no copy) and JSON UTF-8 for structured data.

export type PayloadKind = Payload['kind'];

export type EnvelopeHeader =
  | { type: 'request'; job: Job; payloadKind: PayloadKind }
  | { type: 'reply'; payloadKind: PayloadKind; peakRssBytes: number }
  | { type: 'error'; message: string; peakRssBytes: number };

export interface Envelope {
  header: EnvelopeHeader;
  payload: Payload | null;
}

const PREFIX_BYTES = 4;

/** The bytes a payload is on the wire: the bytes themselves (no copy), or JSON UTF-8 for structured data. */
export function payloadBody(payload: Payload | null): Buffer {
  if (payload === null) return Buffer.alloc(0);
  if (payload.kind === 'bytes') return payload.bytes;
  return Buffer.from(JSON.stringify(payload.kind === 'records' ? payload.records : payload.diff));
}

/** The parts to write one after the other (kept apart so a large body is never copied). */
export function encodeEnvelope(header: EnvelopeHeader, payload: Payload | null): { parts: Buffer[]; sizeBytes: number } {
  const headerJson = Buffer.from(JSON.stringify(header));
  const prefix = Buffer.allocUnsafe(PREFIX_BYTES + headerJson.length);
  prefix.writeUInt32BE(headerJson.length, 0);
  headerJson.copy(prefix, PREFIX_BYTES);
  const body = payloadBody(payload);
  return { parts: body.length > 0 ? [prefix, body] : [prefix], sizeBytes: prefix.length + body.length };
}

/** Decodes a whole message; a bytes payload is a view into `message` (no copy). Throws on a malformed one. */
export function decodeEnvelope(message: Buffer): Envelope {
  if (message.length < PREFIX_BYTES) throw new Error(`malformed message: ${message.length} bytes, shorter than its prefix`);
  const headerBytes = message.readUInt32BE(0);
  if (PREFIX_BYTES + headerBytes > message.length) {
    throw new Error(`malformed message: header of ${headerBytes} bytes announced, ${message.length - PREFIX_BYTES} present`);
  }
  const header = JSON.parse(message.toString('utf8', PREFIX_BYTES, PREFIX_BYTES + headerBytes)) as EnvelopeHeader;
  const body = message.subarray(PREFIX_BYTES + headerBytes);
  if (header.type === 'error') return { header, payload: null };
  return { header, payload: payloadFromBody(header.payloadKind, body) };
}

/** The inverse of payloadBody; a bytes payload is `body` itself. Throws on JSON that does not parse. */
export function payloadFromBody(kind: PayloadKind, body: Buffer): Payload {
  switch (kind) {
    case 'bytes':
      return { kind: 'bytes', bytes: body };
    case 'records':
      return { kind: 'records', records: JSON.parse(body.toString('utf8')) as Station[] };
    case 'diff':
      return { kind: 'diff', diff: JSON.parse(body.toString('utf8')) as DiffResult };
  }
  throw new Error(`malformed message: unknown payload kind ${JSON.stringify(kind)}`);
}
