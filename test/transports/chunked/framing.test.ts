import { describe, expect, it } from 'vitest';
import { controlFrame, dataFrames, FRAME_HEADER_BYTES, frameHeader, FrameType, refusalReason } from '../../../src/transports/chunked/framing.js';
import { ChunkedFrameReader } from '../../../src/transports/chunked/reader.js';
import { CHUNKED_EAGER_MAX_BYTES, CHUNKED_FRAME_BYTES } from '../../../src/transports/chunked/messages.js';
import { encodeEnvelope } from '../../../src/transports/common/envelope.js';
import { feed } from '../common/in-place-feed.js';

const message = Buffer.from('Mödling Hauptbahnhof, Wörgl Süd: a message in three frames');

describe('chunked framing', () => {
  it('encodes a frame header as magic, type, uint32 BE length', () => {
    expect([...frameHeader(FrameType.data, 258)]).toEqual([0xc6, 2, 0, 0, 1, 2]);
    expect(controlFrame({ type: 'ready' }).subarray(FRAME_HEADER_BYTES).toString()).toBe('{"type":"ready"}');
  });

  it('cuts a message into data frames of at most frameBytes, across parts, without losing a byte', () => {
    const frames = dataFrames([message.subarray(0, 10), message.subarray(10)], 20);
    // 61 bytes (UTF-8): frames of 20, 20, 20 and 1, the first made of pieces of both parts
    expect(message.length).toBe(61);
    expect(frames.map((b) => b.length)).toEqual([6, 10, 10, 6, 20, 6, 20, 6, 1]);
    const received: Buffer[] = [];
    const reader: ChunkedFrameReader = new ChunkedFrameReader(1024, { control: () => undefined, message: (m) => received.push(m) });
    reader.expectMessage(message.length);
    feed(reader, Buffer.concat(frames));
    expect(received).toEqual([message]);
  });

  it('lets a 4 MiB payload skip "ready" both ways: one frame of payload plus its envelope header fits the allowance', () => {
    expect([CHUNKED_FRAME_BYTES, CHUNKED_EAGER_MAX_BYTES]).toEqual([4 * 1024 * 1024, 4 * 1024 * 1024 + 64 * 1024]);
    const payload = { kind: 'bytes' as const, bytes: Buffer.alloc(CHUNKED_FRAME_BYTES) };
    const request = encodeEnvelope({ type: 'request', job: { kind: 'echo' }, payloadKind: 'bytes' }, payload);
    const reply = encodeEnvelope({ type: 'reply', payloadKind: 'bytes', peakRssBytes: 2 ** 40 }, payload);
    for (const { sizeBytes } of [request, reply]) {
      expect(sizeBytes).toBeGreaterThan(CHUNKED_FRAME_BYTES); // the header makes it more than a frame
      expect(sizeBytes).toBeLessThanOrEqual(CHUNKED_EAGER_MAX_BYTES);
    }
  });

  it('refuses an announced size above the maximum, or one that is not a byte count', () => {
    expect(refusalReason(1024, 1024)).toBeNull();
    expect(refusalReason(1025, 1024)).toBe('announced size 1025 bytes is above the maximum of 1024 bytes');
    expect(refusalReason(-1, 1024)).toBe('announced size -1 is not a byte count');
    expect(refusalReason(1.5, 1024)).toBe('announced size 1.5 is not a byte count');
  });
});
