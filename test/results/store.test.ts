import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { listRuns } from '../../src/results/run-results.js';
import { validateResult } from '../../src/results/store.js';
import { FIXTURES_DIR, RUN_B, fixtureSweep, fixtureWarmSweep } from '../report/builders.js';

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

describe('schema versions', () => {
  it('loads an older sweep (schema 1) without the sampling fields, and a schema-3 one with them', () => {
    expect(validateResult(fixtureSweep(), 'old.json')).toHaveProperty('schemaVersion', 1);
    expect(validateResult(fixtureWarmSweep(), 'new.json')).toHaveProperty('schemaVersion', 3);
  });

  it('refuses a schema-3 ok point without its sampling, and a version it does not know', () => {
    const broken = fixtureWarmSweep() as unknown as { transports: { transport: string; points: Record<string, unknown>[] }[] };
    delete broken.transports[2]!.points[0]!.samples;
    expect(() => validateResult(broken, 'new.json')).toThrow('new.json: transport raw-socket: ok point at 1024 bytes without its sampling (schemaVersion 3)');
    expect(() => validateResult({ ...fixtureWarmSweep(), schemaVersion: 4 }, 'future.json')).toThrow('future.json: schemaVersion 4, expected one of 1, 2, 3');
  });
});

describe('listRuns', () => {
  it('reads a missing results directory as no runs, and a directory it cannot read as an error', async () => {
    expect(await listRuns(path.join(FIXTURES_DIR, 'no-such-dir'))).toEqual([]);
    // A file where the results directory should be: readdir fails, and that is not "no results".
    await expect(listRuns(path.join(FIXTURES_DIR, RUN_B, 'sweep.json'))).rejects.toThrow(/ENOTDIR/);
  });
});
