import type { DiffResult, Station } from '../../workload/types.js';
import type { Payload } from '../types.js';

// How a payload travels over a JSON channel (process.send with the default serialization, node-ipc).
// The talk sent structured data; bytes have no JSON form, so they go as a base64 string (4/3 of the
// size on the wire, and counted as such).

export type JsonWirePayload =
  | { kind: 'bytes'; base64: string }
  | { kind: 'records'; records: Station[] }
  | { kind: 'diff'; diff: DiffResult };

export function toJsonWire(payload: Payload): JsonWirePayload {
  return payload.kind === 'bytes' ? { kind: 'bytes', base64: payload.bytes.toString('base64') } : payload;
}

export function fromJsonWire(wire: JsonWirePayload): Payload {
  return wire.kind === 'bytes' ? { kind: 'bytes', bytes: Buffer.from(wire.base64, 'base64') } : wire;
}

const EMPTY_BYTES_JSON_LENGTH = JSON.stringify({ kind: 'bytes', base64: '' }).length;

/**
 * UTF-8 length of JSON.stringify(wire): what the channel writes for it. Base64 needs no escaping, so
 * bytes are counted without stringifying; structured data is stringified (call it on the peer side,
 * where it does not block the HTTP process).
 */
export function jsonWireBytes(wire: JsonWirePayload): number {
  if (wire.kind === 'bytes') return EMPTY_BYTES_JSON_LENGTH + wire.base64.length;
  return Buffer.byteLength(JSON.stringify(wire));
}

/** JSON length of a message whose `body` field is left out, plus the body's own length. */
export function jsonMessageBytes(messageWithNullBody: object, bodyBytes: number): number {
  // "null" stands where the body goes; +1 for the newline that ends every message on the channel.
  return Buffer.byteLength(JSON.stringify(messageWithNullBody)) - 'null'.length + bodyBytes + 1;
}
