import { describe, expect, it } from 'vitest';
import { CLAIMS } from '../../src/report/claims.js';
import { clusterClaim, forkClaim } from '../../src/report/claims-scenario.js';
import { linuxLimitClaim, sendLimitClaim, slowdownClaim } from '../../src/report/claims-sweep.js';
import { chunkedClaim, nodeIpcClaim, zlibClaim } from '../../src/report/claims-transport.js';
import type { ErroredScenarioResult } from '../../src/results/schema.js';
import { classifyResponsiveness, combineChecks } from '../../src/report/verdict.js';
import { KiB, MiB, completedScenario, fixtureSweep, fixtureWarmSweep, scenarioWithSlowShare, scenariosOf, sweepWith, transport, RUN_B, fixture } from './builders.js';

const noScenarios = scenariosOf();

describe('process.send limit of about 8-20 KB', () => {
  it('holds when fork-json first fails at or below 32 KiB', () => {
    const sweep = sweepWith(transport('fork-json', [[8 * KiB, 5], [16 * KiB, 8], [32 * KiB, 'crashed'], [64 * KiB, 'skipped']]));
    expect(sendLimitClaim(sweep)).toEqual({
      verdict: 'holds',
      figures: ['fork-json: intact up to 16 KiB; first failure at 32 KiB (crashed)', 'fork-advanced: not in the sweep'],
    });
  });
  it('does not hold when fork-json delivers 1 MiB or more (fixture: 16 MiB)', () => {
    expect(sendLimitClaim(fixtureSweep()).verdict).toBe('does not hold');
    expect(sendLimitClaim(sweepWith(transport('fork-json', [[KiB, 1], [64 * KiB, 9]]))).verdict).toBe('does not hold');
  });
  it('is partly true when it fails between 32 KiB and 1 MiB', () => {
    expect(sendLimitClaim(sweepWith(transport('fork-json', [[64 * KiB, 9], [256 * KiB, 'error']]))).verdict).toBe('partly');
  });
  it('has no data without fork-json, without a sweep, or when nothing above 32 KiB was tried', () => {
    expect(sendLimitClaim(null).verdict).toBe('no data');
    expect(sendLimitClaim(sweepWith(transport('raw-socket', [[KiB, 4]]))).verdict).toBe('no data');
    expect(sendLimitClaim(sweepWith(transport('fork-json', [[KiB, 1], [16 * KiB, 3]]))).verdict).toBe('no data');
  });
});

describe('Linux 64 KB message size limit', () => {
  it('holds when the unframed receiver is intact to 64 KiB and breaks just above (fixture)', () => {
    expect(linuxLimitClaim(fixtureSweep())).toEqual({
      verdict: 'holds',
      figures: ['naive-socket (unframed receiver): intact up to 64 KiB; first failure at 256 KiB (corrupted: sha256 mismatch: received 4 messages for 1)'],
    });
  });
  it('does not hold when the unframed receiver carries 1 MiB intact, or passes 64 KiB with no failure', () => {
    expect(linuxLimitClaim(sweepWith(transport('naive-socket', [[MiB, 9], [4 * MiB, 'corrupted']]))).verdict).toBe('does not hold');
    expect(linuxLimitClaim(sweepWith(transport('naive-socket', [[256 * KiB, 9]]))).verdict).toBe('does not hold');
  });
  it('is partly true when it breaks below 64 KiB', () => {
    expect(linuxLimitClaim(sweepWith(transport('naive-socket', [[8 * KiB, 9], [32 * KiB, 'corrupted']]))).verdict).toBe('partly');
  });
  it('has no data without naive-socket', () => {
    expect(linuxLimitClaim(sweepWith()).verdict).toBe('no data');
  });
});

