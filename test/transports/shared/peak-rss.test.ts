import { describe, expect, it } from 'vitest';
import { ownPeakRssBytes, parseVmHwmBytes, processPeakRssBytes } from '../../../src/transports/shared/peak-rss.js';

describe('peak RSS from VmHWM', () => {
  it('parses the VmHWM line of a status text in bytes, null without one', () => {
    const status = 'Name:\tnode\nVmPeak:\t 1200 kB\nVmHWM:\t   337512 kB\nVmRSS:\t  300000 kB\n';
    expect(parseVmHwmBytes(status)).toBe(337_512 * 1024);
    expect(parseVmHwmBytes('Name:\tnode\nVmRSS:\t  300000 kB\n')).toBeNull();
  });

  it.runIf(process.platform === 'linux')('reads the kernel high-water mark of a live process, null for none', async () => {
    const own = await processPeakRssBytes(process.pid);
    expect(own).toBeGreaterThanOrEqual(process.memoryUsage.rss() - 1024 * 1024); // VmHWM >= current RSS (kB rounding aside)
    expect(await processPeakRssBytes(2 ** 22 + 12345)).toBeNull(); // above Linux's pid_max limit: no such process
    // Our own report and the kernel's read agree (both VmHWM; it can only have grown in between).
    expect(ownPeakRssBytes()).toBeGreaterThanOrEqual(own!);
  });
});
