import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CompletedScenarioResult } from '../../src/results/schema.js';
import { runCli } from '../helpers/cli.js';
import { waitAllGone, watchDescendants } from '../helpers/processes.js';

// Three imports in flight on a pool of one worker: each import's work (a few hundred ms) dominates
// its hand-over, so the two that wait must each have queued for most of the runs ahead of them.
// The server's own priority: this file is about concurrency, and beside another test file an idle-priority import waits for CPU.
const RUN = ['--duration', '2', '--warmup', '0', '--rate', '20', '--records', '2000', '--work', '30000', '--capacity', '0', '--import-priority', 'normal'];

let outDir: string;
beforeAll(async () => {
  outDir = await mkdtemp(path.join(os.tmpdir(), 'ipc-lab-concurrency-'));
});
afterAll(async () => {
  await rm(outDir, { recursive: true, force: true });
});

describe('--concurrency past the pool (K > W)', () => {
  it('worker-pool --workers 1 --concurrency 3: all three in flight at once, the later ones record their time queued', async () => {
    let watcher: ReturnType<typeof watchDescendants> | undefined;
    const run = await runCli(
      ['scenario', 'worker-pool', ...RUN, '--imports', '3', '--concurrency', '3', '--workers', '1', '--out', outDir, '--run-id', 'k3w1', '--json'],
      { onSpawn: (pid) => (watcher = watchDescendants(pid)) },
    );
    const seen = watcher?.stop() ?? [];
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const result = JSON.parse(await readFile(path.join(outDir, 'k3w1', 'worker-pool.json'), 'utf8')) as CompletedScenarioResult;
    expect(result.config).toMatchObject({ concurrency: 3, workers: 1 });
    expect(result.imports).toHaveLength(3);
    expect(result.imports.every((imp) => imp.ok && imp.queuedMs !== undefined)).toBe(true);
    expect(Object.values(result.admission ?? {}).map((c) => [c.admitted, c.completed, c.refused, c.peakInFlight])).toEqual([[3, 3, 0, 3]]);

    // One worker runs them one after another: sorted by time queued, each waited for those ahead.
    const byQueue = [...result.imports].sort((a, b) => (a.queuedMs ?? 0) - (b.queuedMs ?? 0));
    const ranMs = byQueue.map((imp) => imp.durationMs - (imp.queuedMs ?? 0));
    expect(byQueue[1]?.queuedMs).toBeGreaterThan(0.5 * (ranMs[0] ?? 0));
    expect(byQueue[2]?.queuedMs).toBeGreaterThan(0.5 * ((ranMs[0] ?? 0) + (ranMs[1] ?? 0)));
    expect(await waitAllGone(seen)).toEqual([]);
  }, 60_000);
});