describe('child IPC 100-10,000x slower, growing with size', () => {
  it('holds at >= 100x with a ratio that grows with size', () => {
    const sweep = sweepWith(transport('fork-json', [[KiB, 1], [MiB, 2]]), transport('raw-socket', [[KiB, 20], [MiB, 400]]));
    expect(slowdownClaim(sweep)).toEqual({
      verdict: 'holds',
      figures: [
        'raw-socket MB/s ÷ fork-json MB/s (an older sweep: a few exchanges of a fresh peer, the cold first one included; no separate cold figure): 20.0x at 1 KiB, 200x at 1 MiB',
      ],
    });
  });
  it('is judged on warm figures, with the cold first-exchange ratio beside each (schema 3 fixture)', () => {
    expect(slowdownClaim(fixtureWarmSweep())).toEqual({
      verdict: 'partly', // 10.4x at most: between 10x and 100x
      figures: [
        'raw-socket MB/s ÷ fork-json MB/s, warm (median of the timed samples) / cold (first exchange of a fresh peer): ' +
          '1 KiB 1.43x / 1.32x, 64 KiB 3.77x / 1.56x, 1 MiB 10.4x / 4.39x',
      ],
    });
  });
  it('says where a cold figure was not recorded', () => {
    const sweep = fixtureWarmSweep();
    const point = sweep.transports[0]!.points[0]!;
    if (point.state === 'ok') delete point.firstRoundTripMs;
    expect(slowdownClaim(sweep).figures[0]).toContain('1 KiB 1.43x / not recorded, 64 KiB');
  });
  it('is partly true between 10x and 100x (fixture: up to 17.9x)', () => {
    expect(slowdownClaim(fixtureSweep()).verdict).toBe('partly');
  });
  it('is partly true at >= 100x that does not grow with size', () => {
    const sweep = sweepWith(transport('fork-json', [[KiB, 1], [MiB, 4]]), transport('raw-socket', [[KiB, 300], [MiB, 400]]));
    expect(slowdownClaim(sweep).verdict).toBe('partly');
  });
  it('does not hold below 10x everywhere', () => {
    const sweep = sweepWith(transport('fork-json', [[KiB, 3], [MiB, 300]]), transport('raw-socket', [[KiB, 4], [MiB, 800]]));
    expect(slowdownClaim(sweep).verdict).toBe('does not hold');
  });
  it('has no data without both transports or without a size both delivered', () => {
    expect(slowdownClaim(sweepWith(transport('raw-socket', [[KiB, 4]])))).toEqual({ verdict: 'no data', figures: ['fork-json: not in the sweep'] });
    const disjoint = sweepWith(transport('fork-json', [[KiB, 'crashed']]), transport('raw-socket', [[KiB, 4]]));
    expect(slowdownClaim(disjoint).verdict).toBe('no data');
  });
});

describe('cluster does not keep the GUI responsive', () => {
  it('holds when over 5% of light requests stall (fixture: 27.8% incl. timeouts)', () => {
    const data = { scenarios: scenariosOf(completedScenario('cluster', RUN_B), completedScenario('single-thread')), sweep: null };
    expect(clusterClaim(data)).toEqual({
      verdict: 'holds',
      figures: [
        'cluster: 27.8% of light requests slow (> 100 ms) or failed during imports (p99 3290 ms, max stall 3400 ms)',
        'single-thread: 58.0% of light requests slow (> 100 ms) or failed during imports (p99 3380 ms, max stall 3440 ms)',
      ],
    });
  });
  it('is partly true at 1-5% and does not hold at <= 1%', () => {
    expect(clusterClaim({ scenarios: scenariosOf(scenarioWithSlowShare('cluster', 0.03)), sweep: null }).verdict).toBe('partly');
    expect(clusterClaim({ scenarios: scenariosOf(scenarioWithSlowShare('cluster', 0.01)), sweep: null }).verdict).toBe('does not hold');
  });
  it('has no data when cluster is missing or errored', () => {
    expect(clusterClaim({ scenarios: noScenarios, sweep: null })).toEqual({ verdict: 'no data', figures: ['cluster: no result', 'single-thread: no result'] });
    const errored: ErroredScenarioResult = { ...completedScenario('cluster'), state: 'errored', error: 'worker died' };
    expect(clusterClaim({ scenarios: scenariosOf(errored), sweep: null }).figures[0]).toBe('cluster: errored (worker died)');
  });
});

