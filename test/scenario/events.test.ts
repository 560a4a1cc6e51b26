// The runner's events are what a live view draws: they must say exactly what the results file says.
import { describe, expect, it } from 'vitest';
import { findScenario } from '../../scenarios/index.js';
import type { CompletedScenarioResult } from '../../src/results/schema.js';
import type { ScenarioEvent } from '../../src/scenario/events.js';
import { runScenario, type ScenarioRunConfig } from '../../src/scenario/run.js';

const config: ScenarioRunConfig = {
  durationS: 1,
  warmupS: 0.5,
  rate: 20,
  connections: 100,
  // An import long enough (several hundred ms) that the blocked loop shows in the live samples.
  records: 4000,
  imports: 1,
  concurrency: 1,
  changes: 0.1,
  workPerRecord: 5000,
  workers: 2,
  reconnect: false,
  pool: false,
  host: '127.0.0.1',
  port: 0,
  importTimeoutS: 60,
  childHeapMb: null,
  importPriority: 'normal',
  capacityS: 1,
  capacityConnections: 10,
  maxImports: 2,
};

describe('scenario run events', () => {
  it('single-thread: phases in order, one event per recorded answer, the import and the blocked loop', async () => {
    const events: ScenarioEvent[] = [];
    const result = (await runScenario(findScenario('single-thread')!, config, 'events-test', {
      progress: false,
      log: () => {},
      signal: new AbortController().signal,
      onEvent: (event) => events.push(event),
      loopDelayPollMs: 100,
    })) as CompletedScenarioResult;
    expect(result.state).toBe('completed');

    const phases = events.filter((e) => e.type === 'phase');
    expect(phases.map((e) => e.phase)).toEqual(['starting', 'warmup', 'baseline', 'underLoad', 'capacityIdle', 'capacityImports', 'stopping']);
    expect(phases.map((e) => e.tMs)).toEqual([...phases.map((e) => e.tMs)].sort((a, b) => a - b));
    expect(phases.find((e) => e.phase === 'warmup')).toMatchObject({ durationMs: 500, pids: [expect.any(Number)] });
    const [pid] = phases.find((e) => e.phase === 'warmup')?.pids ?? [];

    const requests = events.filter((e) => e.type === 'request');
    expect(requests.filter((e) => e.phase === 'baseline')).toHaveLength(result.phases.baseline.requests);
    expect(requests.filter((e) => e.phase === 'underLoad')).toHaveLength(result.phases.underLoad.requests);
    expect(requests.every((e) => e.pid === pid && e.status === 200 && e.tMs >= 0)).toBe(true);
    const underLoadStart = phases.find((e) => e.phase === 'underLoad')!.tMs;
    // Drawn at its send time: every under-load request was sent after that phase began.
    expect(Math.min(...requests.filter((e) => e.phase === 'underLoad').map((e) => e.tMs))).toBeGreaterThanOrEqual(underLoadStart - 1);
    const measured = requests.filter((e) => e.phase !== 'warmup');
    expect(Math.max(...measured.map((e) => e.latencyMs))).toBe(Math.max(result.phases.baseline.latencyMs.max, result.phases.underLoad.latencyMs.max));

    // The capacity phases' imports (back to back) come after, as windows of their own.
    const capacityStart = phases.find((e) => e.phase === 'capacityImports')!.tMs;
    const ofType = <T extends ScenarioEvent['type']>(type: T) => events.filter((e): e is Extract<ScenarioEvent, { type: T }> => e.type === type);
    const starts = ofType('import-start').filter((e) => e.tMs < capacityStart);
    const ends = ofType('import-end').filter((e) => e.tMs < capacityStart);
    const capacityEnds = ofType('import-end').filter((e) => e.tMs >= capacityStart);
    expect(capacityEnds.map((e) => e.index)).toEqual(result.capacity!.duringImports.imports.map((_imp, i) => i));
    expect(result.capacity!.duringImports.imports.length).toBeGreaterThan(0);
    expect(starts.map((e) => e.index)).toEqual([0]);
    expect(ends).toEqual([expect.objectContaining({ index: 0, ok: true, durationMs: result.imports[0]!.durationMs })]);
    // The window the page shades is the import's own: its length on the run clock matches the record.
    expect(Math.abs(ends[0]!.tMs - starts[0]!.tMs - result.imports[0]!.durationMs)).toBeLessThan(50);

    const loop = events.filter((e) => e.type === 'loop-delay');
    expect(loop.length).toBeGreaterThan(0);
    expect(new Set(loop.map((e) => e.pid))).toEqual(new Set([pid]));
    // The import ran on the serving thread: some sample saw the loop blocked for most of it.
    expect(Math.max(...loop.map((e) => e.delayMs))).toBeGreaterThan(result.imports[0]!.durationMs * 0.5);
  });
});
