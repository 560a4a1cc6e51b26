import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { listRuns } from '../../src/results/run-results.js';
import { validateResult } from '../../src/results/store.js';
import { FIXTURES_DIR, RUN_B, fixtureSweep } from '../report/builders.js';

describe('validateResult', () => {
  it('accepts a sweep whose ok points carry their figures, refuses one that lacks them', () => {
    const sweep = fixtureSweep();
    expect(validateResult(sweep, 'sweep.json')).toBe(sweep);
    const broken = structuredClone(sweep) as unknown as { transports: { transport: string; points: Record<string, unknown>[] }[] };
    const first = broken.transports[0]!;
    const okIndex = first.points.findIndex((p) => p.state === 'ok');
    first.points[okIndex] = { ...first.points[okIndex], mbPerS: null };
    expect(() => validateResult(broken, 'sweep.json')).toThrow(
      `sweep.json: transport ${first.transport}: ok point at ${String(first.points[okIndex]!.sizeBytes)} bytes without its figures`,
    );
  });
});

describe('listRuns', () => {
  it('reads a missing results directory as no runs, and a directory it cannot read as an error', async () => {
    expect(await listRuns(path.join(FIXTURES_DIR, 'no-such-dir'))).toEqual([]);
    // A file where the results directory should be: readdir fails, and that is not "no results".
    await expect(listRuns(path.join(FIXTURES_DIR, RUN_B, 'sweep.json'))).rejects.toThrow(/ENOTDIR/);
  });
});
