// Small results for verdict tests, built from the hand-written fixtures so they stay realistic.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CompletedScenarioResult, ScenarioResult, SweepPoint, SweepResult, SweepState, SweepTransportResult } from '../../src/results/schema.js';
import { validateResult } from '../../src/results/store.js';
import { isFailedPoint } from '../../src/results/schema.js';

export const FIXTURES_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'results');
/** An older run, incomplete: cluster and a sweep. */
export const RUN_A = '2026-03-01T10-00-00Z-a1f3';
/** The complete run (every scenario of the talk and the sweep): what the report shows by default. */
export const RUN_B = '2026-03-02T09-30-00Z-b7c2';
/** The newest run, an ad-hoc single scenario: must not change the default report. */
export const RUN_C = '2026-03-03T08-00-00Z-c9d4';
export const KiB = 1024;
export const MiB = 1024 * KiB;

export function fixture<T>(runId: string, name: string): T {
  return structuredClone(validateResult(JSON.parse(readFileSync(path.join(FIXTURES_DIR, runId, `${name}.json`), 'utf8')))) as T;
}

export function fixtureSweep(): SweepResult {
  return fixture<SweepResult>(RUN_B, 'sweep');
}

/** A hand-written schema-3 sweep (warm sampling): fork-json, chunked, raw-socket at 1 KiB, 64 KiB, 1 MiB, 64 MiB. */
export function fixtureWarmSweep(): SweepResult {
  const file = path.join(FIXTURES_DIR, '..', 'sweep-schema-3.json');
  return structuredClone(validateResult(JSON.parse(readFileSync(file, 'utf8')))) as SweepResult;
}

export function completedScenario(name: string, runId = RUN_B): CompletedScenarioResult {
  return fixture<CompletedScenarioResult>(runId, name);
}

/** A transport whose points are ok (number = MB/s) or a state, in size order. */
export function transport(id: string, cells: [number, number | SweepState][]): SweepTransportResult {
  const points: SweepPoint[] = cells.map(([sizeBytes, cell]): SweepPoint => {
    if (typeof cell === 'number') {
      const peakRssBytes = { sender: 2 * sizeBytes, receiver: 2 * sizeBytes };
      return { sizeBytes, state: 'ok', roundTripMs: { median: 1, min: 1, max: 1 }, mbPerS: cell, senderMaxBlockMs: 0, peakRssBytes };
    }
    if (cell === 'ok') throw new Error('an ok point needs its MB/s');
    const none = { roundTripMs: null, mbPerS: null, senderMaxBlockMs: null, peakRssBytes: null };
    return cell === 'skipped' ? { sizeBytes, state: cell, ...none } : { sizeBytes, state: cell, ...none };
  });
  const failed = points.find(isFailedPoint);
  return { transport: id, points, failurePoint: failed ? { sizeBytes: failed.sizeBytes, state: failed.state } : null };
}

export function sweepWith(...transports: SweepTransportResult[]): SweepResult {
  return { ...fixtureSweep(), transports };
}

/** The fork-send fixture, renamed, with its during-imports slow share set. */
export function scenarioWithSlowShare(id: string, slowShare: number): CompletedScenarioResult {
  const result = completedScenario('fork-send');
  result.scenario = id;
  result.phases.underLoad.slowShare = slowShare;
  return result;
}

export function scenariosOf(...results: ScenarioResult[]): Map<string, ScenarioResult> {
  return new Map(results.map((r) => [r.scenario, r]));
}
