import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { watchDescendants } from '../helpers/processes.js';

function expectUsageError(run: { code: number | null; stderr: string; stdout: string }, message: string): void {
  expect(run.code).toBe(2);
  expect(run.stdout).toBe('');
  expect(run.stderr.trim().split('\n')).toHaveLength(1);
  expect(run.stderr).toContain(message);
}

describe('scenario command: bad input', () => {
  it('an unknown id lists the valid ids', async () => {
    expectUsageError(await runCli(['scenario', 'nope']), 'unknown scenario "nope"; valid ids: single-thread, cluster');
  });

  it('rejects --duration -1 and --rate abc with the option named', async () => {
    expectUsageError(await runCli(['scenario', 'single-thread', '--duration', '-1']), '--duration must be a number from 1 to 3600 (got "-1")');
    expectUsageError(await runCli(['scenario', 'single-thread', '--rate', 'abc']), '--rate must be a number from 1 to 10000 (got "abc")');
    expectUsageError(await runCli(['scenario', 'cluster', '--workers', '0']), '--workers must be an integer from 1 to 64 (got "0")');
  });

  it('rejects bad --capacity and --capacity-connections with the option named', async () => {
    expectUsageError(await runCli(['scenario', 'single-thread', '--capacity', '-1']), '--capacity must be an integer from 0 to 600 (got "-1")');
    expectUsageError(await runCli(['scenario', 'single-thread', '--capacity', '2.5']), '--capacity must be an integer from 0 to 600 (got "2.5")');
    expectUsageError(await runCli(['scenario', 'fork-send', '--capacity-connections', '0']), '--capacity-connections must be an integer from 1 to 1000 (got "0")');
    expectUsageError(await runCli(['scenario', 'fork-send', '--capacity-connections', 'many']), '--capacity-connections must be an integer from 1 to 1000 (got "many")');
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
  });
});
