import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readResult } from '../../src/results/store.js';
import { defaultRun, listRuns, loadRun } from '../../src/results/run-results.js';
import { scenarioCommand, sweepCommand } from '../../src/report/commands.js';
import { renderReport, sweepCpuSentence, sweepMemorySentence, sweepSamplingSentence } from '../../src/report/report.js';
import { SWEEP_MALLOC_TUNABLES } from '../../src/sweep/malloc.js';
import { failureTable, firstRoundTripTable, roundTripTable, scenarioTable, sweepTable } from '../../src/report/tables.js';
import type { ScenarioResult, SweepResult } from '../../src/results/schema.js';
import { FIXTURES_DIR, RUN_A, RUN_B, RUN_C, fixtureSweep, fixtureWarmSweep } from './builders.js';

async function fixtureScenarios(): Promise<Map<string, ScenarioResult>> {
  const input = await loadRun(FIXTURES_DIR, RUN_B);
  return new Map([...input.scenarios].map(([id, l]) => [id, l.result]));
}

describe('fixture results', () => {
  it('all pass validateResult', async () => {
    for (const run of [RUN_A, RUN_B, RUN_C]) {
      for (const name of await readdir(path.join(FIXTURES_DIR, run))) {
        // Schema 2 added capacity; schema 1 files (without it) still load.
        expect([1, 2]).toContain((await readResult(path.join(FIXTURES_DIR, run, name))).schemaVersion);
      }
    }
    await expect(readResult(path.join(FIXTURES_DIR, '..', 'sweep-schema-3.json'))).resolves.toHaveProperty('schemaVersion', 3);
  });

  it('the default run is the one holding the most expected results, not the newest ad-hoc run', async () => {
    const expected = ['single-thread', 'cluster', 'fork-send', 'node-ipc', 'buffer-zlib', 'chunked', 'sweep'];
    expect(await listRuns(FIXTURES_DIR)).toEqual([RUN_A, RUN_B, RUN_C]);
    expect(await defaultRun(FIXTURES_DIR, expected)).toBe(RUN_B);
    // Among runs holding as many, the newest: only single-thread expected, B and C hold it.
    expect(await defaultRun(FIXTURES_DIR, ['single-thread'])).toBe(RUN_C);
    expect(await defaultRun(path.join(FIXTURES_DIR, 'no-such-dir'), expected)).toBeNull();
  });

  it('loadRun reads one run directory and nothing else', async () => {
    const input = await loadRun(FIXTURES_DIR, RUN_B);
    expect(input.runId).toBe(RUN_B);
    expect(Object.fromEntries([...input.scenarios].map(([id, l]) => [id, l.file]))).toEqual({
      'single-thread': `${RUN_B}/single-thread.json`,
      'fork-send': `${RUN_B}/fork-send.json`,
      cluster: `${RUN_B}/cluster.json`,
      'node-ipc': `${RUN_B}/node-ipc.json`,
      'buffer-zlib': `${RUN_B}/buffer-zlib.json`,
      chunked: `${RUN_B}/chunked.json`,
    });
    expect(input.sweep?.file).toBe(`${RUN_B}/sweep.json`);
    expect(input.unreadable).toEqual([]);
    const older = await loadRun(FIXTURES_DIR, RUN_A);
    expect([...older.scenarios.keys()]).toEqual(['cluster']);
    expect(older.sweep?.file).toBe(`${RUN_A}/sweep.json`);
  });
});

