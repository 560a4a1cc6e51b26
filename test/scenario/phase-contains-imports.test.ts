import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CompletedScenarioResult } from '../../src/results/schema.js';
import { renderScenarioSummary } from '../../src/scenario/summary.js';
import { runCli } from '../helpers/cli.js';

let outDir: string;
beforeAll(async () => {
  outDir = await mkdtemp(path.join(os.tmpdir(), 'ipc-lab-phase-'));
});
afterAll(async () => {
  await rm(outDir, { recursive: true, force: true });
});

describe('the under-load phase', () => {
  it('runs on until an import longer than the phase ends, and records by how much it was extended', async () => {
    // A 1 s phase with an import planned at 0.1 s that takes well over a second (inline: the server
    // freezes, as in the talk's first iteration). No capacity phases: this is about the under-load one.
    const run = await runCli(
      ['scenario', 'single-thread', '--duration', '1', '--warmup', '0', '--rate', '20', '--records', '2000', '--imports', '1', '--work', '100000', '--capacity', '0', '--json', '--out', outDir],
      { timeoutMs: 120_000 },
    );
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout) as CompletedScenarioResult;
    const underLoad = result.phases.underLoad;
    const [imp] = result.imports;
    expect(imp?.ok).toBe(true);
    const importEndMs = (imp?.startedAtMs ?? 0) + (imp?.durationMs ?? 0);
    expect(importEndMs).toBeGreaterThan(1000);
    expect(importEndMs).toBeLessThanOrEqual(underLoad.durationMs);
    expect(underLoad.extendedByMs).toBe(Math.round((underLoad.durationMs - 1000) * 1000) / 1000);
    expect(result.phases.baseline).not.toHaveProperty('extendedByMs');
    // The freeze is inside the phase: its longest stall is about the import, not cut at 1 s.
    expect(underLoad.maxStallMs).toBeGreaterThan(1000 - (imp?.startedAtMs ?? 0));
    const summary = renderScenarioSummary(result, 'f.json');
    expect(summary).toContain('The under-load phase ran ');
    expect(summary).toContain('until the last import ended: it contains every import it started.');
    expect(summary).not.toContain('past the end of the light traffic');
  });
});
