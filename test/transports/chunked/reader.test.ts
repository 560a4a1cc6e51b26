import { afterEach, describe, expect, it, vi } from 'vitest';
import { controlFrame, dataFrames, FRAME_HEADER_BYTES, frameHeader, FrameType } from '../../../src/transports/chunked/framing.js';
import type { ControlMessage } from '../../../src/transports/chunked/messages.js';
import { ChunkedFrameReader } from '../../../src/transports/chunked/reader.js';
import { FramingError, TruncatedError } from '../../../src/transports/common/in-place-reader.js';
import { feed, feedInReads } from '../common/in-place-feed.js';

const message = Buffer.from('Mödling Hauptbahnhof, Wörgl Süd: a message in three frames');

/** The reader with a sink that accepts every announce, as the endpoint does below its limit. */
function reader(maxMessageBytes = 1024): { reader: ChunkedFrameReader; controls: ControlMessage[]; messages: Buffer[] } {
  const controls: ControlMessage[] = [];
  const messages: Buffer[] = [];
  const r: ChunkedFrameReader = new ChunkedFrameReader(maxMessageBytes, {
    control: (m) => {
      controls.push(m);
      if (m.type === 'announce') r.expectMessage(m.sizeBytes);
    },
    message: (m) => messages.push(m),
  });
  return { reader: r, controls, messages };
}

const announce = (sizeBytes: number): Buffer => controlFrame({ type: 'announce', sizeBytes });
// announce, the message in frames of 20, 20, 20 and 1 bytes, an empty message, then "ready"
const stream = Buffer.concat([announce(message.length), ...dataFrames([message], 20), announce(0), controlFrame({ type: 'ready' })]);
const expectedControls: ControlMessage[] = [{ type: 'announce', sizeBytes: message.length }, { type: 'announce', sizeBytes: 0 }, { type: 'ready' }];

afterEach(() => {
  vi.restoreAllMocks();
});

