import { describe, expect, it } from 'vitest';
import { runSweep, type SweepEvent } from '../../src/sweep/run.js';
import type { SamplingRule } from '../../src/sweep/sampler.js';
import type { SweepPoint } from '../../src/results/schema.js';
import { TransportError, type Transport, type TransportId } from '../../src/transports/types.js';
import { childTransport, corruptAbove, hangAbove, inProcessTransport, isAlive, throwAbove } from './fakes.js';

const KIB = 1024;
const MIB = 1024 * KIB;
const BLOCK_MS = 60;

function busyWait(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // holding the event loop on purpose
  }
}
/** The cold exchange as the whole warm-up, then exactly `samples` timed exchanges. */
const exactly = (samples: number): SamplingRule => ({
  warmupMinCount: 1, warmupMinMs: 0, warmupMaxMs: 0, minSamples: samples, minTimeMs: 0, maxSamples: samples,
});

describe('runSweep with injected faults', () => {
  it('classifies each fault, skips larger sizes, keeps sweeping the others and leaves no process', async () => {
    const pids: number[] = [];
    const events: SweepEvent[] = [];
    const results = await runSweep(
      [
        // Holds the sender's event loop for a known time at 4 MiB, so the probe has something to find.
        inProcessTransport('healthy', (payload) => {
          if (payload.kind === 'bytes' && payload.bytes.length >= 4 * MIB) busyWait(BLOCK_MS);
          return payload;
        }),
        corruptAbove(16 * KIB),
        throwAbove(16 * KIB, new Error('boom')),
        throwAbove(1 * MIB, new TransportError('refused', 'announced size over the limit')),
        childTransport('crashes', 'crash', pids),
        childTransport('killed', 'kill', pids),
        childTransport('small-heap', 'echo', pids),
      ],
      // A generous timeout: under a loaded CPU a child may take a while to run out of heap.
      { sizesBytes: [4 * MIB, 1 * KIB, 64 * KIB, 1 * MIB], payload: 'bytes', sampling: exactly(2), timeoutMs: 10_000, childHeapMb: 16 },
      (event) => events.push(event),
    );
    const states = Object.fromEntries(results.map((r) => [r.transport, r.points.map((p) => p.state)]));
    expect(states).toEqual({
      healthy: ['ok', 'ok', 'ok', 'ok'],
      corrupts: ['ok', 'corrupted', 'skipped', 'skipped'],
      throws: ['ok', 'ok', 'ok', 'error'],
      crashes: ['crashed', 'skipped', 'skipped', 'skipped'],
      killed: ['crashed', 'skipped', 'skipped', 'skipped'],
      'small-heap': ['ok', 'ok', 'ok', 'out-of-memory'],
    });
    // The two 'throws' transports share an id in this test; look at both by position.
    const failures = results.map((r) => r.failurePoint);
    expect(failures[0]).toBeNull();
    expect(failures[1]).toEqual({
      sizeBytes: 64 * KIB,
      state: 'corrupted',
      error: `SHA-256 mismatch: sent ${64 * KIB} bytes, got ${64 * KIB} bytes, first difference at byte ${16 * KIB}`,
    });
    expect(failures[2]).toEqual({ sizeBytes: 64 * KIB, state: 'error', error: 'Error: boom' });
    expect(failures[3]).toEqual({ sizeBytes: 4 * MIB, state: 'error', error: 'refused: announced size over the limit' });
    expect(failures[4]).toEqual({ sizeBytes: KIB, state: 'crashed', error: 'peer died (exit code 7)' });
    expect(failures[5]).toEqual({ sizeBytes: KIB, state: 'crashed', error: 'peer died (signal SIGKILL)' });
    expect(failures[6]).toEqual({ sizeBytes: 4 * MIB, state: 'out-of-memory', error: 'peer ran out of heap (signal SIGABRT)' });

    const ok = results[0]!.points[3]!;
    if (ok.state !== 'ok') throw new Error(`healthy at 4 MiB: ${ok.state}`);
    expect(ok.roundTripMs!.min).toBeLessThanOrEqual(ok.roundTripMs!.median);
    expect(ok.mbPerS).toBeCloseTo(4 * MIB / 1e6 / (ok.roundTripMs!.median / 1000), 6);
    // The block the exchange caused, and never more than the exchange took.
    expect(ok.senderMaxBlockMs).toBeGreaterThanOrEqual(BLOCK_MS - 2);
    expect(ok.senderMaxBlockMs).toBeLessThanOrEqual(ok.roundTripMs!.max + 1);
    expect(ok.peakRssBytes!.sender).toBeGreaterThan(4 * MIB);
    expect(ok.peakRssBytes!.receiver).toBeNull(); // the in-process fake cannot report a peer RSS
    // A child's peak RSS comes from the kernel (VmHWM), not inflated by this process's RSS at fork.
    const child = results[6]!.points[2]!;
    expect(child.peakRssBytes!.receiver).toBeGreaterThan(MIB);
    expect(child.peakRssBytes!.receiver).toBeLessThan(120 * MIB); // a small node child, not this vitest process
    const failed = results[4]!.points[0]!;
    if (failed.state === 'ok' || failed.state === 'skipped') throw new Error(`crashes at 1 KiB: ${failed.state}`);
    expect(failed.roundTripMs).toBeNull();
    expect(failed.mbPerS).toBeNull();

    expect(pids).toHaveLength(6); // crash, kill, and one small-heap child per size
    expect(pids.filter(isAlive)).toEqual([]);
    const healthy = events.filter((e) => e.type !== 'point-done' && e.transport === 'healthy');
    expect(healthy.map((e) => (e.type === 'exchange' ? `${e.sizeBytes} ${e.phase} ${e.samples}` : e.type === 'point-start' ? `${e.sizeBytes} start` : ''))).toEqual(
      [KIB, 64 * KIB, MIB, 4 * MIB].flatMap((size) => [`${size} start`, `${size} cold 0`, `${size} sample 0`, `${size} sample 1`]),
    );
    // Sampling fields: two samples behind the figures, the cold exchange kept apart.
    expect(ok.samples).toBe(2);
    expect(ok.warmupExchanges).toBe(1);
    expect(ok.firstRoundTripMs).toBeGreaterThan(0);
    expect(ok.roundTripMs!.p10).toBeLessThanOrEqual(ok.roundTripMs!.p90!);
    expect(typeof ok.noisy).toBe('boolean');
    expect(failed.samples).toBe(0);
  });

  it('ends a peer that never answers as a timeout, by the sweep\'s own deadline, and closes it', async () => {
    const closed = { count: 0 };
    const [result] = await runSweep([hangAbove(16 * KIB, closed)], {
      sizesBytes: [KIB, 64 * KIB, MIB], payload: 'bytes', sampling: exactly(2), timeoutMs: 300, graceMs: 100,
    });
    expect(result!.points.map((p) => p.state)).toEqual(['ok', 'timeout', 'skipped']);
    expect(result!.failurePoint).toEqual({ sizeBytes: 64 * KIB, state: 'timeout', error: 'echo exchange: no answer within 400 ms' });
    expect(closed.count).toBe(2); // after its ok size, and after its timeout
  });

  it('stops at once when interrupted, closing the peer it was using', async () => {
    const closed = { count: 0 };
    const controller = new AbortController();
    const sweeping = runSweep([hangAbove(0, closed)], {
      sizesBytes: [KIB], payload: 'bytes', sampling: exactly(1), timeoutMs: 30_000, signal: controller.signal,
    });
    setTimeout(() => controller.abort(), 50);
    await expect(sweeping).rejects.toThrow('sweep interrupted');
    expect(closed.count).toBe(1);
  });

  it('closes a peer whose start finishes only after the sweep gave up on it', async () => {
    const closed = { count: 0 };
    const hanging = hangAbove(0, closed);
    const slowStart = { ...hanging, start: async (options: Parameters<typeof hanging.start>[0]) => {
      await new Promise((resolve) => setTimeout(resolve, 300));
      return hanging.start(options);
    } };
    const [result] = await runSweep([slowStart], { sizesBytes: [KIB], payload: 'bytes', sampling: exactly(1), timeoutMs: 50, graceMs: 50 });
    expect(result!.failurePoint).toEqual({ sizeBytes: KIB, state: 'timeout', error: 'hangs start: no answer within 100 ms' });
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(closed.count).toBe(1);
  });
});

