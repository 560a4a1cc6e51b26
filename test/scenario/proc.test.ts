import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { mainThreadCpuMs } from '../../src/scenario/proc.js';

function spin(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // burn CPU on this thread
  }
}

describe.skipIf(process.platform !== 'linux')("a process's main-thread CPU time (/proc)", () => {
  it('grows while the main thread computes, by about what it computed', () => {
    const before = mainThreadCpuMs(process.pid)!;
    spin(300);
    const used = mainThreadCpuMs(process.pid)! - before;
    // 10 ms ticks; a busy machine can take CPU away, never add it beyond the wall time and a tick.
    expect(used).toBeGreaterThan(0);
    expect(used).toBeLessThanOrEqual(320);
  });

  it("does not count a worker thread's CPU: the figure is the event loop's", async () => {
    const worker = new Worker('const until = performance.now() + 400; while (performance.now() < until) {}', { eval: true });
    const before = mainThreadCpuMs(process.pid)!;
    await new Promise((resolve) => worker.once('exit', resolve));
    // The main thread only waited for the exit: far less than the worker's 400 ms of spinning.
    expect(mainThreadCpuMs(process.pid)! - before).toBeLessThan(200);
  });

  it('is null for a process that does not exist', () => {
    expect(mainThreadCpuMs(2 ** 22 + 1)).toBeNull();
  });
});