describe('ChunkedFrameReader (in place)', () => {
  it('lands every data frame straight in the one buffer of the announced size', () => {
    const { reader: r, controls, messages } = reader();
    const views = feed(r, stream);
    expect(controls).toEqual(expectedControls);
    expect(messages).toEqual([message, Buffer.alloc(0)]);
    const landed = messages[0]!;
    // Small buffers share Node's pool, so "inside the message" is by address range.
    const dataViews = views.filter((v) => v.buffer === landed.buffer && v.byteOffset >= landed.byteOffset && v.byteOffset < landed.byteOffset + landed.length);
    expect(dataViews.map((v) => v.length)).toEqual([20, 20, 20, 1]);
    expect(dataViews.map((v) => v.byteOffset - landed.byteOffset)).toEqual([0, 20, 40, 60]);
    // One read per header and per payload: 3 control frames and 4 data frames, 2 views each.
    expect(views).toHaveLength(14);
    r.end();
  });

  it('gives the same result however the stream is split in two: inside a header, inside a frame, exactly at a frame end', () => {
    for (let cut = 0; cut <= stream.length; cut++) {
      const { reader: r, controls, messages } = reader();
      feed(r, stream.subarray(0, cut));
      feed(r, stream.subarray(cut));
      r.end();
      expect(controls, `cut at ${cut}`).toEqual(expectedControls);
      expect(messages, `cut at ${cut}`).toEqual([message, Buffer.alloc(0)]);
    }
  });

  it('one byte per read, and reads of 7 then 3 bytes', () => {
    for (const sizes of [[1], [7, 3]]) {
      const { reader: r, controls, messages } = reader();
      feedInReads(r, stream, ...sizes);
      r.end();
      expect(controls).toEqual(expectedControls);
      expect(messages).toEqual([message, Buffer.alloc(0)]);
    }
  });

  it('a short read inside a data frame lands where the next read goes on', () => {
    const { reader: r, messages } = reader();
    feed(r, Buffer.concat([announce(message.length), frameHeader(FrameType.data, message.length)]));
    const view = r.nextBuffer();
    expect(view).toHaveLength(message.length);
    message.copy(view, 0, 0, 5);
    r.commit(5);
    expect(r.incomingProgress).toEqual({ receivedBytes: 5, sizeBytes: message.length });
    expect(r.nextBuffer().byteOffset).toBe(view.byteOffset + 5);
    feed(r, message.subarray(5));
    expect(messages).toEqual([message]);
    expect(r.nextBuffer()).toHaveLength(FRAME_HEADER_BYTES);
  });

  it('a peer that announces more than it sends: the end of the stream says how much arrived', () => {
    const { reader: r, messages } = reader();
    feed(r, Buffer.concat([announce(message.length), ...dataFrames([message.subarray(0, 20)], 20)]));
    expect(messages).toEqual([]);
    expect(() => r.end()).toThrow(new TruncatedError(`truncated stream: ended after 20 of ${message.length} announced bytes`));
    expect(() => r.end()).toThrow(TruncatedError);
  });

  it('a peer that announces more than it sends and then announces again', () => {
    const { reader: r } = reader();
    expect(() => feed(r, Buffer.concat([announce(100), ...dataFrames([message], 64), announce(5)]))).toThrow(
      'announce while a message is still arriving',
    );
  });

  it('a data frame beyond the announced size is refused at its header, before a byte of it lands', () => {
    const { reader: r } = reader();
    feed(r, announce(10));
    expect(() => feed(r, frameHeader(FrameType.data, 11))).toThrow('data beyond the announced size: 11 of 10 bytes');
    const { reader: unannounced } = reader();
    expect(() => feed(unannounced, frameHeader(FrameType.data, 1))).toThrow('data frame without an announced message');
  });

  it('streams ending inside a header or a control frame', () => {
    const inHeader = reader();
    feed(inHeader.reader, frameHeader(FrameType.data, 10).subarray(0, 3));
    expect(() => inHeader.reader.end()).toThrow('truncated stream: ended after 3 of 6 header bytes');
    const inControl = reader();
    feed(inControl.reader, announce(10).subarray(0, FRAME_HEADER_BYTES + 2));
    expect(() => inControl.reader.end()).toThrow('truncated stream: ended inside a control frame');
  });

  it('rejects garbage: a bad magic byte (with its offset), an unknown type, a huge control frame, one that is not JSON', () => {
    const afterReady = reader();
    feed(afterReady.reader, controlFrame({ type: 'ready' }));
    expect(() => feed(afterReady.reader, Buffer.from('GET / HTTP/1.1\r\n'))).toThrow('garbage: bad magic byte 0x47 at stream offset 22');
    expect(() => feed(reader().reader, Buffer.from([0xc6, 9, 0, 0, 0, 1]))).toThrow('garbage: unknown frame type 9');
    expect(() => feed(reader().reader, Buffer.from([0xc6, 9, 0, 0, 0, 1]))).toThrow(FramingError);
    expect(() => feed(reader().reader, frameHeader(FrameType.control, 1 << 20))).toThrow('control frame of 1048576 bytes is above 4096');
    expect(() => feed(reader().reader, Buffer.concat([frameHeader(FrameType.control, 3), Buffer.from('{{{')]))).toThrow(
      'malformed control frame: not JSON (3 bytes)',
    );
    expect(() => feed(reader().reader, frameHeader(FrameType.control, 0))).toThrow('malformed control frame: not JSON (0 bytes)');
  });

  it('refuses an announced size above the limit before allocating anything', () => {
    const tooBig = announce(2 ** 32 - 1);
    const { reader: r } = reader(1024);
    const allocUnsafe = vi.spyOn(Buffer, 'allocUnsafe');
    expect(() => feed(r, tooBig)).toThrow(new FramingError('announced size 4294967295 bytes is above the maximum of 1024 bytes'));
    expect(allocUnsafe.mock.calls.map(([size]) => size)).toEqual([tooBig.length - FRAME_HEADER_BYTES]); // the control frame's own payload only
  });
});