describe('runSweep in rounds of fresh peers (freshPeerRounds) from keptPeerBelowBytes up', () => {
  // No kept peers: every size is a large one. The slow transport's first round takes 20 ms a sample.
  const rounds: SamplingRule = { ...exactly(2), freshPeerRounds: 3, roundsBelowMs: 10 };
  const slow = (log: string[]): Transport => {
    const transport = loggedTransport(log, undefined, 's');
    return { ...transport, start: async (options) => {
      const peer = await transport.start(options);
      return { ...peer, exchange: async (job, payload) => {
        await new Promise((resolve) => setTimeout(resolve, 20));
        return peer.exchange(job, payload);
      } };
    } };
  };
  const point = (p: SweepPoint): unknown[] => [p.sizeBytes, p.state, 'samples' in p ? p.samples : null, 'peerMediansMs' in p ? p.peerMediansMs?.length : null];

  it('runs every transport once, then the fast ones again on a fresh peer each, in transport order; one point over all rounds', async () => {
    const log: string[] = [];
    const events: string[] = [];
    const results = await runSweep(
      [loggedTransport(log, undefined, 'a'), slow(log), loggedTransport(log, undefined, 'b')],
      { sizesBytes: [KIB], payload: 'bytes', sampling: rounds, timeoutMs: 1_000 },
      (event) => event.type !== 'exchange' && events.push(`${event.type} ${event.transport}`),
    );
    expect(results.map((r) => r.points.map(point))).toEqual([[[KIB, 'ok', 6, 3]], [[KIB, 'ok', 2, null]], [[KIB, 'ok', 6, 3]]]);
    const peer = (name: string): string[] => [`start ${name} max ${2 * KIB + 1024 * KIB}`, `exchange ${name} ${KIB} x3`, `close ${name}`];
    expect(runs(log)).toEqual([...peer('a1'), ...peer('s1'), ...peer('b1'), ...peer('a2'), ...peer('b2'), ...peer('a3'), ...peer('b3')]);
    expect(events).toEqual([
      'point-start a', 'point-start s', 'point-start b', 'point-start a', 'point-start b', 'point-start a', 'point-start b',
      'point-done a', 'point-done s', 'point-done b',
    ]);
  });

  it('an interrupt in a later round records the rounds done, marked as cut short', async () => {
    const log: string[] = [];
    const controller = new AbortController();
    // b's second peer never answers: the sweep is interrupted in b's round 2, after a's round 2.
    const hangs = (): boolean => log.some((line) => line.startsWith('start b2'));
    const results: Awaited<ReturnType<typeof runSweep>> = [];
    const sweeping = runSweep(
      [loggedTransport(log, undefined, 'a'), loggedTransport(log, undefined, 'b', hangs)],
      { sizesBytes: [KIB], payload: 'bytes', sampling: rounds, timeoutMs: 30_000, signal: controller.signal },
      () => {},
      results,
    );
    setTimeout(() => controller.abort(), 200);
    await expect(sweeping).rejects.toThrow('sweep interrupted');
    expect(results.map((r) => r.points.map((p) => [...point(p), 'roundsCut' in p ? p.roundsCut : null]))).toEqual([
      [[KIB, 'ok', 4, 2, true]],
      [[KIB, 'ok', 2, null, true]],
    ]);
    expect(log.filter((l) => l.startsWith('start')).length).toBe(log.filter((l) => l.startsWith('close')).length);
  });

  it('a round that fails is the point\'s failure: no more rounds, larger sizes skipped', async () => {
    const log: string[] = [];
    const [result] = await runSweep([loggedTransport(log, () => log.some((line) => line.startsWith('start f2')), 'f')], {
      sizesBytes: [KIB, 4 * KIB], payload: 'bytes', sampling: rounds, timeoutMs: 1_000,
    });
    expect(result!.points.map((p) => p.state)).toEqual(['error', 'skipped']);
    expect(result!.failurePoint).toEqual({ sizeBytes: KIB, state: 'error', error: `fails at ${KIB}` });
    expect(runs(log).slice(-3)).toEqual([`start f2 max ${2 * KIB + 1024 * KIB}`, `exchange f2 ${KIB}`, 'close f2']);
  });
});

