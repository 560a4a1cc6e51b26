import { describe, expect, it } from 'vitest';
import { capacityCell, capacityMethod, capacitySummary } from '../../src/report/capacity.js';
import type { ScenarioResult } from '../../src/results/schema.js';
import { RUN_B, completedScenario, fixture, scenariosOf } from './builders.js';

// single-thread, cluster and fork-send measured capacity (schema 2); buffer-zlib is a schema 1
// result without it; node-ipc errored.
const mixed = scenariosOf(
  completedScenario('single-thread'),
  completedScenario('cluster', RUN_B),
  completedScenario('fork-send'),
  fixture<ScenarioResult>(RUN_B, 'node-ipc'),
  completedScenario('buffer-zlib', RUN_B),
);

describe('capacity in the report', () => {
  it('says in words how much of its idle capacity each design kept, the cluster row with its stuck connections', () => {
    expect(capacitySummary(mixed)).toBe(
      "- Capacity (autocannon's closed loop on 10 connections): during imports single-thread served 3.0% of its idle capacity; " +
        "cluster 61.0% (5 of the busy worker's 5 keep-alive connections stuck); fork-send 94.1%; buffer-zlib: not measured.",
    );
  });

  it('says "not measured" for results from before capacity, and nothing without completed results', () => {
    const old = completedScenario('chunked', RUN_B);
    expect(capacitySummary(scenariosOf(old))).toBe("- Capacity (autocannon's closed loop): during imports chunked: not measured.");
    expect(capacityCell(old)).toBe('not measured');
    expect(capacityCell(undefined)).toBe('not measured');
    expect(capacitySummary(scenariosOf(fixture<ScenarioResult>(RUN_B, 'node-ipc')))).toBeNull();
  });

  it("states the load generator's CPU share of the machine in the method", () => {
    // cluster idle: 2900 ms of CPU in 5000 ms on 2 cores = 29.0%, the most of any phase.
    expect(capacityMethod(mixed)).toBe(
      'Capacity: after the latency phases, autocannon (public API, closed loop: each connection sends its next light request as soon as ' +
        'the previous one is answered) runs once idle and once while imports run back to back; its latencies are closed-loop and not comparable ' +
        'with the open-loop figures above. The load generator runs on the same machine: it used up to 29.0% of its 2 cores (cluster), ' +
        'CPU the server could not use, so every capacity figure is a lower bound.',
    );
    expect(capacityMethod(scenariosOf(completedScenario('chunked', RUN_B)))).toMatch(/No result measured it\.$/);
  });
});
