import { describe, expect, it } from 'vitest';
import { beyondSection, beyondTable, beyondVerdict, designFigures, type DesignFigures } from '../../src/report/beyond.js';
import type { CompletedScenarioResult, ImportRecord } from '../../src/results/schema.js';
import { completedScenario, MiB, scenariosOf } from './builders.js';

interface Shape {
  p99Ms: number;
  slowShare?: number;
  imports: Partial<ImportRecord>[];
  serverPeakBytes?: number;
  handoff?: string;
}

/** The fork-send fixture, renamed, with the figures the section reads set to known values. */
function design(id: string, shape: Shape): CompletedScenarioResult {
  const result = completedScenario('fork-send');
  result.scenario = id;
  result.phases.underLoad.latencyMs.p99 = shape.p99Ms;
  result.phases.underLoad.slowShare = shape.slowShare ?? 0;
  result.phases.underLoad.errors = 0;
  result.phases.underLoad.timeouts = 0;
  result.imports = shape.imports.map((imp) => ({ startedAtMs: 0, durationMs: 1000, bytesToWorker: 1, bytesFromWorker: 1, ok: true, ...imp }));
  if (shape.serverPeakBytes !== undefined) result.peakRssBytes = { '100': shape.serverPeakBytes };
  if (shape.handoff !== undefined) result.config = { ...result.config, workers: 1, workerPool: { handoff: shape.handoff, maxQueue: 4 } };
  return result;
}

const pool = design('worker-pool', {
  p99Ms: 12,
  imports: [
    { durationMs: 3000, transferBlockMs: 40, queuedMs: 90 },
    { durationMs: 3400, transferBlockMs: 60, queuedMs: 110 },
  ],
  serverPeakBytes: 300 * MiB,
  handoff: 'clone',
});
const forkSend = design('fork-send', {
  p99Ms: 30,
  imports: [
    { durationMs: 5000, transferBlockMs: 150, peerPeakRssBytes: 200 * MiB },
    { durationMs: 5200, transferBlockMs: 170, peerPeakRssBytes: 220 * MiB },
  ],
  serverPeakBytes: 150 * MiB,
});
const chunked = design('chunked', {
  p99Ms: 25,
  imports: [{ durationMs: 4000, transferBlockMs: 90, peerPeakRssBytes: 180 * MiB }, { ok: false, error: 'HTTP 502: boom' }],
  serverPeakBytes: 140 * MiB,
});

describe('beyond the talk: figures', () => {
  it('reads the medians, the longest block, the queue time and the HTTP process plus its largest child', () => {
    expect(designFigures('worker-pool', pool)).toEqual({
      id: 'worker-pool',
      p99Ms: 12,
      slowShare: 0,
      blockMedianMs: 50,
      blockMaxMs: 60,
      importMedianMs: 3200,
      queuedMedianMs: 100,
      memoryBytes: 300 * MiB,
      importsOk: 2,
      importsTotal: 2,
    } satisfies DesignFigures);
    expect(designFigures('chunked', chunked)).toMatchObject({ blockMedianMs: 90, importMedianMs: 4000, queuedMedianMs: null, memoryBytes: 320 * MiB, importsOk: 1, importsTotal: 2 });
  });

  it('tables the three designs, with a row saying so where a result is missing', () => {
    expect(beyondTable(['worker-pool', 'fork-send', 'chunked'], scenariosOf(pool, forkSend))).toBe(
      [
        '| design | light p99 during imports ms | slow or failed | HTTP-thread block per import ms (median / max) | import s (median) | queued ms (median) | peak RSS (HTTP process + child) | imports ok |',
        '| --- | --- | --- | --- | --- | --- | --- | --- |',
        '| worker-pool (1 worker(s), clone) | 12.0 | 0.0% | 50.0 / 60.0 | 3.20 | 100 | 300 MiB | 2 / 2 |',
        '| fork-send | 30.0 | 0.0% | 160 / 170 | 5.10 | — | 370 MiB | 2 / 2 |',
        '| chunked | **no result** | — | — | — | — | — | — |',
      ].join('\n'),
    );
  });
});