/**
 * An in-process echo that logs every start, exchange and close by peer number (after `name`, where
 * given); `fail` may throw by size, `hang` never answer.
 */
function loggedTransport(log: string[], fail: (sizeBytes: number) => boolean = () => false, name = '', hang: (sizeBytes: number) => boolean = () => false): Transport {
  let started = 0;
  return {
    id: (name || 'logged') as TransportId,
    title: 'logged',
    talkIteration: null,
    async start(options) {
      const peer = `${name}${++started}`;
      log.push(`start ${peer} max ${options.maxMessageBytes}`);
      return {
        pid: process.pid,
        async exchange(job, payload) {
          const size = payload.kind === 'bytes' ? payload.bytes.length : -1;
          // The sweep's 'collect' (a GC in the peer before each sample from 1 MiB up) carries 1 byte.
          log.push(job.kind === 'collect' ? `collect ${peer} ${size}` : `exchange ${peer} ${size}`);
          if (fail(size)) throw new TransportError('error', `fails at ${size}`);
          if (hang(size)) await new Promise(() => {});
          return { reply: payload, bytesToPeer: 0, bytesFromPeer: 0, roundTripMs: 0 };
        },
        async close() {
          log.push(`close ${peer}`);
        },
      };
    },
  };
}

/** Collapses runs of the same line: ['a', 'a', 'b'] -> ['a x2', 'b']. */
function runs(lines: string[]): string[] {
  const out: { line: string; n: number }[] = [];
  for (const line of lines) {
    const last = out[out.length - 1];
    if (last?.line === line) last.n++;
    else out.push({ line, n: 1 });
  }
  return out.map(({ line, n }) => (n === 1 ? line : `${line} x${n}`));
}

