import { describe, expect, it } from 'vitest';
import { capacityCell, capacityCpu, capacityMethod, capacitySummary, importPriority } from '../../src/report/capacity.js';
import { capacityFacts, httpThreadFacts } from '../../src/results/facts.js';
import { capacityConclusions, httpThreadSentence } from '../../src/scenario/capacity-summary.js';
import type { CompletedScenarioResult, ScenarioResult } from '../../src/results/schema.js';
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
        "CPU the server could not use, so every capacity figure is a lower bound. Imports that leave the HTTP process ran fork-send at the server's own " +
        'priority (as in the talk). single-thread and cluster import in an HTTP process, at its priority.',
    );
    expect(capacityMethod(scenariosOf(completedScenario('chunked', RUN_B)))).toMatch(/No result measured it\.$/);
  });

  it('says at what priority the imports that leave the HTTP process ran (results from before --import-priority: normal)', () => {
    const at = (result: CompletedScenarioResult, importPriority: string): CompletedScenarioResult => ({ ...result, config: { ...result.config, importPriority } });
    const forkSend = at(completedScenario('fork-send'), 'idle');
    expect(importPriority(scenariosOf(at(completedScenario('single-thread'), 'normal'), forkSend))).toBe(
      'Imports that leave the HTTP process ran fork-send at idle priority (SCHED_IDLE, only when no other thread wants the CPU), set with `--import-priority`: ' +
        'when the cores run short the OS serves the HTTP thread first, and the import gets what is left. single-thread imports in an HTTP process, at its priority.',
    );
    const chunkedBefore = { ...completedScenario('fork-send'), scenario: 'chunked' }; // measured capacity, no importPriority recorded
    expect(importPriority(scenariosOf(at(forkSend, 'low'), chunkedBefore))).toBe(
      "Imports that leave the HTTP process ran fork-send at nice 19; chunked at the server's own priority (as in the talk), set with `--import-priority`: " +
        'when the cores run short the OS serves the HTTP thread first, and the import gets what is left.',
    );
    expect(importPriority(scenariosOf(completedScenario('single-thread')))).toBeNull();
    expect(capacityConclusions(forkSend)[0]).toBe(
      'Capacity (autocannon, closed loop on 10 connections): 2900 req/s idle, 2730 req/s while imports ran back to back (at idle priority): 94.1% of its idle capacity.',
    );
    expect(capacityConclusions(at(completedScenario('fork-send'), 'normal'))[0]).not.toContain('priority');
  });
});

/** A fixture result with the HTTP thread's CPU time recorded (and, for fork-send, fewer requests). */
function withCpu(result: CompletedScenarioResult, idleCpuMs: number, duringCpuMs: number, duringRequests?: number): CompletedScenarioResult {
  const capacity = structuredClone(result.capacity!);
  capacity.idle.httpThreadCpuMs = idleCpuMs;
  capacity.duringImports.httpThreadCpuMs = duringCpuMs;
  capacity.idle.httpThreadCpuWindow = 'phase';
  capacity.duringImports.httpThreadCpuWindow = 'phase';
  if (duringRequests !== undefined) capacity.duringImports.requests = duringRequests;
  return { ...result, capacity };
}

describe("where the capacity went: the HTTP thread's CPU", () => {
  // single-thread: 15000 requests on 4800 ms of CPU idle, 450 on 5000 ms during imports (5 s phases).
  const single = withCpu(completedScenario('single-thread'), 4800, 5000);
  // fork-send: 14500 on 4800 ms idle, 6500 on 2600 ms during imports.
  const forkSend = withCpu(completedScenario('fork-send'), 4800, 2600, 6500);

  it('cores and requests per CPU-second, exact', () => {
    expect(httpThreadFacts(forkSend.capacity!.idle, forkSend.capacity!.duringImports)).toEqual({
      idleCores: 0.96,
      duringImportsCores: 0.52,
      idlePerCpuSecond: 14500 / 4.8,
      duringImportsPerCpuSecond: 2500,
      perCpuSecondKept: 2500 / (14500 / 4.8),
      lostCpuNotEfficiency: true,
    });
    // single-thread kept its CPU and lost the requests: not the CPU-starved case.
    expect(capacityFacts(single)!.httpThread!.lostCpuNotEfficiency).toBe(false);
    // Results from before the figure, or a phase with no CPU to divide by: no facts, not zeros.
    expect(capacityFacts(completedScenario('cluster'))!.httpThread).toBeNull();
    expect(httpThreadFacts({ ...forkSend.capacity!.idle, httpThreadCpuMs: null }, forkSend.capacity!.duringImports)).toBeNull();
    expect(httpThreadFacts({ ...forkSend.capacity!.idle, httpThreadCpuMs: 0 }, forkSend.capacity!.duringImports)).toBeNull();
    // The first results with the figure measured the during-imports CPU past the phase's end: unused.
    const { httpThreadCpuWindow: _window, ...unwindowed } = forkSend.capacity!.duringImports;
    expect(httpThreadFacts(forkSend.capacity!.idle, unwindowed)).toBeNull();
  });

  it("the run summary's sentence says which loss it was", () => {
    expect(httpThreadSentence(capacityFacts(forkSend)!.httpThread!, 2)).toBe(
      'HTTP thread CPU: 0.96 cores idle, 0.52 during imports; per CPU-second it answered 3021 requests idle and 2500 during imports (82.8%). ' +
        "The capacity lost is CPU time the thread did not get (the import's process and the load generator share the machine's 2 cores), not work added to each request.",
    );
    expect(httpThreadSentence(capacityFacts(single)!.httpThread!, 2)).toBe(
      'HTTP thread CPU: 0.96 cores idle, 1.00 during imports; per CPU-second it answered 3125 requests idle and 90.0 during imports (2.9%). ' +
        'The CPU it got went to the import, not to requests.',
    );
  });

  it('the report lists every design that recorded it, and names those that lost CPU, not efficiency', () => {
    expect(capacityCpu(scenariosOf(single, completedScenario('cluster'), forkSend))).toBe(
      "Where the capacity went: the HTTP threads' CPU (from /proc, main threads only), idle → during imports, and the requests per CPU-second " +
        'they kept: single-thread 0.96 → 1.00 cores, 2.9%; fork-send 0.96 → 0.52 cores, 82.8%. For fork-send the capacity lost during imports ' +
        "is CPU time the HTTP thread did not get (the import's process, the server and the load generator share 2 cores), not work the design adds to each request.",
    );
    expect(capacityCpu(mixed)).toBeNull();
    expect(capacityMethod(scenariosOf(forkSend))).toContain('\n\nWhere the capacity went: ');
  });
});
