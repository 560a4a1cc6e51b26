import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import type { EventLoopSummary } from '../results/schema.js';
import { RECENT_WINDOW_MS, recentLoopDelayMs } from './recent-delay.js';

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

// The histogram records the time between two samples, which includes the sampling interval
// itself: an idle loop reads 10 ms at a 10 ms resolution. Report only the delay beyond it.
const delayMs = (ns: number, resolutionMs: number): number => Math.max(0, Math.round((ns / 1e6 - resolutionMs) * 100) / 100);

export function resetEventLoopDelay(): void {
  loopHistogram().reset();
}

/** Event-loop delay of this process since the last reset. */
export function eventLoopSummary(): EventLoopSummary {
  const h = loopHistogram();
  if (h.count === 0) return { p50Ms: 0, p99Ms: 0, maxMs: 0 };
  return {
    p50Ms: delayMs(h.percentile(50), RESOLUTION_MS),
    p99Ms: delayMs(h.percentile(99), RESOLUTION_MS),
    maxMs: delayMs(h.max, RESOLUTION_MS),
  };
}

export function processMetrics(): Record<string, unknown> {
  const usage = process.resourceUsage();
  return {
    pid: process.pid,
    eventLoopDelay: eventLoopSummary(),
    // For live views: the longest delay over the last window, not since the phase began.
    recentLoopDelay: { maxMs: recentLoopDelayMs(), windowMs: RECENT_WINDOW_MS },
    rssBytes: process.memoryUsage.rss(),
    peakRssBytes: usage.maxRSS * 1024,
    cpuUserMs: Math.round(usage.userCPUTime / 1000),
    cpuSystemMs: Math.round(usage.systemCPUTime / 1000),
    uptimeS: Math.round(process.uptime() * 10) / 10,
  };
}