describe('runSweep with a kept peer below keptPeerBelowBytes', () => {
  const kept: SamplingRule = {
    ...exactly(2),
    keptPeerBelowBytes: 64 * KIB, keptPeerWarmupCount: 4, keptPeerWarmupMaxMs: 60_000, peerCollectFromBytes: MIB,
  };

  it('takes each small size cold on a fresh peer, samples it on one kept peer, closes that before the large sizes', async () => {
    const log: string[] = [];
    const [result] = await runSweep([loggedTransport(log)], { sizesBytes: [KIB, 4 * KIB, MIB], payload: 'bytes', sampling: kept, timeoutMs: 1_000 });
    expect(result!.points.map((p) => [p.sizeBytes, p.state, 'samples' in p ? p.samples : null, 'warmupExchanges' in p ? p.warmupExchanges : null])).toEqual([
      [KIB, 'ok', 2, 5], // the cold exchange and the kept peer's 4 first warm-ups
      [4 * KIB, 'ok', 2, 1], // the kept peer is warm: only the cold exchange
      [MIB, 'ok', 2, 1],
    ]);
    // Peer 2 is the kept one, sized for the largest small size (2 x 4 KiB + 1 MiB of room).
    expect(runs(log)).toEqual([
      `start 1 max ${2 * KIB + MIB}`, `exchange 1 ${KIB}`, 'close 1',
      `start 2 max ${8 * KIB + MIB}`, `exchange 2 ${KIB} x6`,
      `start 3 max ${8 * KIB + MIB}`, `exchange 3 ${4 * KIB}`, 'close 3',
      `exchange 2 ${4 * KIB} x2`, 'close 2',
      // From 1 MiB up, the peer collects its garbage before each sample.
      `start 4 max ${2 * MIB + MIB}`, `exchange 4 ${MIB}`, 'collect 4 1', `exchange 4 ${MIB}`, 'collect 4 1', `exchange 4 ${MIB}`, 'close 4',
    ]);
  });

  it("closes the kept peer on the transport's first failure, and skips its larger sizes", async () => {
    const log: string[] = [];
    const [result] = await runSweep([loggedTransport(log, (size) => size === 4 * KIB && log.filter((l) => l === `exchange 2 ${4 * KIB}`).length > 0)], {
      sizesBytes: [KIB, 4 * KIB, 16 * KIB, MIB], payload: 'bytes', sampling: kept, timeoutMs: 1_000,
    });
    expect(result!.failurePoint).toEqual({ sizeBytes: 4 * KIB, state: 'error', error: `fails at ${4 * KIB}` });
    expect(result!.points.map((p) => p.state)).toEqual(['ok', 'error', 'skipped', 'skipped']);
    expect(runs(log).slice(-4)).toEqual([`exchange 3 ${4 * KIB}`, 'close 3', `exchange 2 ${4 * KIB}`, 'close 2']);
    expect(log.filter((l) => l.startsWith('start')).length).toBe(log.filter((l) => l.startsWith('close')).length);
  });

  it('closes the kept peer when interrupted', async () => {
    const closed = { count: 0 };
    const controller = new AbortController();
    const sweeping = runSweep([hangAbove(2 * KIB, closed)], {
      sizesBytes: [KIB, 4 * KIB], payload: 'bytes', sampling: kept, timeoutMs: 30_000, signal: controller.signal,
    });
    // 1 KiB: its fresh peer closed, the kept one started; 4 KiB hangs on its fresh peer.
    setTimeout(() => controller.abort(), 100);
    await expect(sweeping).rejects.toThrow('sweep interrupted');
    expect(closed.count).toBe(3); // 1 KiB's fresh peer, 4 KiB's fresh peer, the kept one
  });
});

