// The event-loop delay of the last moments, for a live view that polls /metrics: the histogram of
// metrics.ts covers a whole phase and cannot say "blocked right now". A timer that measures how late
// it fires keeps the lateness of its recent ticks; a blocked loop shows up in the first tick after it.
// Started on the first read, so runs nobody watches live carry no extra timer.

const TICK_MS = 20;
export const RECENT_WINDOW_MS = 500;

export interface LateTick {
  atMs: number;
  lateMs: number;
}

/** Largest lateness among ticks in (nowMs - windowMs, nowMs]. Pure. */
export function maxLateness(ticks: readonly LateTick[], nowMs: number, windowMs: number): number {
  let max = 0;
  for (const tick of ticks) if (tick.atMs > nowMs - windowMs && tick.lateMs > max) max = tick.lateMs;
  return max;
}

let ticks: LateTick[] = [];
let timer: NodeJS.Timeout | null = null;

function start(): void {
  let expectedMs = performance.now() + TICK_MS;
  timer = setInterval(() => {
    const nowMs = performance.now();
    ticks.push({ atMs: nowMs, lateMs: Math.max(0, Math.round(nowMs - expectedMs)) });
    expectedMs = nowMs + TICK_MS;
    if (ticks.length > 4 * (RECENT_WINDOW_MS / TICK_MS)) ticks = ticks.filter((t) => t.atMs > nowMs - RECENT_WINDOW_MS);
  }, TICK_MS);
  timer.unref();
}

/** Longest event-loop delay (ms) over the last RECENT_WINDOW_MS; 0 on the first call. */
export function recentLoopDelayMs(): number {
  if (!timer) start();
  return maxLateness(ticks, performance.now(), RECENT_WINDOW_MS);
}