describe('beyond the talk: verdict', () => {
  const figures = (r: CompletedScenarioResult): DesignFigures => designFigures(r.scenario, r);

  it('recommends the pool when it is responsive and as good on p99 and blocking, and says when a process is still better', () => {
    expect(beyondVerdict(figures(pool), [figures(forkSend), figures(chunked)])).toEqual([
      '**Use a worker pool today** for CPU work a server must do itself: light requests during imports had a p99 of 12.0 ms ' +
        '(fork-send 30.0 ms, chunked 25.0 ms), a hand-off blocked the HTTP thread for at most 60.0 ms (fork-send 170 ms, chunked 90.0 ms), ' +
        'an import took 3.20 s at the median (fork-send 5.10 s, chunked 4.00 s), with no process to start or protocol to maintain.',
      "**A separate process is still the better choice** when the work must not share the server's fate: the pool's workers live in " +
        'the HTTP process (300 MiB at peak, against fork-send 370 MiB, chunked 320 MiB for the HTTP process and its child together), ' +
        "a worker's heap limit (`--child-heap-mb`, piscina's resourceLimits) bounds only its JavaScript heap, and a native crash or the " +
        'process running out of memory takes the server down with it; a child process can be given its own memory limit, killed, or moved to another machine.',
    ]);
  });

  it('says the pool did not beat a process when its hand-off blocks longer, naming the figures', () => {
    const slowHandoff = design('worker-pool', { p99Ms: 14, imports: [{ durationMs: 3000, transferBlockMs: 400 }], serverPeakBytes: 400 * MiB, handoff: 'clone' });
    const [first, second] = beyondVerdict(figures(slowHandoff), [figures(forkSend), figures(chunked)]);
    expect(first).toMatch(/^\*\*On these numbers the worker pool did not beat a separate process\*\*: its hand-off blocked the HTTP thread for 400 ms against 90\.0 ms \(/);
    expect(first).toMatch(/`--handoff bytes` moves them as one buffer instead\.$/);
    expect(second).toContain('(400 MiB at peak, more than fork-send 370 MiB, chunked 320 MiB');
  });

  it('calls a pool that let light requests slow down not responsive, whatever the others did', () => {
    const frozen = design('worker-pool', { p99Ms: 900, slowShare: 0.2, imports: [{ durationMs: 3000, transferBlockMs: 20 }], handoff: 'bytes' });
    expect(beyondVerdict(figures(frozen), [figures(forkSend)])[0]).toMatch(/did not beat a separate process\*\*: 20\.0% of light requests were slow or failed during its imports/);
  });

  it('says when the pool did best but no design kept the server responsive, rather than that it lost', () => {
    const degraded = design('worker-pool', { p99Ms: 20, slowShare: 0.017, imports: [{ durationMs: 3000, transferBlockMs: 60 }], handoff: 'clone' });
    const slowerProcess = design('fork-send', { p99Ms: 30, slowShare: 0.027, imports: [{ durationMs: 5000, transferBlockMs: 150 }] });
    expect(beyondVerdict(figures(degraded), [figures(slowerProcess)])[0]).toBe(
      '**The worker pool did best, but no design kept the server responsive** (at most 1.0% of light requests slow or failed): ' +
        '1.7% of light requests were slow or failed during its imports (fork-send 2.7%); light requests during imports had a p99 of 20.0 ms ' +
        '(fork-send 30.0 ms), a hand-off blocked the HTTP thread for at most 60.0 ms (fork-send 150 ms), an import took 3.00 s at the median (fork-send 5.00 s).',
    );
    // A process that kept more light requests fast: the pool did not beat it.
    const fasterProcess = design('fork-send', { p99Ms: 30, slowShare: 0.012, imports: [{ durationMs: 5000, transferBlockMs: 150 }] });
    expect(beyondVerdict(figures(degraded), [figures(fasterProcess)])[0]).toMatch(/^\*\*On these numbers the worker pool did not beat a separate process\*\*: 1\.7% of light/);
  });

  it('gives no verdict without a pool result, or without a process design to compare with', () => {
    expect(beyondVerdict(null, [figures(forkSend)])).toEqual(['No completed worker-pool result in this run, so no verdict: run `npm run scenario worker-pool`.']);
    expect(beyondVerdict(figures(pool), [])).toEqual(['No completed fork-send or chunked result in this run to compare the worker pool with.']);
    expect(beyondSection(scenariosOf(forkSend, chunked))).toContain('| worker-pool | **no result** |');
  });
});
