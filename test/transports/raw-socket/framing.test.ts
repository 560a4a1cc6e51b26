import { afterEach, describe, expect, it, vi } from 'vitest';
import { FramingError, TruncatedError } from '../../../src/transports/common/in-place-reader.js';
import { LENGTH_PREFIX_BYTES, lengthPrefix, LengthPrefixedReader, SCRATCH_BYTES } from '../../../src/transports/raw-socket/framing.js';
import { feed, feedInReads } from '../common/in-place-feed.js';

const first = Buffer.from('Wien Hbf → Graz Hbf');
const second = Buffer.from('St. Pölten');
const empty = Buffer.alloc(0);
const stream = Buffer.concat([lengthPrefix(first.length), first, lengthPrefix(0), lengthPrefix(second.length), second]);

function reader(maxMessageBytes = 1024): { reader: LengthPrefixedReader; messages: Buffer[] } {
  const messages: Buffer[] = [];
  return { reader: new LengthPrefixedReader(maxMessageBytes, (m) => messages.push(m)), messages };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('raw-socket length prefix', () => {
  it('is a uint32 BE byte count, and refuses what it cannot carry', () => {
    expect([...lengthPrefix(258)]).toEqual([0, 0, 1, 2]);
    expect([...lengthPrefix(2 ** 32 - 1)]).toEqual([255, 255, 255, 255]);
    expect(() => lengthPrefix(2 ** 32)).toThrow('a length prefix carries 0 to 4294967295 bytes (got 4294967296)');
    expect(() => lengthPrefix(-1)).toThrow(RangeError);
  });
});

describe('LengthPrefixedReader (in place)', () => {
  it('small messages arrive whole in one read (prefixes and bodies), each copied out once and the receiver\'s to keep', () => {
    const { reader: r, messages } = reader();
    const views = feed(r, stream);
    expect(views.map((v) => v.length)).toEqual([SCRATCH_BYTES]); // one read for all three
    expect(messages).toEqual([first, empty, second]);
    feed(r, Buffer.concat([lengthPrefix(first.length), Buffer.alloc(first.length, 0)])); // the scratch buffer again
    expect(messages[0]).toEqual(first);
    r.end();
  });

  it('a message bigger than one read: what the first read brought is copied in, every later read lands straight in it', () => {
    const big = Buffer.alloc(3 * SCRATCH_BYTES, 0xab);
    big.write('Bregenz', 100_000);
    const { reader: r, messages } = reader(4 * SCRATCH_BYTES);
    const views = feed(r, Buffer.concat([lengthPrefix(big.length), big]));
    expect(messages).toEqual([big]);
    const alreadyThere = SCRATCH_BYTES - LENGTH_PREFIX_BYTES;
    expect(views.map((v) => v.length)).toEqual([SCRATCH_BYTES, big.length - alreadyThere]);
    expect(views[1]!.buffer).toBe(messages[0]!.buffer);
    expect(views[1]!.byteOffset).toBe(messages[0]!.byteOffset + alreadyThere);
    r.end();
  });

  it('gives the same messages however the stream is split in two: inside a prefix, inside a body, exactly at a message end', () => {
    for (let cut = 0; cut <= stream.length; cut++) {
      const { reader: r, messages } = reader();
      feed(r, stream.subarray(0, cut));
      feed(r, stream.subarray(cut));
      r.end();
      expect(messages, `cut at ${cut}`).toEqual([first, empty, second]);
    }
  });

  it('at the scratch buffer\'s edge: a message ending exactly there, a next prefix or a body cut by it', () => {
    const next = Buffer.from('Innsbruck');
    // The first message with its prefix ends at SCRATCH_BYTES + shift: 0 exactly at the edge; -1..-3 the next
    // prefix is cut after 1-3 bytes; +1 the body's last byte is one read later.
    for (const shift of [-3, -2, -1, 0, 1]) {
      const body = Buffer.alloc(SCRATCH_BYTES - LENGTH_PREFIX_BYTES + shift, shift & 0xff);
      const wire = Buffer.concat([lengthPrefix(body.length), body, lengthPrefix(next.length), next]);
      const { reader: r, messages } = reader(2 * SCRATCH_BYTES);
      const views = feed(r, wire);
      r.end();
      expect(messages, `shift ${shift}`).toEqual([body, next]);
      expect(views[0], `shift ${shift}`).toHaveLength(SCRATCH_BYTES);
      // What the next read was asked to fill: the last byte of the body in place, else the scratch buffer
      // (also for a cut prefix: its rest and the next body then come in that one read).
      expect(views[1], `shift ${shift}`).toHaveLength(shift === 1 ? 1 : SCRATCH_BYTES);
      expect(views, `shift ${shift}`).toHaveLength(shift === 1 ? 3 : 2); // +1: the next message in one more scratch read
    }
  });

  it('an oversized length completed by a later read is refused before anything is allocated', () => {
    const first = Buffer.alloc(SCRATCH_BYTES - LENGTH_PREFIX_BYTES - 2, 1);
    const { reader: r } = reader(SCRATCH_BYTES);
    const wire = Buffer.concat([lengthPrefix(first.length), first, lengthPrefix(SCRATCH_BYTES + 1)]);
    feed(r, wire.subarray(0, SCRATCH_BYTES)); // the first message, and half of the next prefix
    const allocUnsafe = vi.spyOn(Buffer, 'allocUnsafe');
    expect(() => feed(r, wire.subarray(SCRATCH_BYTES))).toThrow(
      new FramingError(`announced message of ${SCRATCH_BYTES + 1} bytes is above the maximum of ${SCRATCH_BYTES} bytes`),
    );
    expect(allocUnsafe).not.toHaveBeenCalled();
  });

  it('one byte per read', () => {
    const { reader: r, messages } = reader();
    feedInReads(r, stream, 1);
    r.end();
    expect(messages).toEqual([first, empty, second]);
  });

  it('a message delivered exactly at a read end is whole before the next read starts', () => {
    const { reader: r, messages } = reader();
    feed(r, stream.subarray(0, LENGTH_PREFIX_BYTES + first.length));
    expect(messages).toEqual([first]);
    expect(r.nextBuffer()).toHaveLength(SCRATCH_BYTES); // back between messages
  });

  it('a short read lands where the next read goes on', () => {
    const { reader: r, messages } = reader();
    feed(r, lengthPrefix(first.length));
    const view = r.nextBuffer();
    expect(view).toHaveLength(first.length);
    first.copy(view, 0, 0, 3);
    r.commit(3); // the kernel had only 3 bytes
    const rest = r.nextBuffer();
    expect(rest).toHaveLength(first.length - 3);
    expect(rest.byteOffset).toBe(view.byteOffset + 3);
    feed(r, first.subarray(3));
    expect(messages).toEqual([first]);
  });

  it('a peer that announces more than it sends: the end of the stream says how much arrived', () => {
    const { reader: r, messages } = reader();
    feed(r, Buffer.concat([lengthPrefix(100), Buffer.alloc(40, 7)]));
    expect(messages).toEqual([]);
    expect(() => r.end()).toThrow(new TruncatedError('stream ended after 40 of 100 announced bytes'));
    expect(() => r.end()).toThrow(TruncatedError); // not garbage: the peer's end explains it
  });

  it('a stream that ends inside a length prefix', () => {
    const { reader: r } = reader();
    feed(r, lengthPrefix(10).subarray(0, 3));
    expect(() => r.end()).toThrow('stream ended inside a length prefix (3 of 4 bytes)');
  });

  it('refuses an announced size above the limit before allocating anything', () => {
    const huge = lengthPrefix(2 ** 32 - 1);
    const { reader: r } = reader(1024);
    const allocUnsafe = vi.spyOn(Buffer, 'allocUnsafe');
    const alloc = vi.spyOn(Buffer, 'alloc');
    expect(() => feed(r, huge)).toThrow(
      new FramingError('announced message of 4294967295 bytes is above the maximum of 1024 bytes'),
    );
    expect(allocUnsafe).not.toHaveBeenCalled();
    expect(alloc).not.toHaveBeenCalled();
    expect(() => feed(reader(1024).reader, huge)).toThrow(FramingError);
    const { reader: atLimit, messages } = reader(1024);
    feed(atLimit, Buffer.concat([lengthPrefix(1024), Buffer.alloc(1024, 1)]));
    expect(messages[0]).toHaveLength(1024);
  });

  it('a commit larger than the view handed out is a bug, not data', () => {
    const { reader: r } = reader();
    r.nextBuffer();
    expect(() => r.commit(SCRATCH_BYTES + 1)).toThrow(`in-place read of ${SCRATCH_BYTES + 1} bytes into a view of ${SCRATCH_BYTES}`);
    const { reader: midMessage } = reader();
    feed(midMessage, lengthPrefix(10));
    midMessage.nextBuffer();
    expect(() => midMessage.commit(11)).toThrow('in-place read of 11 bytes into a view of 10');
  });
});
