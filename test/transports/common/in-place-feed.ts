import type { InPlaceReader } from '../../../src/transports/common/in-place-reader.js';

/**
 * What the kernel does under `onread`: the bytes available (`chunk`) land in the views the reader
 * hands out, one read per view, as many reads as it takes. Returns every view that was read into.
 */
export function feed(reader: InPlaceReader, chunk: Buffer): Buffer[] {
  const views: Buffer[] = [];
  for (let at = 0; at < chunk.length; ) {
    const view = reader.nextBuffer();
    const bytes = Math.min(view.length, chunk.length - at);
    chunk.copy(view, 0, at, at + bytes);
    views.push(view);
    reader.commit(bytes);
    at += bytes;
  }
  return views;
}

/** The stream cut into reads of `sizes` bytes in turn (the last size repeats), fed one after the other. */
export function feedInReads(reader: InPlaceReader, stream: Buffer, ...sizes: number[]): void {
  for (let at = 0, i = 0; at < stream.length; i++) {
    const size = sizes[Math.min(i, sizes.length - 1)]!;
    feed(reader, stream.subarray(at, at + size));
    at += size;
  }
}
