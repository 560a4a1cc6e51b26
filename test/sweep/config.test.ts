import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveSweepOptions } from '../../src/commands/sweep-options.js';
import { resolveRunId, UsageError } from '../../src/commands/usage.js';
import { DEFAULT_SAMPLING, QUICK_SAMPLING } from '../../src/sweep/sampler.js';

const IDS = ['raw-socket', 'chunked', 'fork-json'] as const;
const resolve = (args: Parameters<typeof resolveSweepOptions>[0]) => resolveSweepOptions(args, IDS, '/tmp/results').config;

describe('sweep options', () => {
  it('defaults per issue 4', () => {
    const config = resolve({});
    expect(config.transports).toEqual(['raw-socket', 'chunked', 'fork-json']);
    expect(config.sizesBytes).toHaveLength(12);
    expect(config.sizesBytes.at(-1)).toBe(256 * 1024 * 1024);
    expect(config).toMatchObject({ repeat: 5, timeoutMs: 30_000, payload: 'bytes', childHeapMb: null, pinCpus: true });
    expect(resolve({ pinCpus: false }).pinCpus).toBe(false);
    expect(config.sampling).toEqual(DEFAULT_SAMPLING);
    expect(config).not.toHaveProperty('outDir'); // no machine path in the recorded config
    expect(resolveSweepOptions({ out: 'elsewhere' }, IDS, '/tmp/results').outDir).toBe(path.resolve('elsewhere'));
  });
  it('--quick: sizes up to 1 MiB and shorter sampling; --repeat sets the least sample count', () => {
    expect(resolve({ quick: true })).toMatchObject({ repeat: 3, maxSizeBytes: 1024 * 1024, sampling: QUICK_SAMPLING });
    expect(resolve({ quick: true }).sizesBytes).toEqual([1024, 4096, 16384, 65535, 65536, 65537, 262144, 1048576]);
    expect(resolve({ quick: true, repeat: '2' })).toMatchObject({ repeat: 2, sampling: { ...QUICK_SAMPLING, minSamples: 2 } });
    expect(resolve({ repeat: '20' }).sampling).toEqual({ ...DEFAULT_SAMPLING, minSamples: 20 });
  });
  it('parses sizes in every accepted spelling, sorted and deduplicated', () => {
    expect(resolve({ sizes: '10MB,64KiB,1048576,64KiB' }).sizesBytes).toEqual([65536, 1048576, 10_000_000]);
    expect(resolve({ maxSize: '1GiB', sizes: '1GiB' }).sizesBytes).toEqual([1024 ** 3]);
    expect(resolve({ transports: 'chunked,raw-socket,chunked' }).transports).toEqual(['chunked', 'raw-socket']);
    expect(resolve({ timeout: '2.5', childHeapMb: '64', payload: 'records', transports: 'chunked' })).toMatchObject({
      timeoutMs: 2500, childHeapMb: 64, payload: 'records', transports: ['chunked'],
    });
  });
  it.each([
    [{ sizes: '12XB' }, '--sizes must be a size such as 1048576, 64KiB or 10MB (got "12XB")'],
    [{ sizes: '512MiB' }, '--sizes: 512 MiB is above --max-size 256 MiB (raise --max-size, up to 1 GiB)'],
    [{ sizes: '0' }, '--sizes must all be at least 1 byte (got 0)'],
    [{ maxSize: '2GiB' }, '--max-size must be from 1 byte to 1 GiB (got "2GiB")'],
    [{ repeat: '0' }, '--repeat must be an integer from 1 to 10000 (got "0")'],
    [{ timeout: 'soon' }, '--timeout must be a number from 0.1 to 3600 (got "soon")'],
    [{ childHeapMb: '1.5' }, '--child-heap-mb must be an integer from 16 to 65536 (got "1.5")'],
    [{ payload: 'json' }, '--payload accepts one of: bytes, records (got "json")'],
    [{ payload: 'bytes,records' }, '--payload accepts one of: bytes, records (got "bytes,records")'],
    [{ transports: 'chunked,carrier-pigeon' }, '--transports accepts a comma-separated list of: raw-socket, chunked, fork-json (got "chunked,carrier-pigeon")'],
  ])('rejects %o naming the option', (args, message) => {
    expect(() => resolve(args)).toThrow(new UsageError(message));
  });
});

describe('--run-id', () => {
  it('takes a filesystem-safe id, else makes a fresh one', () => {
    expect(resolveRunId('2026-11-27T08-00-00Z-abcd', () => 'fresh')).toBe('2026-11-27T08-00-00Z-abcd');
    expect(resolveRunId(undefined, () => 'fresh')).toBe('fresh');
    expect(() => resolveRunId('../etc', () => 'fresh')).toThrow(new UsageError('--run-id accepts letters, digits, ".", "_" and "-" (got "../etc")'));
  });
});
