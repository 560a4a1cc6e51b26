import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { payloadBody, payloadFromBody } from '../common/envelope.js';
import type { ForkCodec } from '../common/fork-channel/messages.js';
import { jsonMessageBytes } from '../common/json-wire.js';
import type { PeerFault } from '../common/peer-fault.js';
import { TransportError, type Payload } from '../types.js';

// buffer-zlib's body on the fork channel (messages: common/fork-channel/messages.ts), used by both
// sides. The talk's fifth iteration: serialize to a Buffer (bytes as they are, structured data as
// JSON UTF-8: common/envelope.ts's payloadBody), gzip it, send it over the fork channel, gunzip on
// the other side, both ways. Async zlib: compression runs on libuv's thread pool, so the HTTP
// process's event loop is blocked only by the serialization and the channel, which is what the
// scenario measures; a sync gzip of a 10 MB import would freeze the server for the whole compression.
// The fork channel is JSON (as in 2017: no 'advanced' serialization yet), so the gzip output
// travels as base64; bytes counted are those on the channel (4/3 of the gzip size).
// A gzip stream announces nothing before it inflates: the receiver bounds the inflated size with
// zlib's maxOutputLength (the receiver's message limit), so a small "zip bomb" is refused while it
// inflates, never allocated whole.

const gzip = promisify(zlib.gzip);
const gunzip = promisify(zlib.gunzip);

export interface ZlibBody {
  kind: Payload['kind'];
  gzipBase64: string;
}

const EMPTY_BODY_JSON_LENGTH = JSON.stringify({ kind: 'records', gzipBase64: '' }).length;
/** What a faulty peer inflates its "oversize" reply to: above the faults run's 64 MiB limit. */
export const ZIP_BOMB_BYTES = 128 * 1024 * 1024;

async function inflate(gzipped: Buffer, maxBytes: number | undefined): Promise<Buffer> {
  try {
    return await gunzip(gzipped, maxBytes === undefined ? {} : { maxOutputLength: maxBytes });
  } catch (error) {
    if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new TransportError('refused', `gzip body inflates past the maximum of ${maxBytes} bytes`);
    }
    throw error;
  }
}

/** A gzip stream broken the way `fault` says (`npm run faults`). */
async function faultyGzip(gzipped: Buffer, fault: PeerFault): Promise<Buffer> {
  switch (fault) {
    case 'truncated-frame':
      return gzipped.subarray(0, Math.floor(gzipped.length / 2));
    case 'garbage-header':
      return Buffer.from('GARBAGE, NOT A GZIP STREAM');
    case 'oversize-announce':
      return gzip(Buffer.alloc(ZIP_BOMB_BYTES), { level: 1 });
    case 'length-mismatch': {
      // The gzip trailer's last 4 bytes are the inflated length (ISIZE): announce one byte more.
      const lying = Buffer.from(gzipped);
      lying.writeUInt32LE((lying.readUInt32LE(lying.length - 4) + 1) >>> 0, lying.length - 4);
      return lying;
    }
    default:
      return gzipped;
  }
}

export const bufferZlibCodec: ForkCodec<ZlibBody> = {
  serialization: 'json',
  encode: async (payload) => ({ kind: payload.kind, gzipBase64: (await gzip(payloadBody(payload))).toString('base64') }),
  decode: async (body, maxBytes) => payloadFromBody(body.kind, await inflate(Buffer.from(body.gzipBase64, 'base64'), maxBytes)),
  bodyWireBytes: (body) => EMPTY_BODY_JSON_LENGTH - 'records'.length + body.kind.length + body.gzipBase64.length,
  messageWireBytes: jsonMessageBytes,
  faultyBody: async (body, fault) => ({ kind: body.kind, gzipBase64: (await faultyGzip(Buffer.from(body.gzipBase64, 'base64'), fault)).toString('base64') }),
};