describe('scenario table', () => {
  it('renders every scenario, the errored one with its error', async () => {
    expect(scenarioTable(await fixtureScenarios())).toBe(
      [
        '| scenario | result | baseline p50 / p99 ms | during imports p50 / p99 / max ms | capacity req/s idle / imports (kept) | slow or failed | max stall ms | imports ok | mean import s | max loop delay ms |',
        '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
        '| single-thread | completed | 0.90 / 2.80 | 1180 / 3380 / 3431 | 3000 / 90.0 (3.0%) | 58.0% | 3440 | 3 / 3 | 3.40 | 3430 |',
        '| cluster | completed | 0.90 / 2.80 | 1.20 / 3290 / 3400 | 4200 / 2560 (61.0%; 5 of the busy worker\'s 5 connections stuck) | 27.8% | 3400 | 3 / 3 | 3.40 | 3390 |',
        '| fork-send | completed | 0.90 / 2.80 | 1.00 / 4.90 / 213 | 2900 / 2730 (94.1%) | 0.4% | 230 | 3 / 3 | 4.09 | 212 |',
        '| node-ipc | **errored**: node-ipc client did not connect within 10000 ms | 0.90 / 2.80 | — | — | — | — | — | — | — |',
        '| buffer-zlib | completed | 0.90 / 2.80 | 1.10 / 118 / 171 | not measured | 1.2% | 180 | 3 / 3 | 5.19 | 171 |',
        '| chunked | completed | 0.90 / 2.80 | 1.00 / 3.90 / 48.8 | not measured | 0.0% | 62.0 | 2 / 3 | 4.29 | 48.0 |',
        '| worker-pool | **no result** | — | — | — | — | — | — | — | — |',
        '| queue | **no result** | — | — | — | — | — | — | — | — |',
      ].join('\n'),
    );
  });

  it('shows a missing scenario as such and keeps extra ones after the talk\'s', async () => {
    const scenarios = await fixtureScenarios();
    const extra = { ...scenarios.get('chunked')!, scenario: 'carrier-pigeon' };
    scenarios.delete('chunked');
    scenarios.set('carrier-pigeon', extra);
    const lines = scenarioTable(scenarios).split('\n');
    expect(lines[7]).toBe('| chunked | **no result** | — | — | — | — | — | — | — | — |');
    expect(lines[8]).toBe('| worker-pool | **no result** | — | — | — | — | — | — | — | — |');
    expect(lines[9]).toBe('| queue | **no result** | — | — | — | — | — | — | — | — |');
    expect(lines[10]?.startsWith('| carrier-pigeon | completed |')).toBe(true);
  });
});

describe('sweep tables', () => {
  it('rows transports, columns sizes, cells MB/s or the failure kind', () => {
    expect(sweepTable(fixtureSweep())).toBe(
      [
        '| transport | 1 KiB | 16 KiB | 64 KiB | 256 KiB | 1 MiB | 16 MiB | 64 MiB |',
        '| --- | --- | --- | --- | --- | --- | --- | --- |',
        '| fork-json | 1.90 | 18.1 | 41.0 | 62.3 | 70.1 | 64.2 | **timeout** |',
        '| fork-advanced | 2.10 | 21.5 | 55.2 | 98.7 | 131 | 148 | 151 |',
        '| node-ipc | 0.80 | 6.20 | 11.4 | 12.9 | 13.1 | **timeout** | skipped |',
        '| naive-socket | 3.80 | 47.9 | 150 | **corrupted** | skipped | skipped | skipped |',
        '| buffer-zlib | 0.90 | 9.80 | 24.6 | 31.0 | 33.2 | 30.8 | **out-of-memory** |',
        '| chunked | 3.10 | 40.2 | 128 | 302 | 560 | 702 | 712 |',
        '| worker-transfer | 2.50 | 35.7 | 141 | 420 | 890 | 1321 | 1350 |',
        '| raw-socket | 4.10 | 52.0 | 160 | 411 | 821 | 1150 | 1211 |',
        '| worker-pool (not in this sweep) | — | — | — | — | — | — | — |',
        '| queue (not in this sweep) | — | — | — | — | — | — | — |',
      ].join('\n'),
    );
  });

  it('lists failure points, and a transport missing from the sweep', () => {
    const sweep = fixtureSweep();
    sweep.transports = sweep.transports.filter((t) => t.transport !== 'worker-transfer');
    expect(failureTable(sweep)).toBe(
      [
        '| transport | first failure | kind | error | largest intact |',
        '| --- | --- | --- | --- | --- |',
        '| fork-json | 64 MiB | timeout | no reply within 30000 ms | 16 MiB |',
        '| fork-advanced | none | — | — | 64 MiB |',
        '| node-ipc | 16 MiB | timeout | no reply within 30000 ms | 1 MiB |',
        '| naive-socket | 256 KiB | corrupted | sha256 mismatch: received 4 messages for 1 | 64 KiB |',
        '| buffer-zlib | 64 MiB | out-of-memory | child killed: JavaScript heap out of memory (--max-old-space-size=512) | 16 MiB |',
        '| chunked | none | — | — | 64 MiB |',
        '| worker-transfer | not in this sweep | — | — | — |',
        '| raw-socket | none | — | — | 64 MiB |',
        '| worker-pool | not in this sweep | — | — | — |',
        '| queue | not in this sweep | — | — | — |',
      ].join('\n'),
    );
    expect(sweepTable(sweep).split('\n')[8]).toBe('| worker-transfer (not in this sweep) | — | — | — | — | — | — | — |');
  });
});

