import type { DiffResult, Station } from '../../workload/types.js';
import type { Payload } from '../types.js';

// How a payload is stored in a Redis key of its own (placement 'redis-key'): bytes as they are
// (Redis strings are binary-safe, so no base64), structured data as UTF-8 JSON.

export function encodePayload(payload: Payload): Buffer {
  switch (payload.kind) {
    case 'bytes':
      return payload.bytes;
    case 'records':
      return Buffer.from(JSON.stringify(payload.records));
    case 'diff':
      return Buffer.from(JSON.stringify(payload.diff));
  }
}

export function decodePayload(kind: Payload['kind'], stored: Buffer): Payload {
  switch (kind) {
    case 'bytes':
      return { kind: 'bytes', bytes: stored };
    case 'records':
      return { kind: 'records', records: JSON.parse(stored.toString('utf8')) as Station[] };
    case 'diff':
      return { kind: 'diff', diff: JSON.parse(stored.toString('utf8')) as DiffResult };
  }
}
