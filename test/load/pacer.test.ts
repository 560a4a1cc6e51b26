import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { OpenLoopPacer } from '../../src/load/pacer.js';

describe('OpenLoopPacer', () => {
  beforeEach(() => vi.useFakeTimers({ now: 0 }));
  afterEach(() => vi.useRealTimers());

  it('sends on the fixed schedule, and a request waiting for a connection keeps its due time', () => {
    const sent: { connection: string; dueAtMs: number; atMs: number }[] = [];
    const pacer = new OpenLoopPacer<string>(20, 100, () => Date.now(), (connection, dueAtMs) => sent.push({ connection, dueAtMs, atMs: Date.now() }));
    pacer.markIdle('a');
    pacer.markIdle('b');
    pacer.markIdle('b'); // reported twice (a reconnect): still one idle entry
    pacer.start();
    vi.advanceTimersByTime(45);
    // 0 -> a, 20 -> b, 40 due with no idle connection: it waits.
    expect(sent).toEqual([
      { connection: 'a', dueAtMs: 0, atMs: 0 },
      { connection: 'b', dueAtMs: 20, atMs: 20 },
    ]);
    expect(pacer.waiting).toBe(1);
    vi.advanceTimersByTime(5);
    pacer.markIdle('a');
    expect(sent[2]).toEqual({ connection: 'a', dueAtMs: 40, atMs: 50 });
    vi.advanceTimersByTime(100);
    // 60 and 80 are due too; no connection came back for them. 100 is outside the phase.
    expect(pacer.scheduleDone).toBe(true);
    expect(pacer.waiting).toBe(2);
    expect(pacer.stop()).toBe(2);
    pacer.markIdle('b');
    expect(sent).toHaveLength(3);
  });
});
