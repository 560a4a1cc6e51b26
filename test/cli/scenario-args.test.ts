import net from 'node:net';
import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { resolveScenarioConfig, type ScenarioArgs } from '../../src/commands/scenario.js';
import { UsageError } from '../../src/commands/usage.js';
import { runCli } from '../helpers/cli.js';
import { scenarioArgs } from '../helpers/scenario-args.js';
import { watchDescendants } from '../helpers/processes.js';

function expectUsageError(run: { code: number | null; stderr: string; stdout: string }, message: string): void {
  expect(run.code).toBe(2);
  expect(run.stdout).toBe('');
  expect(run.stderr.trim().split('\n')).toHaveLength(1);
  expect(run.stderr).toContain(message);
}

const args = scenarioArgs;

/** A bad value refused by the pure check, with one line naming the option (the CLI exits 2 with it). */
function expectRefused(given: ScenarioArgs, message: string): void {
  let error: unknown;
  try {
    resolveScenarioConfig(given);
  } catch (caught) {
    error = caught;
  }
  expect(error).toBeInstanceOf(UsageError);
  expect((error as Error).message).toBe(message);
}

// A few real runs of the CLI prove the whole path (parse, check, one line, exit code 2, nothing
// started); the other bad values go through the same check, tested directly (a spawn each added
// nothing but most of a second of CPU).
describe('scenario command: bad input', () => {
  it('an unknown id lists the valid ids', async () => {
    expectUsageError(await runCli(['scenario', 'nope']), 'unknown scenario "nope"; valid ids: single-thread, cluster');
  });

  it('rejects --duration -1 and --rate abc with the option named', async () => {
    expectUsageError(await runCli(['scenario', 'single-thread', '--duration', '-1']), '--duration must be a number from 1 to 3600 (got "-1")');
    expectRefused(args('single-thread', { rate: 'abc' }), '--rate must be a number from 1 to 10000 (got "abc")');
    expectRefused(args('cluster', { workers: '0' }), '--workers must be an integer from 1 to 64 (got "0")');
    expectRefused(args('fork-send', { concurrency: '0' }), '--concurrency must be an integer from 1 to 64 (got "0")');
  });

  it('rejects bad --capacity and --capacity-connections with the option named', async () => {
    expectUsageError(await runCli(['scenario', 'fork-send', '--capacity-connections', 'many']), '--capacity-connections must be an integer from 1 to 1000 (got "many")');
    expectRefused(args('single-thread', { capacity: '-1' }), '--capacity must be an integer from 0 to 600 (got "-1")');
    expectUsageError(await runCli(['scenario', 'single-thread', '--capacity', '2.5']), '--capacity must be an integer from 0 to 600 (got "2.5")');
    expectRefused(args('fork-send', { 'capacity-connections': '0' }), '--capacity-connections must be an integer from 1 to 1000 (got "0")');
  });

  it('rejects a port already in use, starting nothing', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      // Only this CLI's own descendants count: other runs on the machine may serve scenarios meanwhile.
      let watcher: ReturnType<typeof watchDescendants> | undefined;
      const run = await runCli(['scenario', 'single-thread', '--port', String(port)], { onSpawn: (pid) => (watcher = watchDescendants(pid, 50)) });
      expectUsageError(run, `--port ${port} is already in use on 127.0.0.1`);
      expect(watcher).toBeDefined();
      expect(watcher?.stop()).toEqual([]); // no server process was ever started
    } finally {
      await new Promise<void>((resolve) => blocker.close(() => resolve()));
    }
  });

  it('--list prints every scenario with its title', async () => {
    const run = await runCli(['scenario', '--list']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('single-thread  1. Naive single thread');
    expect(run.stdout).toContain('cluster        2. cluster');
    expect(run.stdout).toContain('worker-pool    beyond the talk: A piscina pool of worker threads');
  });

  it('rejects a bad --handoff, and worker-pool options given to another scenario', () => {
    expectRefused(args('worker-pool', { handoff: 'telepathy' }), '--handoff accepts one of: clone, bytes (got "telepathy")');
    expectRefused(args('fork-send', { 'max-queue': '3' }), '--max-queue applies to the worker-pool scenario only');
  });
});

describe('worker-pool options', () => {
  it('default to cores - 1 workers (at least 1), a queue of 4 per worker, clone, and admission at workers + queue', () => {
    const workers = Math.max(1, os.availableParallelism() - 1);
    expect(resolveScenarioConfig(args('worker-pool'))).toMatchObject({ workers, maxImports: workers * 5, workerPool: { handoff: 'clone', maxQueue: workers * 4 } });
  });

  it('take --workers, --handoff, --max-queue (0: no queue) and an explicit --max-imports', () => {
    const config = resolveScenarioConfig(args('worker-pool', { workers: '3', handoff: 'bytes', 'max-queue': '0', 'max-imports': '10' }));
    expect(config).toMatchObject({ workers: 3, maxImports: 10, workerPool: { handoff: 'bytes', maxQueue: 0 } });
    expect(resolveScenarioConfig(args('worker-pool', { workers: '2', 'max-queue': '1' })).maxImports).toBe(3);
  });

  it('--concurrency defaults to 1 (one import after another) and is taken by every scenario', () => {
    expect(resolveScenarioConfig(args('fork-send')).concurrency).toBe(1);
    expect(resolveScenarioConfig(args('chunked', { concurrency: '4' })).concurrency).toBe(4);
    // The runner's own imports are admitted by default; an explicit lower --max-imports refuses the rest.
    expect(resolveScenarioConfig(args('chunked', { concurrency: '64' })).maxImports).toBe(64);
    expect(resolveScenarioConfig(args('chunked', { concurrency: '4', 'max-imports': '2' })).maxImports).toBe(2);
    expect(resolveScenarioConfig(args('worker-pool', { concurrency: '4', workers: '1' })).concurrency).toBe(4);
  });

  it('are recorded only for worker-pool; other scenarios keep their defaults', () => {
    const forkSend = resolveScenarioConfig(args('fork-send'));
    expect(forkSend.workerPool).toBeUndefined();
    expect(forkSend.maxImports).toBe(os.availableParallelism());
    expect(() => resolveScenarioConfig(args('chunked', { handoff: 'bytes' }))).toThrow('--handoff applies to the worker-pool scenario only');
    expect(() => resolveScenarioConfig(args('worker-pool', { 'max-queue': '-1' }))).toThrow('--max-queue must be an integer from 0 to 1000 (got "-1")');
  });
});
