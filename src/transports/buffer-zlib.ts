import { promisify } from 'node:util';
import zlib from 'node:zlib';
import type { DiffResult, Station } from '../workload/types.js';
import { forkChannelTransport } from './fork-channel.js';
import type { ForkCodec } from './fork-messages.js';
import { jsonMessageBytes } from './wire-payload.js';
import type { Payload } from './types.js';

// The talk's fifth iteration: serialize to a Buffer, gzip it, send it over the fork channel, gunzip
// on the other side, both ways. Async zlib: compression runs on libuv's thread pool, so the HTTP
// process's event loop is blocked only by the serialization and the channel, which is what the
// scenario measures; a sync gzip of a 10 MB import would freeze the server for the whole compression.
// The fork channel is JSON (as in 2017: no 'advanced' serialization yet), so the gzip output
// travels as base64; bytes counted are those on the channel (4/3 of the gzip size).

const gzip = promisify(zlib.gzip);
const gunzip = promisify(zlib.gunzip);

export interface ZlibBody {
  kind: Payload['kind'];
  gzipBase64: string;
}

function serialize(payload: Payload): Buffer {
  if (payload.kind === 'bytes') return payload.bytes;
  return Buffer.from(JSON.stringify(payload.kind === 'records' ? payload.records : payload.diff));
}

function deserialize(kind: Payload['kind'], bytes: Buffer): Payload {
  if (kind === 'bytes') return { kind, bytes };
  const text = bytes.toString('utf8');
  return kind === 'records' ? { kind, records: JSON.parse(text) as Station[] } : { kind, diff: JSON.parse(text) as DiffResult };
}

const EMPTY_BODY_JSON_LENGTH = JSON.stringify({ kind: 'records', gzipBase64: '' }).length;

export const bufferZlibCodec: ForkCodec<ZlibBody> = {
  serialization: 'json',
  encode: async (payload) => ({ kind: payload.kind, gzipBase64: (await gzip(serialize(payload))).toString('base64') }),
  decode: async (body) => deserialize(body.kind, await gunzip(Buffer.from(body.gzipBase64, 'base64'))),
  bodyWireBytes: (body) => EMPTY_BODY_JSON_LENGTH - 'records'.length + body.kind.length + body.gzipBase64.length,
  messageWireBytes: jsonMessageBytes,
};

export const bufferZlibTransport = forkChannelTransport(
  { id: 'buffer-zlib', title: 'Buffer + gzip over fork (process.send)', talkIteration: 5 },
  bufferZlibCodec,
);
