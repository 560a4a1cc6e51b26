import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import type { EventLoopSummary } from '../results/schema.js';

// 10 ms resolution: fine enough to see a blocked loop, cheap enough to leave on while measuring.
const RESOLUTION_MS = 10;

let histogram: IntervalHistogram | null = null;

function loopHistogram(): IntervalHistogram {
  if (!histogram) {
    histogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
    histogram.enable();
  }
  return histogram;
}

const nsToMs = (ns: number): number => Math.round((ns / 1e6) * 100) / 100;

export function resetEventLoopDelay(): void {
  loopHistogram().reset();
}

/** Event-loop delay of this process since the last reset. */
export function eventLoopSummary(): EventLoopSummary {
  const h = loopHistogram();
  if (h.count === 0) return { p50Ms: 0, p99Ms: 0, maxMs: 0 };
  return { p50Ms: nsToMs(h.percentile(50)), p99Ms: nsToMs(h.percentile(99)), maxMs: nsToMs(h.max) };
}

export function processMetrics(): Record<string, unknown> {
  const usage = process.resourceUsage();
  return {
    pid: process.pid,
    eventLoopDelay: eventLoopSummary(),
    rssBytes: process.memoryUsage.rss(),
    peakRssBytes: usage.maxRSS * 1024,
    cpuUserMs: Math.round(usage.userCPUTime / 1000),
    cpuSystemMs: Math.round(usage.systemCPUTime / 1000),
    uptimeS: Math.round(process.uptime() * 10) / 10,
  };
}

/**
 * Max event-loop delay while `work` runs, at 1 ms resolution: how long the transfer itself blocked
 * this process (serializing, copying, parsing), as opposed to time spent waiting for the child.
 */
export async function measureBlocking<T>(work: () => Promise<T>): Promise<{ value: T; maxBlockMs: number }> {
  const h = monitorEventLoopDelay({ resolution: 1 });
  h.enable();
  try {
    const value = await work();
    return { value, maxBlockMs: h.count === 0 ? 0 : nsToMs(h.max) };
  } finally {
    h.disable();
  }
}
