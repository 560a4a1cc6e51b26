import { performance } from 'node:perf_hooks';

const TICK_MS = 1;

interface Window {
  startMs: number;
  /** Longest gap between two turns of the loop seen inside this window, ms. */
  maxGapMs: number;
}

/**
 * How long this process's event loop was blocked during windows that may overlap (several imports
 * handed off at once). A 1 ms interval timer notes when the loop last turned; a gap between two
 * turns is time the loop could not run anything. The timer runs only while a window is open.
 *
 * It cannot miss the block it exists to measure, at either edge: opening a window counts from that
 * very moment (a fresh monitorEventLoopDelay records nothing until its first timer tick, so a block
 * right after enable() is lost), and closing it counts the gap still in progress (the reply's
 * decode, which ends just before the hand-off resolves, before any timer could tick).
 */
export class LoopBlockMonitor {
  private readonly windows = new Set<Window>();
  private timer: NodeJS.Timeout | null = null;
  private lastTurnMs = 0;

  constructor(private readonly now: () => number = () => performance.now()) {}

  private observe(at: number): void {
    for (const window of this.windows) {
      // A gap that began before the window opened counts only from the opening.
      window.maxGapMs = Math.max(window.maxGapMs, at - Math.max(this.lastTurnMs, window.startMs));
    }
    this.lastTurnMs = at;
  }

  /** Opens a window now; call the returned function when it ends: the longest block inside it, ms. */
  open(): () => number {
    const startMs = this.now();
    if (this.timer === null) {
      this.lastTurnMs = startMs;
      this.timer = setInterval(() => this.observe(this.now()), TICK_MS);
      this.timer.unref();
    }
    const window: Window = { startMs, maxGapMs: 0 };
    this.windows.add(window);
    let closed: number | null = null;
    return () => {
      if (closed !== null) return closed;
      this.observe(this.now());
      this.windows.delete(window);
      if (this.windows.size === 0 && this.timer !== null) {
        clearInterval(this.timer);
        this.timer = null;
      }
      // Net of the timer's own interval: a loop that is never blocked reads 0, not 1 ms.
      closed = Math.max(0, Math.round((window.maxGapMs - TICK_MS) * 10) / 10);
      return closed;
    };
  }
}

const monitor = new LoopBlockMonitor();

/**
 * The longest event-loop block of this process while `work` runs: how long a hand-off blocked the
 * HTTP process (serializing, sending, parsing the reply), as opposed to time spent waiting for the
 * child. Blocks of other work running meanwhile (another import's hand-off) count too: they froze
 * the same loop while this import was out.
 */
export async function measureBlocking<T>(work: () => Promise<T>): Promise<{ value: T; maxBlockMs: number }> {
  const close = monitor.open();
  try {
    const value = await work();
    return { value, maxBlockMs: close() };
  } finally {
    close();
  }
}
