import { describe, expect, it } from 'vitest';
import { prepareRun } from '../../src/commands/workshop.js';
import { skipRedisTests } from '../helpers/redis.js';
import { UsageError } from '../../src/commands/usage.js';
import type { ScenarioResult } from '../../src/results/schema.js';
import { parseLoopDelay } from '../../src/scenario/loop-poller.js';
import { maxLateness } from '../../src/server/recent-delay.js';
import { comparisonRow } from '../../src/web/compare.js';
import { outcomeOf } from '../../src/web/session.js';
import singleThread from '../fixtures/results/2026-03-02T09-30-00Z-b7c2/single-thread.json' with { type: 'json' };

describe('live event-loop delay', () => {
  it('is the largest lateness within the window', () => {
    const ticks = [
      { atMs: 100, lateMs: 3000 },
      { atMs: 400, lateMs: 2 },
      { atMs: 590, lateMs: 40 },
    ];
    expect(maxLateness(ticks, 590, 500)).toBe(3000);
    expect(maxLateness(ticks, 600, 500)).toBe(40); // the tick at 100 left the window
    expect(maxLateness(ticks, 2000, 500)).toBe(0);
    expect(maxLateness([], 0, 500)).toBe(0);
  });

  it('reads pid and recent delay from /metrics, nothing else', () => {
    expect(parseLoopDelay('{"pid":12,"recentLoopDelay":{"maxMs":3341,"windowMs":500}}')).toEqual({ pid: 12, delayMs: 3341 });
    expect(parseLoopDelay('{"pid":12}')).toBeNull();
    expect(parseLoopDelay('{"pid":"12","recentLoopDelay":{"maxMs":1}}')).toBeNull();
    expect(parseLoopDelay('not json')).toBeNull();
  });
});

describe('session comparison', () => {
  it('takes its row from the results file', () => {
    expect(comparisonRow(singleThread as unknown as ScenarioResult)).toEqual({
      scenario: 'single-thread',
      runId: singleThread.runId,
      state: 'completed',
      durationS: singleThread.config.durationS,
      records: singleThread.config.records,
      baselineP99Ms: singleThread.phases.baseline.latencyMs.p99,
      underLoadP50Ms: singleThread.phases.underLoad.latencyMs.p50,
      underLoadP99Ms: singleThread.phases.underLoad.latencyMs.p99,
      maxStallMs: singleThread.phases.underLoad.maxStallMs,
      slowShare: singleThread.phases.underLoad.slowShare,
      importsOk: 3,
      importsTotal: 3,
      maxLoopDelayMs: Math.max(...Object.values(singleThread.eventLoop as Record<string, { maxMs: number }>).map((e) => e.maxMs)),
    });
  });

  it('calls a run completed, errored or interrupted from how its command exited', () => {
    const exit = (exitCode: number | null, signal: NodeJS.Signals | null = null) => ({ exitCode, signal, stdout: '\nsummary\n', stderr: 'ipc-lab: it failed\n' });
    expect(outcomeOf(exit(0), false, null)).toMatchObject({ state: 'completed', exitCode: 0, summaryText: 'summary\nipc-lab: it failed' });
    expect(outcomeOf(exit(1), false, null).state).toBe('errored');
    expect(outcomeOf(exit(130), false, null).state).toBe('interrupted');
    expect(outcomeOf(exit(1), true, null).state).toBe('interrupted');
    expect(outcomeOf(exit(null, 'SIGKILL'), false, null).state).toBe('interrupted');
  });
});

