import { describe, expect, it } from 'vitest';
import { classifyFailure } from '../../src/sweep/classify.js';
import { describeMismatch } from '../../src/sweep/integrity.js';
import { canonicalJson, payloadDigest, recordsForSize } from '../../src/sweep/payload.js';
import { defaultSizes, MIB } from '../../src/sweep/sizes.js';
import { mbPerSecond, spread } from '../../src/sweep/stats.js';
import { TransportError } from '../../src/transports/types.js';
import { generateStations } from '../../src/workload/index.js';

describe('sizes', () => {
  it('steps by x4 from 1 KiB and brackets 64 KiB', () => {
    expect(defaultSizes(16 * MIB)).toEqual([1024, 4096, 16384, 65535, 65536, 65537, 262144, 1048576, 4194304, 16777216]);
    expect(defaultSizes(256 * MIB).at(-1)).toBe(256 * MIB);
    expect(defaultSizes(256 * MIB)).toHaveLength(12);
    expect(defaultSizes(10_000)).toEqual([1024, 4096]);
  });
});

describe('stats', () => {
  it('median, min, max', () => {
    expect(spread([5, 1, 3])).toEqual({ median: 3, min: 1, max: 5 });
    expect(spread([4, 1, 3, 2])).toEqual({ median: 2.5, min: 1, max: 4 });
    expect(spread([])).toBeNull();
  });
  it('MB/s is payload MB over the median round trip', () => {
    expect(mbPerSecond(64_000_000, 500)).toBe(128);
    expect(mbPerSecond(1_000_000, 0)).toBe(1_000_000); // clamped to 1 us, never Infinity
  });
});

describe('classifyFailure', () => {
  it('maps transport error kinds onto sweep states, with exit code or signal', () => {
    expect(classifyFailure(new TransportError('crashed', 'peer 12 died', 3, null))).toEqual({ state: 'crashed', error: 'peer 12 died (exit code 3)' });
    expect(classifyFailure(new TransportError('crashed', 'peer 12 exited with code 3', 3, null))).toEqual({
      state: 'crashed', error: 'peer 12 exited with code 3',
    });
    expect(classifyFailure(new TransportError('crashed', 'killed by signal SIGKILL', null, 'SIGKILL')).error).toBe('killed by signal SIGKILL');
    expect(classifyFailure(new TransportError('out-of-memory', 'heap', null, 'SIGABRT'))).toEqual({ state: 'out-of-memory', error: 'heap (signal SIGABRT)' });
    expect(classifyFailure(new TransportError('timeout', 'slow'))).toEqual({ state: 'timeout', error: 'slow' });
    expect(classifyFailure(new TransportError('corrupted', 'bad frame'))).toEqual({ state: 'corrupted', error: 'bad frame' });
    expect(classifyFailure(new TransportError('refused', 'too big'))).toEqual({ state: 'error', error: 'refused: too big' });
    expect(classifyFailure(new RangeError('Invalid string length'))).toEqual({ state: 'error', error: 'RangeError: Invalid string length' });
    expect(classifyFailure('odd')).toEqual({ state: 'error', error: 'odd' });
  });
});

describe('integrity', () => {
  it('hashes records by content, not key order', () => {
    const [station] = generateStations(1, 7);
    const reordered = Object.fromEntries(Object.entries(station!).reverse()) as typeof station;
    expect(payloadDigest({ kind: 'records', records: [station!] })).toBe(payloadDigest({ kind: 'records', records: [reordered!] }));
    expect(payloadDigest({ kind: 'records', records: [{ ...station!, platforms: 99 }] })).not.toBe(
      payloadDigest({ kind: 'records', records: [station!] }),
    );
    expect(canonicalJson({ b: [1, { d: null, c: 'ä' }], a: true })).toBe('{"a":true,"b":[1,{"c":"ä","d":null}]}');
  });
  it('never matches a reply of another kind', () => {
    expect(payloadDigest({ kind: 'bytes', bytes: Buffer.from('[]') })).not.toBe(payloadDigest({ kind: 'records', records: [] }));
    expect(describeMismatch({ kind: 'bytes', bytes: Buffer.alloc(1) }, '1 bytes', { kind: 'records', records: [] })).toBe(
      'reply is records, sent bytes',
    );
    expect(describeMismatch({ kind: 'bytes', bytes: Buffer.from('abcd') }, '4 bytes', { kind: 'bytes', bytes: Buffer.from('ab') })).toBe(
      'SHA-256 mismatch: sent 4 bytes, got 2 bytes',
    );
  });
  it('sizes records payloads to about the target as JSON', () => {
    const records = generateStations(recordsForSize(1024 * 1024), 1);
    const jsonBytes = Buffer.byteLength(JSON.stringify(records));
    expect(Math.abs(jsonBytes - 1024 * 1024) / (1024 * 1024)).toBeLessThan(0.05);
    expect(recordsForSize(1)).toBe(1);
  });
});
