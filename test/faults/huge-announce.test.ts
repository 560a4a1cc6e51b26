// Point 4 of the faults issue: a size only a malicious peer announces (or a gzip body that inflates
// past the limit) is refused before anything of that size is allocated, and nothing crashes.
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { bufferZlibCodec } from '../../src/transports/buffer-zlib/codec.js';
import { frameHeader, FrameType, refusalReason } from '../../src/transports/chunked/framing.js';
import { ChunkedFrameReader } from '../../src/transports/chunked/reader.js';
import { LengthPrefixedReader } from '../../src/transports/raw-socket/framing.js';
import { FramingError, type InPlaceReader } from '../../src/transports/common/in-place-reader.js';
import { decodeEnvelope } from '../../src/transports/common/envelope.js';
import { PEER_FAULTS, peerFaultArgs, takePeerFault } from '../../src/transports/common/peer-fault.js';
import { TransportError } from '../../src/transports/types.js';

const MIB = 1024 * 1024;
/** Memory held by ArrayBuffers (Buffers) now: a 4 GiB allocation would show here, or throw. */
const arrayBufferBytes = (): number => process.memoryUsage().arrayBuffers;

/** Feeds `bytes` to an in-place reader the way a socket's onread does. */
function land(reader: InPlaceReader, bytes: Buffer): void {
  let at = 0;
  while (at < bytes.length) {
    const view = reader.nextBuffer();
    const take = Math.min(view.length, bytes.length - at);
    bytes.copy(view, 0, at, at + take);
    at += take;
    reader.commit(take);
  }
}

describe('huge announced sizes are checked before allocating', () => {
  it('chunked: a data frame of 4 GiB - 1 is garbage at once; an announce of 1 TiB is refused', () => {
    const before = arrayBufferBytes();
    const reader = new ChunkedFrameReader(64 * MIB, { control: () => expect.fail('no control frame'), message: () => expect.fail('no message') });
    expect(() => land(reader, frameHeader(FrameType.data, 0xffffffff))).toThrow(new FramingError('data frame without an announced message'));
    expect(() => reader.expectMessage(2 ** 40)).toThrow(new FramingError('announced size 1099511627776 bytes is above the maximum of 67108864 bytes'));
    expect(refusalReason(2 ** 40, 64 * MIB)).toBe('announced size 1099511627776 bytes is above the maximum of 67108864 bytes');
    expect(arrayBufferBytes() - before).toBeLessThan(MIB);
  });

  it('raw-socket: a length prefix of 4 GiB - 1 is refused before the message buffer exists', () => {
    const before = arrayBufferBytes();
    const reader = new LengthPrefixedReader(64 * MIB, () => expect.fail('no message'));
    const prefix = Buffer.alloc(4);
    prefix.writeUInt32BE(0xffffffff, 0);
    expect(() => land(reader, prefix)).toThrow(new FramingError('announced message of 4294967295 bytes is above the maximum of 67108864 bytes'));
    expect(arrayBufferBytes() - before).toBeLessThan(MIB);
  });

  it('envelope (raw-socket): a header length of 4 GiB - 1 is malformed, not allocated', () => {
    const before = arrayBufferBytes();
    const message = Buffer.alloc(14);
    message.writeUInt32BE(0xffffffff, 0);
    expect(() => decodeEnvelope(message)).toThrow('malformed message: header of 4294967295 bytes announced, 10 present');
    expect(arrayBufferBytes() - before).toBeLessThan(MIB);
  });

  it('buffer-zlib: a gzip body inflating past the limit is refused while inflating (zlib maxOutputLength)', async () => {
    const bomb = { kind: 'bytes' as const, gzipBase64: gzipSync(Buffer.alloc(16 * MIB)).toString('base64') };
    expect(bomb.gzipBase64.length).toBeLessThan(64 * 1024);
    const error = await bufferZlibCodec.decode(bomb, MIB).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toEqual(new TransportError('refused', 'gzip body inflates past the maximum of 1048576 bytes'));
    expect((error as TransportError).kind).toBe('refused');
    // Within the limit it decodes as before.
    const small = { kind: 'bytes' as const, gzipBase64: gzipSync(Buffer.from('fine')).toString('base64') };
    expect(await bufferZlibCodec.decode(small, MIB)).toEqual({ kind: 'bytes', bytes: Buffer.from('fine') });
  });
});

describe('the peer fault argument', () => {
  it('travels before the transport id and is taken off again; normal argv has none', () => {
    const args = peerFaultArgs({ fault: 'exit-mid-reply', markerFile: '/tmp/x/fault-at' });
    expect(args).toEqual(['--peer-fault=exit-mid-reply@/tmp/x/fault-at']);
    expect(takePeerFault([...args, 'chunked', 'a'])).toEqual({ spec: { fault: 'exit-mid-reply', markerFile: '/tmp/x/fault-at' }, rest: ['chunked', 'a'] });
    expect(takePeerFault(['chunked', 'a'])).toEqual({ spec: null, rest: ['chunked', 'a'] });
    expect(peerFaultArgs(undefined)).toEqual([]);
    expect(() => takePeerFault(['--peer-fault=explode@/tmp/x', 'chunked'])).toThrow('peer-main: bad --peer-fault=explode@/tmp/x');
    expect(PEER_FAULTS).toHaveLength(8);
  });
});
