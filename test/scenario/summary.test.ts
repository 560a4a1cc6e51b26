import { describe, expect, it } from 'vitest';
import type { CompletedScenarioResult, Phase } from '../../src/results/schema.js';
import { busyWorkerStats } from '../../src/scenario/busy.js';
import { scenarioConclusions } from '../../src/scenario/conclusion.js';
import { renderScenarioSummary } from '../../src/scenario/summary.js';
import { RUN_B, completedScenario } from '../report/builders.js';

const phase = (over: Partial<Phase>): Phase => ({
  durationMs: 10_000,
  requests: 500,
  errors: 0,
  timeouts: 0,
  rps: 50,
  latencyMs: { p50: 1.5, p90: 2.5, p99: 4, p999: 9, max: 12, mean: 1.8 },
  maxStallMs: 60,
  slowShare: 0,
  requestsByPid: { '100': 250, '200': 250 },
  ...over,
});

const result: CompletedScenarioResult = {
  schemaVersion: 1,
  kind: 'scenario',
  scenario: 'cluster',
  runId: 'r1',
  startedAt: '2026-11-27T00:00:00.000Z',
  finishedAt: '2026-11-27T00:00:30.000Z',
  state: 'completed',
  env: { node: 'v20.20.2', v8: '11', os: 'Linux', cpuModel: 'cpu', cores: 2, memoryBytes: 1, gitCommit: null },
  config: {},
  phases: {
    baseline: phase({}),
    underLoad: phase({
      latencyMs: { p50: 3, p90: 900, p99: 3200, p999: 3400, max: 3450, mean: 400 },
      maxStallMs: 1800,
      slowShare: 0.4,
      requestsByPid: { '100': 300, '200': 200 },
      errors: 1,
    }),
  },
  imports: [{ startedAtMs: 1000, durationMs: 3600, bytesToWorker: 0, bytesFromWorker: 0, ok: true, workerPid: 200 }],
  eventLoop: { '100': { p50Ms: 10.1, p99Ms: 12, maxMs: 15 }, '200': { p50Ms: 10.2, p99Ms: 3600, maxMs: 3610 } },
  timeline: [],
  busyWorker: { requestsDuringImports: 180, servedByBusyProcess: 72, busyP50Ms: 1700, otherP50Ms: 1.6 },
  events: ['worker 300 died (SIGKILL); replaced by worker 400'],
};

