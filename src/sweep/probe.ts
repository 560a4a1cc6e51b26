import { performance } from 'node:perf_hooks';

export interface ProbeReading {
  /** Longest time the event loop could not run a 1 ms timer, beyond the timer's own interval. */
  maxBlockMs: number;
  /** Highest RSS sampled (every tick, and at start and stop). */
  peakRssBytes: number;
}

const TICK_MS = 1;

/**
 * Watches this process while an exchange runs. A 1 ms interval timer notes when it last ran; a gap
 * longer than the interval is time the loop was blocked. Unlike monitorEventLoopDelay, stop() also
 * counts the gap up to the moment it is called, so a block just before the exchange resolves (a big
 * JSON.parse, Buffer.concat) is not lost. RSS is sampled on the same ticks, which a blocked loop
 * cannot do, so a peak inside one long synchronous step may be missed: the reading is a lower bound.
 */
export function startProbe(): { stop(): ProbeReading } {
  // RSS first: reading it takes a while on a loaded machine, and that is not the exchange's block.
  let peakRssBytes = process.memoryUsage.rss();
  let maxBlockMs = 0;
  let lastTickMs = performance.now();
  const observe = (): void => {
    const now = performance.now();
    maxBlockMs = Math.max(maxBlockMs, now - lastTickMs - TICK_MS);
    lastTickMs = now;
    peakRssBytes = Math.max(peakRssBytes, process.memoryUsage.rss());
  };
  const timer = setInterval(observe, TICK_MS);
  timer.unref();
  return {
    stop(): ProbeReading {
      observe();
      clearInterval(timer);
      return { maxBlockMs: Math.max(0, maxBlockMs), peakRssBytes };
    },
  };
}
