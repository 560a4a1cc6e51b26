import type { Payload } from '../transports/types.js';

/** "1024 bytes", "120 records": taken before the exchange, since a transport may detach the buffer. */
export function describePayload(payload: Payload): string {
  if (payload.kind === 'bytes') return `${payload.bytes.length} bytes`;
  if (payload.kind === 'records') return `${payload.records.length} records`;
  return 'a diff';
}

/** One line saying how a reply differs from what was sent, for a `corrupted` point's error. */
export function describeMismatch(sent: Payload, sentSummary: string, reply: Payload): string {
  if (sent.kind !== reply.kind) return `reply is ${reply.kind}, sent ${sent.kind}`;
  let where = '';
  if (sent.kind === 'bytes' && reply.kind === 'bytes') {
    const length = Math.min(sent.bytes.length, reply.bytes.length);
    let first = 0;
    while (first < length && sent.bytes[first] === reply.bytes[first]) first++;
    if (first < length) where = `, first difference at byte ${first}`;
  }
  return `SHA-256 mismatch: sent ${sentSummary}, got ${describePayload(reply)}${where}`;
}
