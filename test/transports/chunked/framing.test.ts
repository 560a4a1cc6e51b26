import { describe, expect, it } from 'vitest';
import {
  controlFrame,
  dataFrames,
  FRAME_HEADER_BYTES,
  frameHeader,
  FrameReader,
  FrameType,
  FramingError,
  MessageAssembler,
  refusalReason,
} from '../../../src/transports/chunked/framing.js';
import type { ControlMessage } from '../../../src/transports/chunked/messages.js';

function collector(): { reader: FrameReader; controls: ControlMessage[]; data: Buffer[] } {
  const controls: ControlMessage[] = [];
  const data: Buffer[] = [];
  const reader = new FrameReader({ control: (m) => controls.push(m), data: (piece) => data.push(Buffer.from(piece)) });
  return { reader, controls, data };
}

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
    const { reader, data } = collector();
    reader.push(Buffer.concat(frames));
    expect(Buffer.concat(data).equals(message)).toBe(true);
  });

  it('reads several frames delivered in one read', () => {
    const { reader, controls, data } = collector();
    reader.push(Buffer.concat([controlFrame({ type: 'announce', sizeBytes: message.length }), ...dataFrames([message], 16), controlFrame({ type: 'ready' })]));
    expect(controls).toEqual([{ type: 'announce', sizeBytes: message.length }, { type: 'ready' }]);
    expect(Buffer.concat(data).equals(message)).toBe(true);
  });

  it('reads a header split across reads, one byte at a time', () => {
    const { reader, controls, data } = collector();
    const stream = Buffer.concat([controlFrame({ type: 'refused', reason: 'zu groß' }), ...dataFrames([message], 7)]);
    for (let i = 0; i < stream.length; i++) reader.push(stream.subarray(i, i + 1));
    reader.end();
    expect(controls).toEqual([{ type: 'refused', reason: 'zu groß' }]);
    expect(Buffer.concat(data).equals(message)).toBe(true);
  });

  it('reports a stream truncated inside a header or inside a frame', () => {
    const inHeader = collector();
    inHeader.reader.push(frameHeader(FrameType.data, 10).subarray(0, 3));
    expect(() => inHeader.reader.end()).toThrow('truncated stream: ended after 3 of 6 header bytes');
    const inFrame = collector();
    inFrame.reader.push(Buffer.concat(dataFrames([message], 100)).subarray(0, 20));
    expect(() => inFrame.reader.end()).toThrow(`truncated stream: ended with ${message.length - 14} bytes of a frame missing`);
  });

  it('rejects garbage bytes: a bad magic byte, an unknown type, a huge control frame, a control frame that is not JSON', () => {
    expect(() => collector().reader.push(Buffer.from('GET / HTTP/1.1\r\n'))).toThrow(/garbage: bad magic byte 0x47/);
    expect(() => collector().reader.push(Buffer.from([0xc6, 9, 0, 0, 0, 1]))).toThrow('garbage: unknown frame type 9');
    expect(() => collector().reader.push(frameHeader(FrameType.control, 1 << 20))).toThrow(FramingError);
    const notJson = Buffer.concat([frameHeader(FrameType.control, 3), Buffer.from('{{{')]);
    expect(() => collector().reader.push(notJson)).toThrow('malformed control frame: not JSON (3 bytes)');
  });

  it('refuses an announced size above the maximum, or one that is not a byte count', () => {
    expect(refusalReason(1024, 1024)).toBeNull();
    expect(refusalReason(1025, 1024)).toBe('announced size 1025 bytes is above the maximum of 1024 bytes');
    expect(refusalReason(-1, 1024)).toBe('announced size -1 is not a byte count');
    expect(refusalReason(1.5, 1024)).toBe('announced size 1.5 is not a byte count');
  });

  it('assembles into one buffer of the announced size and rejects data beyond it', () => {
    const assembler = new MessageAssembler(message.length);
    assembler.write(message.subarray(0, 5));
    expect(assembler.complete).toBe(false);
    assembler.write(message.subarray(5));
    expect(assembler.complete).toBe(true);
    expect(assembler.buffer.equals(message)).toBe(true);
    expect(() => assembler.write(Buffer.from('x'))).toThrow(`data beyond the announced size: ${message.length + 1} of ${message.length} bytes`);
  });
});