describe('fork per job keeps the GUI responsive', () => {
  it('holds at <= 1% with imports that succeeded (fixture: 0.4%)', () => {
    expect(forkClaim({ scenarios: scenariosOf(completedScenario('fork-send')), sweep: null })).toEqual({
      verdict: 'holds',
      figures: ['fork-send: 0.4% of light requests slow (> 100 ms) or failed during imports (p99 4.90 ms, max stall 230 ms)', 'fork-send imports: 3 of 3 ok'],
    });
  });
  it('is only partly true when every import failed', () => {
    const result = completedScenario('fork-send');
    result.imports = result.imports.map((i) => ({ ...i, ok: false, error: 'channel closed' }));
    expect(forkClaim({ scenarios: scenariosOf(result), sweep: null }).verdict).toBe('partly');
  });
  it('does not hold above 5%, and has no data without the scenario', () => {
    expect(forkClaim({ scenarios: scenariosOf(scenarioWithSlowShare('fork-send', 0.2)), sweep: null }).verdict).toBe('does not hold');
    expect(forkClaim({ scenarios: noScenarios, sweep: null }).verdict).toBe('no data');
  });
});

describe('node-ipc works for the data set', () => {
  const big = transport('node-ipc', [[MiB, 12], [16 * MiB, 13]]);
  it('holds when the sweep carries >= 10 MB and every import succeeded', () => {
    const scenario = completedScenario('chunked', RUN_B);
    scenario.scenario = 'node-ipc';
    scenario.imports = scenario.imports.map((i) => ({ ...i, ok: true }));
    expect(nodeIpcClaim({ scenarios: scenariosOf(scenario), sweep: sweepWith(big) }).verdict).toBe('holds');
  });
  it('does not hold when the sweep fails below 10 MB and the scenario errored (fixture)', () => {
    const data = { scenarios: scenariosOf(fixture(RUN_B, 'node-ipc')), sweep: fixtureSweep() };
    expect(nodeIpcClaim(data)).toEqual({
      verdict: 'does not hold',
      figures: [
        'node-ipc: intact up to 1 MiB; first failure at 16 MiB (timeout: no reply within 30000 ms)',
        'node-ipc scenario: errored (node-ipc client did not connect within 10000 ms)',
        'node-ipc round trip at 1 MiB: 160 ms (median)',
      ],
    });
  });
  it('is partly true when sweep and scenario disagree, no data when neither ran', () => {
    const failing = completedScenario('chunked', RUN_B);
    failing.scenario = 'node-ipc';
    expect(nodeIpcClaim({ scenarios: scenariosOf(failing), sweep: sweepWith(big) }).verdict).toBe('partly');
    expect(nodeIpcClaim({ scenarios: noScenarios, sweep: null }).verdict).toBe('no data');
  });
});

