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
  let parsed: unknown;
  try {
    parsed = JSON.parse(message.toString('utf8', PREFIX_BYTES, PREFIX_BYTES + headerBytes));
  } catch {
    throw new Error(`malformed message: header of ${headerBytes} bytes is not JSON`);
  }
  const header = headerFrom(parsed);
  const body = message.subarray(PREFIX_BYTES + headerBytes);
  if (header.type === 'error') return { header, payload: null };
  return { header, payload: payloadFromBody(header.payloadKind, body) };
}

const PAYLOAD_KINDS: readonly string[] = ['bytes', 'records', 'diff'] satisfies PayloadKind[];

/**
 * A parsed header checked field by field and rebuilt from one object literal per type, never the
 * object JSON.parse made. Why rebuild: JSON.parse gives each shape a hidden class (map) that dies
 * with the message, and a full GC (the sweep runs one before each sample from 1 MiB up) then clears
 * the field type V8 remembers for the envelope's `header`. The next decode sets it again, which
 * deoptimizes the code that relied on it. On Node 24, whose V8 re-optimizes with Maglev, that became
 * a loop: chunked's parent-side `run` was compiled and thrown away once per sample (--trace-deopt:
 * "dependent field type changed"), and on the sweep's one pinned CPU the compile took 0.5 ms of every
 * 1 MiB sample: 1.7-2.0 ms against raw-socket's 1.1-1.4, in some sweeps and not others. A literal's
 * map lives as long as the code does.
 */
export function headerFrom(parsed: unknown): EnvelopeHeader {
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('malformed message: header is not a JSON object');
  const h = parsed as Record<string, unknown>;
  const kind = (): PayloadKind => {
    if (typeof h.payloadKind !== 'string' || !PAYLOAD_KINDS.includes(h.payloadKind)) throw new Error(`malformed message: unknown payload kind ${JSON.stringify(h.payloadKind)}`);
    return h.payloadKind as PayloadKind;
  };
  const peakRssBytes = (): number => {
    if (typeof h.peakRssBytes !== 'number') throw new Error(`malformed message: peakRssBytes ${JSON.stringify(h.peakRssBytes)} is not a number`);
    return h.peakRssBytes;
  };
  switch (h.type) {
    case 'request':
      return { type: 'request', job: jobFrom(h.job), payloadKind: kind() };
    case 'reply':
      return { type: 'reply', payloadKind: kind(), peakRssBytes: peakRssBytes() };
    case 'error':
      if (typeof h.message !== 'string') throw new Error('malformed message: error without a message');
      return { type: 'error', message: h.message, peakRssBytes: peakRssBytes() };
  }
  throw new Error(`malformed message: unknown header type ${JSON.stringify(h.type)}`);
}

/** A request's job, checked and rebuilt the same way (the peer runs a full GC on 'collect'). */
export function jobFrom(parsed: unknown): Job {
  const job = (typeof parsed === 'object' && parsed !== null ? parsed : {}) as Record<string, unknown>;
  switch (job.kind) {
    case 'echo':
      return { kind: 'echo' };
    case 'collect':
      return { kind: 'collect' };
    case 'diff': {
      const { baselineRecords, baselineSeed, workPerRecord } = job;
      if (typeof baselineRecords !== 'number' || typeof baselineSeed !== 'number' || typeof workPerRecord !== 'number') {
        throw new Error('malformed message: a diff job needs baselineRecords, baselineSeed and workPerRecord as numbers');
      }
      return { kind: 'diff', baselineRecords, baselineSeed, workPerRecord };
    }
  }
  throw new Error(`malformed message: unknown job ${JSON.stringify(parsed) ?? 'undefined'}`);
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
