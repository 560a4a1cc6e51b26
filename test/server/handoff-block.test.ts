import { describe, expect, it, vi } from 'vitest';
import type { ServeConfig } from '../../src/server/contract.js';
import { LoopBlockMonitor } from '../../src/server/loop-block.js';
import { offloadImports } from '../../src/server/offload.js';
import type { Transport, TransportPeer } from '../../src/transports/types.js';
import { BASELINE_SEED, diffStations, generateStations, makeIncoming } from '../../src/workload/index.js';

// The hand-off figure against blocks of a known length. Busy-waits on the wall clock, so a block
// lasts at least its length however the machine schedules the test: the figure must never be
// below it. Above it only by what a descheduled process adds, and far below the child's 1.5 s of
// waiting, which is not blocking: counting that would read 1750 ms or more.
const TOLERANCE_MS = 1000;

function blockFor(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // the synchronous part of a hand-off: serializing, sending, parsing
  }
}
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

const config: ServeConfig = {
  host: '127.0.0.1',
  port: 0,
  records: 200,
  workers: 1,
  pool: false,
  importTimeoutMs: 10_000,
  childHeapMb: null,
  importPriority: 'normal',
  maxImports: 2,
};

/** A transport whose exchange blocks for `encodeMs`, waits for the "child", then blocks `decodeMs`. */
function fakeTransport(encodeMs: number, childMs: number, decodeMs: number): Transport {
  return {
    id: 'fork-json',
    title: 'fake',
    talkIteration: null,
    start: async (): Promise<TransportPeer> => ({
      pid: 4242,
      exchange: async (job, payload) => {
        blockFor(encodeMs);
        await sleep(childMs);
        blockFor(decodeMs);
        if (job.kind !== 'diff' || payload.kind !== 'records') throw new Error('unexpected job');
        const diff = diffStations(generateStations(job.baselineRecords, job.baselineSeed), payload.records, 0);
        return { reply: { kind: 'diff', diff }, bytesToPeer: 1, bytesFromPeer: 1, roundTripMs: 0 };
      },
      close: async () => {},
    }),
  };
}

describe('the hand-off figure (transferBlockMs)', () => {
  const baseline = generateStations(200, BASELINE_SEED);
  const job = { incoming: makeIncoming(baseline, 0.1, 1), baseline, baselineRecords: 200, baselineSeed: BASELINE_SEED, workPerRecord: 0 };

  it.each([
    ['the encode, right as the hand-off starts', 250, 40],
    ['the reply decode, right before the hand-off resolves', 40, 250],
  ])('reports a 250 ms block in %s', async (_where, encodeMs, decodeMs) => {
    const offload = offloadImports(fakeTransport(encodeMs, 1500, decodeMs), config);
    const outcome = await offload.runImport(job, new AbortController().signal);
    await offload.close();
    expect(outcome.transferBlockMs).toBeGreaterThanOrEqual(249);
    expect(outcome.transferBlockMs).toBeLessThan(250 + TOLERANCE_MS);
    expect(outcome.counts).toEqual({ added: 5, changed: 10, deleted: 5, unchanged: 185 });
  });

  it('overlapping windows each see the blocks inside them, and not one that ended before they opened (exact, on a manual clock)', () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    try {
      let nowMs = 0;
      const monitor = new LoopBlockMonitor(() => nowMs);
      const turn = (ms: number): void => {
        // The loop turns every 1 ms: the clock moves, then the interval timer runs.
        for (let i = 0; i < ms; i++) {
          nowMs += 1;
          vi.advanceTimersByTime(1);
        }
      };
      const block = (ms: number): void => {
        nowMs += ms; // nothing runs meanwhile
        vi.advanceTimersByTime(1);
      };
      const closeFirst = monitor.open();
      block(300); // right at the opening: the gap counts from the open, not from a first tick
      turn(30);
      const closeSecond = monitor.open();
      turn(30);
      block(60);
      turn(10);
      nowMs += 100; // a block still running when the windows close (the reply's decode)
      expect(closeSecond()).toBe(99); // that 100 ms block, net of the 1 ms tick; not the first window's 300
      expect(closeFirst()).toBe(299); // the 300 ms gap (301 ms between turns), net of the tick
      expect(closeFirst()).toBe(299); // closing twice reads the same
    } finally {
      vi.useRealTimers();
    }
  });
});
