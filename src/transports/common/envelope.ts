import type { DiffResult, Station } from '../../workload/types.js';
import { errorMessage } from '../../format/error.js';
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
  let parsed: unknown;
  try {
    parsed = JSON.parse(message.toString('utf8', PREFIX_BYTES, PREFIX_BYTES + headerBytes));
  } catch (error) {
    throw new Error(`malformed message: header of ${headerBytes} bytes is not JSON (${errorMessage(error)})`);
  }
  const header = headerFrom(parsed);
  const body = message.subarray(PREFIX_BYTES + headerBytes);
  if (header.type === 'error') return { header, payload: null };
  return { header, payload: payloadFromBody(header.payloadKind, body) };
}

const PAYLOAD_KINDS = { bytes: true, records: true, diff: true } satisfies Record<PayloadKind, true>;

function isPayloadKind(value: unknown): value is PayloadKind {
  return typeof value === 'string' && Object.hasOwn(PAYLOAD_KINDS, value);
}

function payloadKindOf(fields: Record<string, unknown>): PayloadKind {
  if (!isPayloadKind(fields.payloadKind)) throw new Error(`malformed message: unknown payload kind ${JSON.stringify(fields.payloadKind)}`);
  return fields.payloadKind;
}

function peakRssBytesOf(fields: Record<string, unknown>): number {
  if (typeof fields.peakRssBytes !== 'number') throw new Error(`malformed message: peakRssBytes ${JSON.stringify(fields.peakRssBytes)} is not a number`);
  return fields.peakRssBytes;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A parsed header checked field by field and rebuilt from one object literal per type, never the
 * object JSON.parse made. Why rebuild: the hidden class (map) JSON.parse gives a header is kept alive
 * by nothing once the header is dropped, so a full GC (the sweep runs one before each sample from
 * 1 MiB up) collects it and clears the field type V8 tracked for the envelope's `header`. The next
 * decode sets it again, which deoptimizes optimized code that relied on it. On Node 24, whose V8 has
 * Maglev on by default (Node 20's and 22's have it off), that became a loop: chunked's parent-side
 * `run` was deoptimized ("dependent field type changed" in --trace-deopt) and recompiled once per
 * sample, about 0.5 ms of each 1 MiB sample (README, "How far one sweep tells two transports apart").
 * Why raw-socket's `run`, which reads the same field, was not caught is not known. A literal's map is
 * held by the code that makes it, so a GC leaves it alone.
 */
export function headerFrom(parsed: unknown): EnvelopeHeader {
  if (!isObject(parsed)) throw new Error('malformed message: header is not a JSON object');
  switch (parsed.type) {
    case 'request':
      return { type: 'request', job: jobFrom(parsed.job), payloadKind: payloadKindOf(parsed) };
    case 'reply':
      return { type: 'reply', payloadKind: payloadKindOf(parsed), peakRssBytes: peakRssBytesOf(parsed) };
    case 'error':
      if (typeof parsed.message !== 'string') throw new Error('malformed message: error without a message');
      return { type: 'error', message: parsed.message, peakRssBytes: peakRssBytesOf(parsed) };
  }
  throw new Error(`malformed message: unknown header type ${JSON.stringify(parsed.type)}`);
}

/** One rebuild per job kind (a kind added to Job without one here does not compile). */
const JOB_FROM_FIELDS: { [K in Job['kind']]: (fields: Record<string, unknown>) => Extract<Job, { kind: K }> } = {
  echo: () => ({ kind: 'echo' }),
  collect: () => ({ kind: 'collect' }),
  diff: ({ baselineRecords, baselineSeed, workPerRecord }) => {
    if (typeof baselineRecords !== 'number' || typeof baselineSeed !== 'number' || typeof workPerRecord !== 'number') {
      throw new Error('malformed message: a diff job needs baselineRecords, baselineSeed and workPerRecord as numbers');
    }
    return { kind: 'diff', baselineRecords, baselineSeed, workPerRecord };
  },
};

/** A request's job, checked and rebuilt the same way (the peer runs a full GC on 'collect'). */
export function jobFrom(parsed: unknown): Job {
  if (!isObject(parsed) || typeof parsed.kind !== 'string' || !Object.hasOwn(JOB_FROM_FIELDS, parsed.kind)) {
    throw new Error(`malformed message: unknown job ${JSON.stringify(parsed) ?? 'undefined'}`);
  }
  return JOB_FROM_FIELDS[parsed.kind as Job['kind']](parsed);
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
