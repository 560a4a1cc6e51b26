import { describe, expect, it } from 'vitest';
import { formatBytes } from '../../src/report/format.js';

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
