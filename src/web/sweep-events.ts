// Which of a sweep's events a watched sweep (`sweep --emit-events`) passes on to the workshop. The
// sampler exchanges thousands of times a second at small sizes and tells of each (SweepEvent
// 'exchange'); forwarding all of them would flood the IPC channel and the page while measuring.
import type { SweepEvent } from '../sweep/run.js';

/** How often a point's progress (warm-up, samples so far) reaches the page at most. */
export const EXCHANGE_EVENT_INTERVAL_MS = 250;

/**
 * A filter: every point's start and end pass; of its exchanges, the first of each phase (cold,
 * warm-up, sample) and then at most one per `intervalMs` on the clock `nowMs`.
 */
export function sweepEventFilter(nowMs: () => number, intervalMs = EXCHANGE_EVENT_INTERVAL_MS): (event: SweepEvent) => boolean {
  let lastPhase: string | null = null;
  let lastSentMs = -Infinity;
  return (event) => {
    if (event.type !== 'exchange') {
      lastPhase = null;
      return true;
    }
    const now = nowMs();
    if (event.phase === lastPhase && now - lastSentMs < intervalMs) return false;
    lastPhase = event.phase;
    lastSentMs = now;
    return true;
  };
}
