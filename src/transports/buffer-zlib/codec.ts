import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { payloadBody, payloadFromBody } from '../shared/envelope.js';
import type { ForkCodec } from '../shared/fork-channel/messages.js';
import { jsonMessageBytes } from '../shared/json-wire.js';
import type { Payload } from '../types.js';

// buffer-zlib's body on the fork channel (messages: shared/fork-channel/messages.ts), used by both
// sides. The talk's fifth iteration: serialize to a Buffer (bytes as they are, structured data as
// JSON UTF-8: shared/envelope.ts's payloadBody), gzip it, send it over the fork channel, gunzip on
// the other side, both ways. Async zlib: compression runs on libuv's thread pool, so the HTTP
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

const EMPTY_BODY_JSON_LENGTH = JSON.stringify({ kind: 'records', gzipBase64: '' }).length;

export const bufferZlibCodec: ForkCodec<ZlibBody> = {
  serialization: 'json',
  encode: async (payload) => ({ kind: payload.kind, gzipBase64: (await gzip(payloadBody(payload))).toString('base64') }),
  decode: async (body) => payloadFromBody(body.kind, await gunzip(Buffer.from(body.gzipBase64, 'base64'))),
  bodyWireBytes: (body) => EMPTY_BODY_JSON_LENGTH - 'records'.length + body.kind.length + body.gzipBase64.length,
  messageWireBytes: jsonMessageBytes,
};