describe('scenario summary', () => {
  it('states the conclusions computed from the numbers', () => {
    expect(scenarioConclusions(result)).toEqual([
      'During imports 40.0% of light requests took over 100 ms (baseline 0.0%); p99 went from 4.00 ms to 3200 ms.',
      'Longest stall: 1800 ms without a single light answer; the longest import took 3600 ms (50.0% of it): the server froze for most of an import.',
      'Light requests spread over 2 serving processes: pid 100 60.0%, pid 200 40.0%.',
      '72 of 180 light requests sent during imports (40.0%) landed on the process busy importing; their median latency was 1700 ms, against 1.60 ms on the free ones.',
      'Event: worker 300 died (SIGKILL); replaced by worker 400.',
    ]);
  });

  it('counts what the serving processes did with the imports: refused and cancelled too', () => {
    const counts = { limit: 2, admitted: 3, completed: 1, failed: 1, refused: 4, cancelled: 1, peakInFlight: 2 };
    const lines = scenarioConclusions({ ...result, events: [], admission: { '100': counts, '200': { ...counts, refused: 0, peakInFlight: 1 } } });
    expect(lines.at(-1)).toBe(
      'Over the run the server admitted 6 import(s): 2 completed, 2 failed, 2 cancelled (client gone); 4 refused with 503 ' +
        '(each of 2 serving processes takes at most 2 in flight; peak 2).',
    );
  });

  it('renders the tables', () => {
    expect(renderScenarioSummary(result, 'results/r1/cluster.json')).toBe(
      [
        '',
        'cluster (run r1)',
        '',
        'phase           requests  req/s      p50      p99      max  max stall  >100 ms  errors',
        '--------------  --------  -----  -------  -------  -------  ---------  -------  ------',
        'baseline             500   50.0  1.50 ms  4.00 ms  12.0 ms    60.0 ms     0.0%       0',
        'during imports       500   50.0  3.00 ms  3200 ms  3450 ms    1800 ms    40.0%       1',
        '',
        'import    start  duration  to worker  from worker  worker pid  result',
        '------  -------  --------  ---------  -----------  ----------  ------',
        '#1      1000 ms   3600 ms        0 B          0 B         200      ok',
        '',
        'serving pid  light requests  loop delay p50      p99      max',
        '-----------  --------------  --------------  -------  -------',
        '100                     300         10.1 ms  12.0 ms  15.0 ms',
        '200                     200         10.2 ms  3600 ms  3610 ms',
        '',
        ...scenarioConclusions(result).map((line) => `- ${line}`),
        '',
        'Result file: results/r1/cluster.json',
        '',
      ].join('\n'),
    );
  });

  it('adds the capacity phases: a table, what was kept, the stuck connections, the load generator', () => {
    const withCapacity: CompletedScenarioResult = { ...result, schemaVersion: 2, events: [], capacity: completedScenario('cluster', RUN_B).capacity! };
    const text = renderScenarioSummary(withCapacity, 'f.json');
    expect(text).toContain(
      [
        'capacity (closed loop, 10 conn.)  requests  req/s      p50      p99      max  errors  timeouts  non-2xx  load generator CPU',
        '--------------------------------  --------  -----  -------  -------  -------  ------  --------  -------  ------------------',
        'idle                                 21000   4200  2.00 ms  5.00 ms  12.0 ms       0         0        0             2900 ms',
        'during imports                       12800   2560  2.00 ms  7.00 ms  15.0 ms       0         0        0             2750 ms',
      ].join('\n'),
    );
    expect(scenarioConclusions(withCapacity).slice(-4)).toEqual([
      'Capacity (autocannon, closed loop on 10 connections): 4200 req/s idle, 2560 req/s while imports ran back to back: 61.0% of its idle capacity.',
      // The fixture's capacity imports: 3400 ms from 2 ms, and 3380 ms from 3403 ms, which ran on past the 5 s loop
      // (left out); its under-load import took 3600 ms.
      'Imports that finished within the closed loop: 1, a median of 3400 ms each; under light traffic one took 3600 ms.',
      "5 of the busy worker's 5 keep-alive connections (of 10) got no answer for the whole import: a connection stays with the worker that accepted it.",
      'The load generator (autocannon, on this machine) used up to 29.0% of its 2 cores in a capacity phase: it competes with the server for them.',
    ]);
  });

  it('says when no import finished inside the closed loop, and by how much the first ran past it', () => {
    const capacity = structuredClone(completedScenario('cluster', RUN_B).capacity!);
    capacity.duringImports.imports = [{ ...capacity.duringImports.imports[0]!, startedAtMs: 2, durationMs: 8800 }];
    const slow: CompletedScenarioResult = { ...result, schemaVersion: 2, events: [], capacity };
    expect(scenarioConclusions(slow)).toContain('No import finished within the 5000 ms closed loop (the first ended 3802 ms after it; under light traffic one took 3600 ms).');
  });

  it('says when capacity was skipped with --capacity 0, and nothing for results from before it', () => {
    expect(scenarioConclusions({ ...result, events: [], config: { capacityS: 0 } }).at(-1)).toBe('Capacity: not measured (--capacity 0).');
    expect(scenarioConclusions({ ...result, events: [] }).join('\n')).not.toContain('Capacity');
  });

  it('shows an errored run as such', () => {
    expect(
      renderScenarioSummary(
        { ...result, state: 'errored', error: 'interrupted by SIGINT', events: [] },
        'f.json',
      ),
    ).toBe('\ncluster (run r1)\nERRORED: interrupted by SIGINT\nResult file: f.json\n');
  });
});

describe('busy worker accounting', () => {
  it('counts the light requests served by the process running an import', () => {
    const imports = [
      { startedAtMs: 100, durationMs: 100, bytesToWorker: 0, bytesFromWorker: 0, ok: true, workerPid: 7 },
    ];
    const samples = [
      { sentAtMs: 50, latencyMs: 1, pid: 7 }, // before the import
      { sentAtMs: 100, latencyMs: 90, pid: 7 }, // busy
      { sentAtMs: 150, latencyMs: 40, pid: 7 }, // busy
      { sentAtMs: 160, latencyMs: 2, pid: 8 }, // free worker
      { sentAtMs: 200, latencyMs: 1, pid: 7 }, // import over
    ];
    expect(busyWorkerStats(samples, imports)).toEqual({
      requestsDuringImports: 3,
      servedByBusyProcess: 2,
      busyP50Ms: 65,
      otherP50Ms: 2,
    });
    expect(busyWorkerStats(samples, [])).toEqual({
      requestsDuringImports: 0,
      servedByBusyProcess: 0,
      busyP50Ms: null,
      otherP50Ms: null,
    });
  });
});