describe('runSweep with turns (turnSliceMs) below keptPeerBelowBytes', () => {
  // A slice of 0 ms is one exchange per turn: the order is exact.
  const turns: SamplingRule = {
    ...exactly(2),
    keptPeerBelowBytes: 64 * KIB, keptPeerWarmupCount: 2, keptPeerWarmupMaxMs: 60_000, turnSliceMs: 0, peerCollectFromBytes: MIB,
  };
  const exchanges = (peer: string, sizeBytes: number, n: number): string[] => Array<string>(n).fill(`exchange ${peer} ${sizeBytes}`);

  it('takes every cold exchange first, then lets the transports of a small size exchange in turns; a large size one after another', async () => {
    const log: string[] = [];
    const events: string[] = [];
    const results = await runSweep(
      [loggedTransport(log, undefined, 'a'), loggedTransport(log, undefined, 'b')],
      { sizesBytes: [KIB, MIB], payload: 'bytes', sampling: turns, timeoutMs: 1_000 },
      (event) => event.type !== 'exchange' && events.push(`${event.type} ${event.transport} ${event.type === 'point-done' ? event.point.sizeBytes : event.sizeBytes}`),
    );
    expect(results.map((r) => r.points.map((p) => [p.sizeBytes, p.state, 'samples' in p ? p.samples : null]))).toEqual([
      [[KIB, 'ok', 2], [MIB, 'ok', 2]],
      [[KIB, 'ok', 2], [MIB, 'ok', 2]],
    ]);
    const keptMax = 2 * KIB + MIB;
    const freshMax = 2 * MIB + MIB;
    const large = (peer: string): string[] => [
      `start ${peer} max ${freshMax}`, `exchange ${peer} ${MIB}`, `collect ${peer} 1`, `exchange ${peer} ${MIB}`, `collect ${peer} 1`, `exchange ${peer} ${MIB}`, `close ${peer}`,
    ];
    expect(log).toEqual([
      // 1 KiB: each cold on its fresh peer, its kept peer readied; then 2 warm-ups and 2 samples each, in turns.
      `start a1 max ${keptMax}`, `exchange a1 ${KIB}`, 'close a1', `start a2 max ${keptMax}`,
      `start b1 max ${keptMax}`, `exchange b1 ${KIB}`, 'close b1', `start b2 max ${keptMax}`,
      ...Array.from({ length: 3 }, () => [`exchange a2 ${KIB}`, `exchange b2 ${KIB}`]).flat(),
      // a's point is done after its own last turn, and its kept peer closed, before b's last turn.
      `exchange a2 ${KIB}`, 'close a2', `exchange b2 ${KIB}`, 'close b2',
      // 1 MiB: each on its fresh peer in turn, the peer collecting before each sample.
      ...large('a3'), ...large('b3'),
    ]);
    expect(events).toEqual([
      `point-start a ${KIB}`, `point-start b ${KIB}`, `point-done a ${KIB}`, `point-done b ${KIB}`,
      `point-start a ${MIB}`, `point-done a ${MIB}`, `point-start b ${MIB}`, `point-done b ${MIB}`,
    ]);
  });

  it('ends a failing transport in its turn while the others go on, and closes the kept peers when interrupted', async () => {
    const log: string[] = [];
    const failing = loggedTransport(log, (size) => size === 4 * KIB && log.filter((l) => l === `exchange b2 ${4 * KIB}`).length === 2, 'b');
    const [a, b] = await runSweep([loggedTransport(log, undefined, 'a'), failing], {
      sizesBytes: [KIB, 4 * KIB, 16 * KIB], payload: 'bytes', sampling: turns, timeoutMs: 1_000,
    });
    expect(b!.failurePoint).toEqual({ sizeBytes: 4 * KIB, state: 'error', error: `fails at ${4 * KIB}` });
    expect(b!.points.map((p) => p.state)).toEqual(['ok', 'error', 'skipped']);
    expect(a!.points.map((p) => p.state)).toEqual(['ok', 'ok', 'ok']);
    // 4 KiB on the warm kept peers: a's 2 samples, b fails on its second turn, after a is done.
    expect(log.slice(log.indexOf('close b3'))).toEqual([
      'close b3', `exchange a2 ${4 * KIB}`, `exchange b2 ${4 * KIB}`, `exchange a2 ${4 * KIB}`, `exchange b2 ${4 * KIB}`, 'close b2',
      `start a4 max ${32 * KIB + MIB}`, `exchange a4 ${16 * KIB}`, 'close a4', ...exchanges('a2', 16 * KIB, 2), 'close a2',
    ]);

    // Interrupted in b's turn (it never answers): a's kept peer closed after its last size, b's on the interrupt.
    const interrupted: string[] = [];
    const controller = new AbortController();
    const hangs = (size: number): boolean => size === 4 * KIB && interrupted.filter((l) => l === `exchange b2 ${4 * KIB}`).length === 2;
    const sweeping = runSweep(
      [loggedTransport(interrupted, undefined, 'a'), loggedTransport(interrupted, undefined, 'b', hangs)],
      { sizesBytes: [KIB, 4 * KIB], payload: 'bytes', sampling: turns, timeoutMs: 30_000, signal: controller.signal },
    );
    setTimeout(() => controller.abort(), 100);
    await expect(sweeping).rejects.toThrow('sweep interrupted');
    expect(interrupted.slice(-4)).toEqual([`exchange a2 ${4 * KIB}`, 'close a2', `exchange b2 ${4 * KIB}`, 'close b2']);
    expect(interrupted.filter((l) => l.startsWith('start')).length).toBe(interrupted.filter((l) => l.startsWith('close')).length);
  });
});
