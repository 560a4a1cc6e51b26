import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { processPeakRssBytes, resetPeakRss } from '../../../src/transports/common/peak-rss.js';

const MIB = 1024 * 1024;
// Touches 200 MiB, lets it go (a single large allocation is its own mmap: freeing it gives it back
// to the kernel), says so, then waits to be killed.
const CHILD = `
let big = Buffer.alloc(${200 * MIB}, 1);
big = null;
globalThis.gc();
process.stdout.write('freed\\n');
setInterval(() => {}, 1000);
`;

describe.runIf(process.platform === 'linux')('resetPeakRss (a kept peer\'s peak covers one size only)', () => {
  it('brings another process\'s peak RSS down to its current RSS', async () => {
    const child = spawn(process.execPath, ['--expose-gc', '-e', CHILD], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      await once(child.stdout!, 'data');
      const before = await processPeakRssBytes(child.pid!);
      expect(before).toBeGreaterThan(200 * MIB);
      expect(await resetPeakRss(child.pid!)).toBe(true);
      const after = await processPeakRssBytes(child.pid!);
      expect(after).toBeLessThan(150 * MIB);
    } finally {
      child.kill('SIGKILL');
      await once(child, 'close').catch(() => undefined);
    }
  });

  it('says false, and changes nothing, for a process that is not there', async () => {
    expect(await resetPeakRss(2 ** 22 + 12345)).toBe(false);
  });
});
