import { describe, expect, it } from 'vitest';
import { runSweep } from '../../src/sweep/run.js';
import { transportIds, transports } from '../../src/transports/registry.js';
import type { Transport } from '../../src/transports/types.js';
import { isAlive } from './fakes.js';

const KIB = 1024;
// 64 KiB - 1 and 64 KiB + 1: either side of the talk's "message size limit on Linux is 64k"; then
// 1 MiB. Each point starts a fresh peer (a private redis-server for the queue) for its cold exchange,
// and below 1 MiB the samples run on one more peer per transport, kept across those sizes: each size
// costs a start per transport (64 KiB itself and small sizes are left to the round-trip tests).
const SIZES = [64 * KIB - 1, 64 * KIB + 1, 1024 * KIB];

describe('a real sweep of every transport up to 1 MiB', () => {
  it('is ok everywhere except naive-socket above 64 KiB, and leaves no peer behind', async () => {
    const pids: number[] = [];
    const starts: Record<string, number> = {};
    // Note every peer's pid (other people's tests may run peers now too: look only at ours).
    const watched = transportIds.map((id): Transport => {
      const transport = transports[id];
      return { ...transport, start: async (options) => {
        const peer = await transport.start(options);
        pids.push(peer.pid);
        starts[id] = (starts[id] ?? 0) + 1;
        return peer;
      } };
    });
    const results = await runSweep(
      watched,
      {
        sizesBytes: SIZES,
        payload: 'bytes',
        // A real point's shape, kept short: the cold exchange, warm-up to 2 exchanges on the sampled
        // peer, two samples. Below 1 MiB on each transport's kept peer (its cold exchange on a fresh one).
        sampling: {
          warmupMinCount: 2, warmupMinMs: 0, warmupMaxMs: 60_000, minSamples: 2, minTimeMs: 0, maxSamples: 2,
          keptPeerBelowBytes: 1024 * KIB, keptPeerWarmupCount: 0, keptPeerWarmupMaxMs: 0,
          // One exchange per turn: every transport's peer of a size is alive while the others exchange.
          turnSliceMs: 0,
          // Every transport's peer answers the sweep's 'collect' before each 1 MiB sample.
          peerCollectFromBytes: 1024 * KIB,
        },
        timeoutMs: 15_000,
      },
    );
    expect(results.map((r) => r.transport)).toEqual([...transportIds]);
    for (const result of results) {
      const states = result.points.map((p) => [p.sizeBytes, p.state]);
      if (result.transport === 'naive-socket') {
        // The talk's bug: one 'data' event taken as the whole message. Above 64 KiB (one read) it
        // always truncates; at 64 KiB and just below it usually works, but a busy machine can split
        // even those into two reads (65535 bytes was seen corrupted under load). Never a hang.
        const failedAt = result.failurePoint?.sizeBytes ?? Number.NaN;
        expect([64 * KIB - 1, 64 * KIB + 1]).toContain(failedAt);
        expect(['corrupted', 'error']).toContain(result.failurePoint?.state);
        expect(states).toEqual(SIZES.map((size) => [size, size < failedAt ? 'ok' : size === failedAt ? result.failurePoint?.state : 'skipped']));
      } else {
        expect({ transport: result.transport, states, failure: result.failurePoint }).toEqual({
          transport: result.transport,
          states: SIZES.map((size) => [size, 'ok']),
          failure: null,
        });
        for (const point of result.points) {
          if (point.state !== 'ok') throw new Error(`${result.transport} ${point.sizeBytes}: ${point.state}`);
          // On the kept peer the cold exchange is not part of the 2 warm-ups; on a fresh peer it is.
          const warmups = point.sizeBytes < 1024 * KIB ? 3 : 2;
          expect([point.samples, point.warmupExchanges], `${result.transport} ${point.sizeBytes}`).toEqual([2, warmups]);
          expect(point.firstRoundTripMs).toBeGreaterThan(0);
        }
        // A fresh peer per size for its cold exchange, and one kept for the two sizes below 1 MiB.
        expect(starts[result.transport], result.transport).toBe(SIZES.length + 1);
        // The largest on a fresh peer, 64 KiB + 1 on the kept one (its peak reset to this size's).
        for (const point of [result.points.at(-1)!, result.points[1]!]) {
          expect(point.mbPerS).toBeGreaterThan(0);
          expect(point.peakRssBytes!.sender).toBeGreaterThan(0);
          // worker-transfer's and worker-pool's receivers are threads of this process: no peak of their own.
          if (result.transport === 'worker-transfer' || result.transport === 'worker-pool') expect(point.peakRssBytes!.receiver).toBeNull();
          else expect(point.peakRssBytes!.receiver).toBeGreaterThan(0);
        }
      }
    }
    expect(pids.length).toBeGreaterThanOrEqual(transportIds.length * 2);
    expect(pids.filter((pid) => pid !== process.pid && isAlive(pid))).toEqual([]);
    // Every transport up to 1 MiB: about half a minute alone on 2 quiet cores, longer beside another file.
  }, 120_000);
});
