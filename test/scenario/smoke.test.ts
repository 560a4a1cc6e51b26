import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scenarios } from '../../scenarios/index.js';
import type { CompletedScenarioResult } from '../../src/results/schema.js';
import { validateResult } from '../../src/results/store.js';
import { runCli } from '../helpers/cli.js';
import { waitAllGone, watchDescendants } from '../helpers/processes.js';

// A few seconds per scenario with a small import (1 s phases: 20 light requests each; no warm-up,
// which test/scenario/events.test.ts covers): checks wiring, files and cleanup, not speed. The
// closed-loop capacity phases keep both cores busy, so only cluster (several serving processes) and
// fork-send (the import in a child) run them here; single-thread's run in test/scenario/events.test.ts
// and test/load/capacity.test.ts tests the phase itself.
const SMOKE_ARGS = ['--duration', '1', '--warmup', '0', '--rate', '20', '--records', '2000', '--imports', '1', '--work', '300', '--capacity-connections', '4'];
const WITH_CAPACITY = new Set(['cluster', 'fork-send']);
const capacityS = (id: string): number => (WITH_CAPACITY.has(id) ? 1 : 0);

let outDir: string;
let tmpDir: string;
beforeAll(async () => {
  outDir = await mkdtemp(path.join(os.tmpdir(), 'ipc-lab-smoke-'));
  // The run's own TMPDIR: every socket file and private temp dir it makes must be gone at the end.
  tmpDir = await mkdtemp(path.join(os.tmpdir(), 'ipc-lab-smoke-tmp-'));
});
afterAll(async () => {
  await rm(outDir, { recursive: true, force: true });
  await rm(tmpDir, { recursive: true, force: true });
});

describe.each(scenarios.map((s) => [s.id, s] as const))('scenario %s (smoke)', (id, scenario) => {
  it('runs, writes a valid results file, and leaves no process behind', async () => {
    let watcher: ReturnType<typeof watchDescendants> | undefined;
    const run = await runCli(['scenario', id, ...SMOKE_ARGS, '--capacity', String(capacityS(id)), '--json', '--out', outDir, '--run-id', `smoke-${id}`], {
      onSpawn: (pid) => (watcher = watchDescendants(pid)),
      env: { TMPDIR: tmpDir },
    });
    const seen = watcher?.stop() ?? [];
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);

    const file = path.join(outDir, `smoke-${id}`, `${id}.json`);
    const onDisk = JSON.parse(await readFile(file, 'utf8')) as unknown;
    expect(JSON.parse(run.stdout)).toEqual(onDisk); // --json: stdout is only the document
    expect(await readdir(path.dirname(file))).toEqual([`${id}.json`]); // atomic write left no temp file
    const result = validateResult(onDisk) as CompletedScenarioResult;
    expect(result.state).toBe('completed');
    expect(result.scenario).toBe(id);
    expect(result.config).toMatchObject({ durationS: 1, rate: 20, records: 2000, imports: 1, capacityS: capacityS(id), capacityConnections: 4 });
    for (const phase of [result.phases.baseline, result.phases.underLoad]) {
      expect(phase.requests).toBeGreaterThan(0);
      expect(phase.latencyMs.max).toBeGreaterThanOrEqual(phase.latencyMs.p50);
      // A share of this phase's light requests: a whole number of them, at most all.
      const slowRequests = phase.slowShare * (phase.requests + phase.timeouts);
      expect(Math.abs(slowRequests - Math.round(slowRequests))).toBeLessThan(1e-6);
      expect(phase.slowShare).toBeLessThanOrEqual(1);
    }
    expect(result.imports).toHaveLength(1);
    expect(result.imports[0]).toMatchObject({ ok: true });
    // The under-load phase contains the import it started (extended if it had to be).
    for (const imp of result.imports) expect(imp.startedAtMs + imp.durationMs).toBeLessThanOrEqual(result.phases.underLoad.durationMs);
    expect(result.timeline.length).toBeGreaterThan(0);
    const servingPids = Object.keys(result.phases.underLoad.requestsByPid);
    expect(Object.keys(result.eventLoop).sort()).toEqual(expect.arrayContaining(servingPids.sort()));
    // Every serving process counted the imports asked of it over the run (the runner's one, the
    // capacity phase's): all admitted one at a time and completed, none refused or cancelled.
    const counts = Object.values(result.admission ?? {});
    expect(counts.length).toBeGreaterThan(0);
    const total = (key: 'admitted' | 'completed' | 'refused' | 'cancelled'): number => counts.reduce((sum, c) => sum + c[key], 0);
    expect(total('admitted')).toBeGreaterThanOrEqual(1);
    expect(total('completed')).toBe(total('admitted'));
    expect([total('refused'), total('cancelled')]).toEqual([0, 0]);

    // Capacity: autocannon's closed loop, idle and with imports back to back, on the serving processes.
    const capacity = result.capacity;
    if (!WITH_CAPACITY.has(id)) expect(capacity).toBeUndefined(); // --capacity 0 skips it
    else {
      expect(capacity).toBeDefined();
      for (const phase of [capacity!.idle, capacity!.duringImports]) {
        expect(phase.connections).toBe(4);
        expect(phase.rpsPerSecond).toHaveLength(1);
        expect(phase.errors + phase.timeouts + phase.non2xx).toBe(0);
        expect(Object.keys(result.eventLoop)).toEqual(expect.arrayContaining(Object.keys(phase.requestsByPid)));
        // The HTTP threads' CPU time, read from /proc over the phase: some, and at most one core per
        // serving process (the window opens just before autocannon starts: a fifth and 50 ms of slack).
        expect(phase.httpThreadCpuWindow).toBe('phase');
        if (process.platform === 'linux') {
          const processes = Math.max(servingPids.length, Object.keys(result.eventLoop).length);
          expect(phase.httpThreadCpuMs).toBeGreaterThan(0);
          expect(phase.httpThreadCpuMs).toBeLessThanOrEqual(processes * (1.2 * phase.durationMs + 50));
        }
      }
      expect(capacity!.idle.requests).toBeGreaterThan(0);
      expect(capacity!.idle.imports).toEqual([]);
      expect(capacity!.duringImports.imports.length).toBeGreaterThan(0);
      expect(capacity!.duringImports.imports.every((imp) => imp.ok)).toBe(true);
    }

    if (id === 'cluster') {
      const pids = new Set([...Object.keys(result.phases.baseline.requestsByPid), ...servingPids]);
      expect(pids.size).toBeGreaterThanOrEqual(2);
    }
    if (scenario.transport !== undefined) {
      const [imp] = result.imports;
      expect(imp?.bytesToWorker).toBeGreaterThan(0);
      expect(imp?.bytesFromWorker).toBeGreaterThan(0);
      // A worker pool's threads are the serving process's own; every other transport's peer is a child.
      if (scenario.transport === 'worker-pool') expect(servingPids).toContain(String(imp?.workerPid));
      else expect(servingPids).not.toContain(String(imp?.workerPid));
    }
    expect(seen.length).toBeGreaterThan(0);
    expect(await waitAllGone(seen)).toEqual([]);
    expect(await readdir(tmpDir)).toEqual([]);
  });
});
