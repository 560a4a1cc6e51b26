import { describe, expect, it } from 'vitest';
import { parseVmHwmBytes, processPeakRssBytes, readOwnPeakRssBytes, throttled } from '../../../src/transports/common/peak-rss.js';

describe('peak RSS from VmHWM', () => {
  it('parses the VmHWM line of a status text in bytes, null without one', () => {
    const status = 'Name:\tnode\nVmPeak:\t 1200 kB\nVmHWM:\t   337512 kB\nVmRSS:\t  300000 kB\n';
    expect(parseVmHwmBytes(status)).toBe(337_512 * 1024);
    expect(parseVmHwmBytes('Name:\tnode\nVmRSS:\t  300000 kB\n')).toBeNull();
  });

  it('a peer re-reads its peak at most once per interval', () => {
    let nowMs = 0;
    let reads = 0;
    const peak = throttled(() => ++reads * 100, 50, () => nowMs);
    expect([peak(), peak()]).toEqual([100, 100]);
    nowMs = 49;
    expect(peak()).toBe(100);
    nowMs = 50;
    expect([peak(), peak()]).toEqual([200, 200]);
    nowMs = 1000;
    expect(peak()).toBe(300);
    expect(reads).toBe(3);
  });

  it.runIf(process.platform === 'linux')('reads the kernel high-water mark of a live process, null for none', async () => {
    const own = await processPeakRssBytes(process.pid);
    expect(own).toBeGreaterThanOrEqual(process.memoryUsage.rss() - 1024 * 1024); // VmHWM >= current RSS (kB rounding aside)
    expect(await processPeakRssBytes(2 ** 22 + 12345)).toBeNull(); // above Linux's pid_max limit: no such process
    // Our own report and the kernel's read agree (both VmHWM; it can only have grown in between).
    expect(readOwnPeakRssBytes()).toBeGreaterThanOrEqual(own!);
  });
});