describe('warm-sampled sweep tables (schema 3)', () => {
  const HEADER = ['| transport | 1 KiB | 64 KiB | 1 MiB | 64 MiB |', '| --- | --- | --- | --- | --- |'];
  const ABSENT = ['fork-advanced', 'node-ipc', 'naive-socket', 'buffer-zlib'].map((id) => `| ${id} (not in this sweep) | — | — | — | — |`);

  it('MB/s with noisy figures marked', () => {
    expect(sweepTable(fixtureWarmSweep())).toBe(
      [...HEADER, '| fork-json | 6.83 | 40.5 | 49.0 | **timeout** |', ...ABSENT, '| chunked | 4.27 | 107 | 446 | 569† |',
        '| worker-transfer (not in this sweep) | — | — | — | — |', '| raw-socket | 9.75 | 152 | 512 | 726 |',
        '| worker-pool (not in this sweep) | — | — | — | — |', '| queue (not in this sweep) | — | — | — | — |'].join('\n'),
    );
  });

  it('warm round trips: median (p10–p90) and samples', () => {
    expect(roundTripTable(fixtureWarmSweep()).split('\n').filter((line) => !line.includes('not in this sweep'))).toEqual([
      ...HEADER,
      '| fork-json | 0.15 (0.13–0.21) n=1180 | 1.62 (1.48–1.95) n=112 | 21.4 (20.1–25.8) n=9 | **timeout** |',
      '| chunked | 0.24 (0.21–0.33) n=790 | 0.61 (0.55–0.80) n=300 | 2.35 (2.20–3.10) n=80 | 118 (109–161) n=5† |',
      '| raw-socket | 0.10 (0.09–0.14) n=1650 | 0.43 (0.39–0.55) n=420 | 2.05 (1.92–2.60) n=96 | 92.5 (88.1–97.0) n=5 |',
    ]);
  });

  it('says where an interrupted sweep cut a point\'s rounds short', () => {
    const sweep = structuredClone(fixtureWarmSweep());
    const raw = sweep.transports.find((t) => t.transport === 'raw-socket')!;
    const last = raw.points[raw.points.length - 1]!;
    Object.assign(last, { peerMediansMs: [90.1, 95.3], roundsCut: true });
    expect(roundTripTable(sweep)).toContain('| raw-socket | 0.10 (0.09–0.14) n=1650 | 0.43 (0.39–0.55) n=420 | 2.05 (1.92–2.60) n=96 | 92.5 (88.1–97.0) n=5, interrupted after 2 round(s) |');
    Object.assign(last, { peerMediansMs: undefined });
    expect(roundTripTable(sweep)).toContain('| 92.5 (88.1–97.0) n=5, interrupted after 1 round(s) |');
  });

  it('the cold first round trip of each fresh peer', () => {
    expect(firstRoundTripTable(fixtureWarmSweep()).split('\n').filter((line) => !line.includes('not in this sweep'))).toEqual([
      ...HEADER,
      '| fork-json | 3.10 | 6.40 | 38.2 | **timeout** |',
      '| chunked | 4.60 | 5.20 | 9.80 | 240 |',
      '| raw-socket | 2.35 | 4.10 | 8.70 | 205 |',
    ]);
  });

  it('an older sweep (schema 1) still renders, its missing fields shown as such', () => {
    const lines = (table: string): string[] => table.split('\n').filter((line) => /^\| (fork-json|naive-socket) /.test(line));
    expect(lines(roundTripTable(fixtureSweep()))).toEqual([
      '| fork-json | 1.08 (spread not recorded) | 1.81 (spread not recorded) | 3.20 (spread not recorded) | 8.42 (spread not recorded) | 29.9 (spread not recorded) | 523 (spread not recorded) | **timeout** |',
      '| naive-socket | 0.54 (spread not recorded) | 0.68 (spread not recorded) | 0.87 (spread not recorded) | **corrupted** | skipped | skipped | skipped |',
    ]);
    expect(lines(firstRoundTripTable(fixtureSweep()))).toEqual([
      '| fork-json | not recorded | not recorded | not recorded | not recorded | not recorded | not recorded | not recorded |',
      '| naive-socket | not recorded | not recorded | not recorded | not recorded | skipped | skipped | skipped |',
    ]);
  });
});

