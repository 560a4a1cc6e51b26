import { describe, expect, it } from 'vitest';
import type { SweepEvent } from '../../src/sweep/run.js';
import { sweepEventFilter } from '../../src/web/sweep-events.js';

describe('the sweep events a watched sweep forwards', () => {
  it('every point start and end, the first exchange of each phase, then one exchange per 250 ms', () => {
    let now = 0;
    const passes = sweepEventFilter(() => now);
    const exchange = (phase: 'cold' | 'warm-up' | 'sample', samples: number, atMs: number): SweepEvent => {
      now = atMs;
      return { type: 'exchange', transport: 'raw-socket', sizeBytes: 1024, phase, samples };
    };
    const seen = [
      passes({ type: 'point-start', transport: 'raw-socket', sizeBytes: 1024 }),
      passes(exchange('cold', 0, 0)),
      passes(exchange('warm-up', 0, 5)),
      passes(exchange('warm-up', 0, 6)),
      passes(exchange('warm-up', 0, 254)),
      passes(exchange('warm-up', 0, 255)),
      passes(exchange('sample', 0, 256)),
      passes(exchange('sample', 1, 300)),
      passes(exchange('sample', 900, 505)),
      passes(exchange('sample', 901, 506)),
    ];
    expect(seen).toEqual([true, true, true, false, false, true, true, false, false, true]);
    now = 507;
    expect(passes({ type: 'point-done', transport: 'raw-socket', point: { sizeBytes: 1024, state: 'skipped', roundTripMs: null, mbPerS: null, senderMaxBlockMs: null, peakRssBytes: null } })).toBe(true);
    // The next point starts afresh: its first exchange passes however soon it comes.
    expect(passes(exchange('sample', 0, 508))).toBe(true);
  });
});
