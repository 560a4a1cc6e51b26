import { createHash, randomBytes } from 'node:crypto';
import type { Payload } from '../transports/types.js';
import { generateStations } from '../workload/index.js';

export type PayloadKind = 'bytes' | 'records';
export const PAYLOAD_KINDS: readonly PayloadKind[] = ['bytes', 'records'];

// Measured on the generator (seed 1, 1000 records): a station is about 150 bytes of JSON. Records
// payloads are sized with it, so "64 MiB of records" is about 64 MiB as plain JSON; each transport
// then serializes them its own way, which is the point of this payload kind.
const SAMPLE = generateStations(1000, 1);
const JSON_BYTES_PER_RECORD = Buffer.byteLength(JSON.stringify(SAMPLE)) / SAMPLE.length;

export function recordsForSize(sizeBytes: number): number {
  return Math.max(1, Math.round(sizeBytes / JSON_BYTES_PER_RECORD));
}

/**
 * A fresh payload for one exchange. Fresh each time because a transport may detach or reuse what
 * it was given (worker-transfer moves the ArrayBuffer), and so the sender holds one copy, not many.
 */
export function makePayload(kind: PayloadKind, sizeBytes: number, seed: number): Payload {
  if (kind === 'bytes') return { kind: 'bytes', bytes: randomBytes(sizeBytes) };
  return { kind: 'records', records: generateStations(recordsForSize(sizeBytes), seed) };
}

/** Keys sorted at every level, so two equal values hash the same whatever order a codec produced. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * SHA-256 of a payload: of the bytes, or of the canonical JSON of each record in turn (never one
 * giant string: at hundreds of MiB it would pass V8's string length limit). The kind is hashed too,
 * so a reply of the wrong kind never matches.
 */
export function payloadDigest(payload: Payload): string {
  const hash = createHash('sha256').update(`${payload.kind}\n`);
  if (payload.kind === 'bytes') hash.update(payload.bytes);
  else if (payload.kind === 'records') for (const record of payload.records) hash.update(`${canonicalJson(record)}\n`);
  else hash.update(canonicalJson(payload.diff));
  return hash.digest('hex');
}