describe('reproduction commands', () => {
  it('are rebuilt from the resolved config in CLI units', async () => {
    const scenarios = await fixtureScenarios();
    expect(scenarioCommand(scenarios.get('cluster')!)).toBe(
      'npm run scenario cluster -- --duration 20 --warmup 2 --rate 50 --connections 50 --records 100000 --imports 3 --changes 0.1 --work 200 --workers 2 --reconnect --import-timeout 120 --capacity 5 --capacity-connections 10',
    );
    const pool = { ...scenarios.get('fork-send')!, scenario: 'worker-pool' };
    pool.config = { ...pool.config, workers: 3, workerPool: { handoff: 'bytes', maxQueue: 6 } };
    expect(scenarioCommand(pool)).toMatch(/^npm run scenario worker-pool -- .* --workers 3 .* --handoff bytes --max-queue 6$/);
    expect(sweepCommand(fixtureSweep())).toBe(
      'npm run sweep -- --transports fork-json,fork-advanced,node-ipc,naive-socket,buffer-zlib,chunked,worker-transfer,raw-socket --sizes 1024,16384,65536,262144,1048576,16777216,67108864 --max-size 67108864 --payload bytes --repeat 3 --timeout 30 --child-heap-mb 512',
    );
  });
});

describe('the report\'s sweep section', () => {
  const render = (sweep: SweepResult): string =>
    renderReport(
      { runId: 'run-x', scenarios: new Map(), sweep: { result: sweep, file: 'run-x/sweep.json' }, unreadable: [], byNode: [] },
      { resultsDirLabel: 'results', generatedAt: new Date('2026-04-10T09:00:00Z'), charts: [] },
    );

  it('shows warm round trips with their spread and the cold first round trips (schema 3)', () => {
    const text = render(fixtureWarmSweep());
    expect(text).toContain('### Round trip, warm');
    expect(text).toContain('| raw-socket | 0.10 (0.09–0.14) n=1650 |');
    expect(text).toContain('### First round trip of a fresh peer (cold)');
    expect(text).toContain('† = noisy: the margin of error of the samples\' mean is above ±10 %.');
    expect(text).toContain('1 KiB 1.43x / 1.32x'); // claim 3, warm / cold
    expect(text).not.toContain('predates warm sampling');
  });

  it('says under which allocator setting the figures were made: the sweep\'s own, glibc\'s defaults, or not recorded', () => {
    const sweep = fixtureWarmSweep();
    const withConfig = (mallocTunables: unknown): SweepResult => ({ ...sweep, config: { ...sweep.config, mallocTunables } });
    expect(sweepMemorySentence(withConfig(SWEEP_MALLOC_TUNABLES))).toBe(
      "Memory: the sweep's processes ran with `GLIBC_TUNABLES=glibc.malloc.mmap_max=0:glibc.malloc.trim_threshold=4294967296` (glibc's malloc keeps what it frees: no chunk of its own mmap'd, the heap never trimmed), so a timed sample reuses memory its process already has and measures the transport; what fresh memory costs shows in the cold first round trip.",
    );
    expect(sweepMemorySentence(withConfig('glibc.malloc.arena_max=1'))).toBe(
      "Memory: the sweep's processes ran with `GLIBC_TUNABLES=glibc.malloc.arena_max=1`, so a timed sample reuses memory its process already has and measures the transport; what fresh memory costs shows in the cold first round trip.",
    );
    expect(sweepMemorySentence({ ...sweep, config: { ...sweep.config, mallocTunables: SWEEP_MALLOC_TUNABLES, quick: true } })).toMatch(
      / measures the transport; what fresh memory costs shows in the cold first round trip\. With --quick, the warm-up ends before a peer's V8 has collected its first large messages: from 1 MiB up its peers still took some fresh pages\.$/,
    );
    const collected = { ...sweep, config: { ...sweep.config, mallocTunables: SWEEP_MALLOC_TUNABLES, quick: true, sampling: { peerCollectFromBytes: 1024 * 1024 } } };
    expect(sweepMemorySentence(collected)).toMatch(
      / shows in the cold first round trip\. From 1 MiB up both processes collected their garbage before each sample, the peer by a 'collect' exchange outside the timed part\.$/,
    );
    expect(sweepMemorySentence(withConfig(null))).toContain("Memory: glibc's default allocator settings");
    const { mallocTunables: _, ...older } = sweep.config;
    expect(sweepMemorySentence({ ...sweep, config: older })).toBe('Memory: allocator settings not recorded (a sweep from before they were).');
    expect(render(withConfig(null))).toContain("Memory: glibc's default allocator settings (the sweep was not started by `npm run sweep`");
  });

  it('says where the sweep\'s processes ran: pinned to two CPUs, left to the scheduler, or not recorded', () => {
    const sweep = fixtureWarmSweep();
    const withPlan = (cpuPlacement: unknown): SweepResult => ({ ...sweep, config: { ...sweep.config, cpuPlacement } });
    expect(sweepCpuSentence(withPlan({ sweeperCpu: 0, peerCpu: 1 }))).toBe(
      "CPUs: the sweeping process ran on CPU 0 and every peer on CPU 1 (pinned with taskset; of a worker-thread peer its own thread, the process's shared V8 helpers staying with the sweep; the queue's Redis on the sweep's CPU), so both ends of an exchange ran side by side on CPUs of their own, the same two for every transport: left to the scheduler, a fresh process drew a speed it kept, and two transports' peers at one size could differ by that draw.",
    );
    expect(sweepCpuSentence(withPlan(null))).toBe(
      "CPUs: wherever the scheduler put the processes (`--no-pin-cpus`, one CPU, or no taskset): two transports' peers at one size may differ by where each happened to run.",
    );
    const { cpuPlacement: _, ...older } = { ...sweep.config, cpuPlacement: null };
    expect(sweepCpuSentence({ ...sweep, config: older })).toBe('CPUs: placement not recorded (a sweep from before it was): the processes ran wherever the scheduler put them.');
    expect(render(withPlan({ sweeperCpu: 2, peerCpu: 5 }))).toContain('the sweeping process ran on CPU 2 and every peer on CPU 5');
  });

  it('says which peer the samples came from: a kept one below its size, by the recorded rule, or a fresh one', () => {
    const sweep = fixtureWarmSweep();
    const sampling = { warmupMinCount: 1000, keptPeerBelowBytes: 1024 * 1024, keptPeerWarmupCount: 3000, keptPeerWarmupMaxMs: 1500 };
    const kept: SweepResult = { ...sweep, config: { ...sweep.config, sampling } };
    expect(sweepSamplingSentence(kept)).toBe(
      "Below 1 MiB each transport's samples come from one peer kept across those sizes, warmed once for up to 3,000 exchanges (at most 1,500 ms): " +
        "a fresh peer's JIT takes thousands of exchanges to settle; from 1 MiB up each size runs on a fresh peer. Either way the sampled peer " +
        "warms up unrecorded, then samples until a minimum count and a minimum time; each size's cold figure is the first exchange of a peer started for it.",
    );
    expect(render(kept)).toContain('n = the timed samples behind it. Below 1 MiB each transport');
    const fresh = 'Each size runs on a fresh peer, warms up unrecorded, then samples until a minimum count and a minimum time.';
    expect(sweepSamplingSentence({ ...sweep, config: { ...sweep.config, sampling: { warmupMinCount: 3 } } })).toBe(fresh);
    const { sampling: _, ...noRule } = sweep.config;
    expect(sweepSamplingSentence({ ...sweep, config: noRule })).toBe(fresh);
    const turns = { ...sweep, config: { ...sweep.config, sampling: { ...sampling, turnSliceMs: 50 } } };
    expect(sweepSamplingSentence(turns)).toMatch(
      /a peer started for it\. Below 1 MiB the transports of one size took turns, 50 ms of exchanges each at a time, so a slow spell of the machine fell on all of them\.$/,
    );
    const rounds = { ...sweep, config: { ...sweep.config, sampling: { ...sampling, freshPeerRounds: 3, roundsBelowMs: 300 } } };
    expect(sweepSamplingSentence(rounds)).toMatch(
      / for it\. From 1 MiB up a size ran in 3 rounds: every transport on a fresh peer, then again on a new fresh peer each, those whose first round took under 300 ms an exchange; their figures are over every round's samples pooled \(the time minima shared among the rounds, so a faster round adds more samples\) and none of them rests on one process's draw; the slower points rest on one peer\.$/,
    );
  });

  it('says what an older sweep (schema 1) did not record, and still shows its figures', () => {
    const text = render(fixtureSweep());
    expect(text).toContain('_This sweep predates warm sampling (schemaVersion 1)');
    expect(text).toContain('| raw-socket | 4.10 | 52.0 |');
    expect(text).toContain('(spread not recorded)');
    expect(text).toContain('| fork-json | not recorded |');
  });
});
