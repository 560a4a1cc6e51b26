import { describe, expect, it } from 'vitest';
import { formatBytes, formatDurationMs, formatMs, formatNumber, formatPercent, formatSize } from '../../src/format/numbers.js';
import { errorMessage } from '../../src/format/error.js';

describe('formatBytes', () => {
  it('names round sizes, sizes a few bytes off them, and others', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1024)).toBe('1 KiB');
    expect(formatBytes(65_535)).toBe('64 KiB-1');
    expect(formatBytes(65_536)).toBe('64 KiB');
    expect(formatBytes(65_537)).toBe('64 KiB+1');
    expect(formatBytes(1024 * 1024 + 7)).toBe('1 MiB+7');
    expect(formatBytes(1500)).toBe('1.46 KiB');
    expect(formatBytes(10 * 1024 * 1024)).toBe('10 MiB');
  });
});

describe('formatSize', () => {
  it('names sizes exactly, in the units the command line takes', () => {
    expect([1024, 65535, 65537, 256 * 1024 ** 2, 1024 ** 3, 10_000_000, 1000, 1500, 7].map(formatSize)).toEqual([
      '1 KiB', '64 KiB-1', '64 KiB+1', '256 MiB', '1 GiB', '10 MB', '1 kB', '1500 B', '7 B',
    ]);
  });
});

describe('numbers and durations', () => {
  it('gives milliseconds a precision that fits the magnitude, with or without the unit', () => {
    expect([0.934, 9.999, 12.44, 99.94, 3380.4].map(formatMs)).toEqual(['0.93', '10.00', '12.4', '99.9', '3380']);
    expect([4, 12, 3200, 9999, 12_345].map(formatDurationMs)).toEqual(['4.00 ms', '12.0 ms', '3200 ms', '9999 ms', '12.3 s']);
  });
  it('keeps three significant figures and no exponent', () => {
    expect([0, 0.004, 0.0123, 1.9, 64.24, 1150.4, -2.5].map(formatNumber)).toEqual(['0', '0.0040', '0.012', '1.90', '64.2', '1150', '-2.50']);
    expect(formatPercent(0.2784)).toBe('27.8%');
  });
  it('reads a message from anything thrown', () => {
    expect(errorMessage(new Error('boom'))).toBe('boom');
    expect(errorMessage('plain text')).toBe('plain text');
    expect(errorMessage(42)).toBe('42');
  });
});