describe('starting a run from the page', () => {
  const out = '/tmp/ipc-lab-out';
  const usage = (body: unknown): string => {
    try {
      prepareRun(body, out);
    } catch (error: unknown) {
      if (error instanceof UsageError) return error.message;
      throw error;
    }
    return 'accepted';
  };

  it('becomes the command line a person would type, with its own run id', () => {
    const run = prepareRun({ kind: 'scenario', scenario: 'cluster', options: { duration: '3', reconnect: true, workers: 2, pool: false } }, out);
    expect(run.args).toEqual(['scenario', 'cluster', '--duration', '3', '--reconnect', '--workers', '2', '--out', out, '--run-id', run.runId]);
    expect(run.resultFile).toBe(`${out}/${run.runId}/cluster.json`);
    const sweep = prepareRun({ kind: 'sweep', options: { quick: true, transports: 'chunked,raw-socket', sizes: '' } }, out);
    expect(sweep.args).toEqual(['sweep', '--quick', '--transports', 'chunked,raw-socket', '--out', out, '--run-id', sweep.runId]);
    expect(sweep.resultFile).toBe(`${out}/${sweep.runId}/sweep.json`);
  });

  it('is checked as the command line checks it, with the same messages', () => {
    expect(usage({ kind: 'scenario', scenario: 'single-thread', options: { duration: '0' } })).toBe('--duration must be a number from 1 to 3600 (got "0")');
    expect(usage({ kind: 'scenario', scenario: 'single-thread', options: { records: '1.5' } })).toMatch(/^--records must be an integer from 1 to /);
    expect(usage({ kind: 'scenario', scenario: 'nope' })).toMatch(/^unknown scenario "nope"; valid ids: single-thread, cluster, /);
    expect(usage({ kind: 'scenario', scenario: 'single-thread', options: { port: '80' } })).toMatch(/^unknown option "port"; valid: duration, warmup, /);
    expect(usage({ kind: 'scenario', scenario: 'single-thread', options: { reconnect: 'yes' } })).toBe('--reconnect is true or false (got "yes")');
    expect(usage({ kind: 'scenario', scenario: 'single-thread', options: { duration: ['3'] } })).toBe('--duration takes a value (got ["3"])');
    expect(usage({ kind: 'sweep', options: { transports: 'carrier-pigeon' } })).toMatch(/^--transports accepts a comma-separated list of: fork-json, /);
    expect(usage({ kind: 'sweep', options: { 'max-size': '2GiB' } })).toBe('--max-size must be from 1 byte to 1 GiB (got "2GiB")');
    expect(usage({ kind: 'bench' })).toBe('kind must be "scenario" or "sweep"');
    expect(usage([])).toBe('the request must be a JSON object');
    expect(usage({ kind: 'scenario', scenario: 'single-thread', options: { duration: '' } })).toBe('accepted'); // empty: the default
  });

  it('checks the import priority last, as the command line does (asking for idle runs chrt)', () => {
    expect(usage({ kind: 'scenario', scenario: 'fork-send', options: { 'import-priority': 'bogus' } })).toMatch(/^--import-priority accepts one of: /);
    // Both wrong: the other option is named, so chrt is never run for a request that fails anyway.
    expect(usage({ kind: 'scenario', scenario: 'fork-send', options: { duration: '0', 'import-priority': 'bogus' } })).toBe(
      '--duration must be a number from 1 to 3600 (got "0")',
    );
    expect(usage({ kind: 'scenario', scenario: 'single-thread', options: { 'import-priority': 'low' } })).toMatch(
      /^--import-priority applies to scenarios whose imports leave the HTTP process: /,
    );
  });

  // The queue's options are checked after the check that redis-server is installed (a private Redis).
  it.skipIf(skipRedisTests)('the queue scenario: its own options as the command line takes them, never a Redis address', () => {
    const run = prepareRun({ kind: 'scenario', scenario: 'queue', options: { placement: 'job-data', attempts: '3', scale: true, 'scale-imports': '4' } }, out);
    expect(run.args).toEqual(['scenario', 'queue', '--placement', 'job-data', '--attempts', '3', '--scale', '--scale-imports', '4', '--out', out, '--run-id', run.runId]);
    expect(usage({ kind: 'scenario', scenario: 'queue', options: { placement: 'pigeon' } })).toBe('--placement accepts one of: job-data, redis-key (got "pigeon")');
    expect(usage({ kind: 'scenario', scenario: 'queue', options: { 'scale-imports': '4' } })).toBe('--scale-imports and --scale-concurrency need --scale');
    expect(usage({ kind: 'scenario', scenario: 'queue', options: { redis: 'redis://10.0.0.1:6379' } })).toMatch(/^unknown option "redis"; valid: duration, /);
    expect(usage({ kind: 'scenario', scenario: 'single-thread', options: { placement: 'job-data' } })).toBe('--placement applies to the queue scenario only');
  });
});