describe('buffers + zlib make it fit', () => {
  it('holds when it carries the data set and compresses (fixture)', () => {
    const data = { scenarios: scenariosOf(completedScenario('buffer-zlib', RUN_B), completedScenario('chunked', RUN_B)), sweep: fixtureSweep() };
    expect(zlibClaim(data)).toEqual({
      verdict: 'holds',
      figures: [
        'buffer-zlib: intact up to 16 MiB; first failure at 64 MiB (out-of-memory: child killed: JavaScript heap out of memory (--max-old-space-size=512))',
        'buffer-zlib scenario: 3 of 3 imports ok',
        'bytes to the worker per import: 2.20 MiB with zlib vs 10 MiB without (chunked) = 22.0%',
        'round trip at 1 MiB: 63.2 ms with zlib vs 160 ms node-ipc',
      ],
    });
  });
  it('is partly true when it fits without sending fewer bytes', () => {
    const zlib = completedScenario('buffer-zlib', RUN_B);
    zlib.imports = zlib.imports.map((i) => ({ ...i, bytesToWorker: 20 * MiB }));
    const data = { scenarios: scenariosOf(zlib, completedScenario('chunked', RUN_B)), sweep: fixtureSweep() };
    expect(zlibClaim(data).verdict).toBe('partly');
  });
  it('does not hold when it fails below the data set size; no data without results', () => {
    const sweep = sweepWith(transport('buffer-zlib', [[MiB, 30], [4 * MiB, 'crashed']]));
    expect(zlibClaim({ scenarios: noScenarios, sweep }).verdict).toBe('does not hold');
    expect(zlibClaim({ scenarios: noScenarios, sweep: null }).verdict).toBe('no data');
  });
});

describe('a size-first chunked protocol works at any size', () => {
  const raw = transport('raw-socket', [[MiB, 800], [16 * MiB, 1100], [64 * MiB, 1200]]);
  it('holds with no failure up to >= 10 MB, or failing only where raw-socket failed too', () => {
    expect(chunkedClaim({ scenarios: noScenarios, sweep: sweepWith(transport('chunked', [[MiB, 500], [16 * MiB, 700]]), raw) }).verdict).toBe('holds');
    const rawFails = transport('raw-socket', [[MiB, 800], [16 * MiB, 'out-of-memory']]);
    const sweep = sweepWith(transport('chunked', [[MiB, 500], [16 * MiB, 'out-of-memory']]), rawFails);
    expect(chunkedClaim({ scenarios: noScenarios, sweep }).verdict).toBe('holds');
  });
  it('is partly true when a chunked import failed (fixture) or it fails above 10 MB where raw-socket did not', () => {
    const data = { scenarios: scenariosOf(completedScenario('chunked', RUN_B)), sweep: fixtureSweep() };
    expect(chunkedClaim(data)).toEqual({
      verdict: 'partly',
      figures: ['chunked: intact up to 64 MiB; no failure', 'raw-socket (reference): intact up to 64 MiB; no failure', 'chunked scenario: 2 of 3 imports ok'],
    });
    const sweep = sweepWith(transport('chunked', [[MiB, 500], [16 * MiB, 700], [64 * MiB, 'timeout']]), raw);
    expect(chunkedClaim({ scenarios: noScenarios, sweep }).verdict).toBe('partly');
  });
  it('does not hold when it breaks at <= 10 MB where raw-socket delivered; no data without it', () => {
    const sweep = sweepWith(transport('chunked', [[MiB, 'corrupted']]), raw);
    expect(chunkedClaim({ scenarios: noScenarios, sweep }).verdict).toBe('does not hold');
    expect(chunkedClaim({ scenarios: noScenarios, sweep: sweepWith(raw) }).verdict).toBe('no data');
  });
});

describe('shared rules', () => {
  it('classifies responsiveness at the 1% and 5% edges', () => {
    expect([0, 0.01, 0.0101, 0.05, 0.0501].map(classifyResponsiveness)).toEqual(['responsive', 'responsive', 'degraded', 'degraded', 'frozen']);
  });
  it('combines checks, ignoring unmeasured ones', () => {
    expect([combineChecks([]), combineChecks([null]), combineChecks([true, null]), combineChecks([false, null]), combineChecks([true, false])]).toEqual([
      'no data',
      'no data',
      'holds',
      'does not hold',
      'partly',
    ]);
  });
  it('has one claim per row of the talk\'s table, each with a rule', () => {
    expect(CLAIMS).toHaveLength(8);
    for (const claim of CLAIMS) expect(claim.rule.length).toBeGreaterThan(40);
  });
});
