import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScenarioResult } from '../../src/results/schema.js';
import { runCli } from '../helpers/cli.js';
import { freePort, portIsFree } from '../helpers/ports.js';
import { descendantsOf, waitAllGone, watchDescendants } from '../helpers/processes.js';

const LONG_RUN = ['--duration', '30', '--warmup', '0', '--rate', '20', '--records', '2000', '--imports', '1', '--work', '300', '--capacity', '0'];

let outDir: string;
beforeAll(async () => {
  outDir = await mkdtemp(path.join(os.tmpdir(), 'ipc-lab-cleanup-'));
});
afterAll(async () => {
  await rm(outDir, { recursive: true, force: true });
});

/** Whether `pid` holds a listening TCP socket (its fds' socket inodes against /proc/net/tcp*, state 0A). */
function listensOnTcp(pid: number): boolean {
  try {
    const inodes = new Set(
      readdirSync(`/proc/${pid}/fd`).flatMap((fd) => {
        try {
          return [/^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`))?.[1]].filter((inode): inode is string => inode !== undefined);
        } catch {
          return []; // closed meanwhile
        }
      }),
    );
    return ['/proc/net/tcp', '/proc/net/tcp6'].some((table) =>
      readFileSync(table, 'utf8')
        .split('\n')
        .slice(1)
        .some((line) => {
          const fields = line.trim().split(/\s+/);
          return fields[3] === '0A' && inodes.has(fields[9] ?? '');
        }),
    );
  } catch {
    return false; // gone, or not Linux
  }
}

async function waitFor(check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

// Side by side: each run waits for its own processes and port, and signals only its own CLI.
describe.concurrent('cleanup', () => {
  it.each([
    ['single-thread', 'SIGINT', 130],
    ['cluster', 'SIGTERM', 143],
    // Its pool's worker threads live in the server process: gone with it, none outlives the run.
    ['worker-pool', 'SIGINT', 130],
  ] as const)('%s interrupted by %s: no process left, port free, errored result written', async (id, signal, exitCode) => {
    const port = await freePort();
    let cliPid = 0;
    let watcher: ReturnType<typeof watchDescendants> | undefined;
    const runId = `cleanup-${id}`;
    const running = runCli(['scenario', id, ...LONG_RUN, '--port', String(port), '--out', outDir, '--run-id', runId], {
      onSpawn: (pid) => {
        cliPid = pid;
        watcher = watchDescendants(pid);
      },
    });
    // Interrupt once the server listens, (for cluster) its workers are up, and traffic is flowing.
    const expected = id === 'cluster' ? 3 : 1;
    await waitFor(() => descendantsOf(cliPid).length >= expected && descendantsOf(cliPid).some(listensOnTcp), 30_000);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    process.kill(cliPid, signal);
    const run = await running;
    const seen = watcher?.stop() ?? [];

    expect(run.code).toBe(exitCode);
    // Once: the summary's ERRORED line says it, the exit line does not repeat it.
    expect(`${run.stdout}${run.stderr}`.split(`interrupted by ${signal}`)).toHaveLength(2);
    expect(seen.length).toBeGreaterThanOrEqual(expected);
    expect(await waitAllGone(seen)).toEqual([]);
    expect(await portIsFree(port)).toBe(true);
    const result = JSON.parse(await readFile(path.join(outDir, runId, `${id}.json`), 'utf8')) as ScenarioResult;
    expect(result.state).toBe('errored');
    expect(result.state === 'errored' && result.error).toBe(`interrupted by ${signal}`);
  });

  it('cluster replaces a worker that dies, and the run records it', async () => {
    let cliPid = 0;
    let watcher: ReturnType<typeof watchDescendants> | undefined;
    const runId = 'cleanup-worker-death';
    const running = runCli(
      ['scenario', 'cluster', '--duration', '3', '--warmup', '0', '--rate', '20', '--records', '2000', '--imports', '1', '--work', '300', '--workers', '2', '--capacity', '0', '--json', '--out', outDir, '--run-id', runId],
      {
        onSpawn: (pid) => {
          cliPid = pid;
          watcher = watchDescendants(pid);
        },
      },
    );
    await waitFor(() => descendantsOf(cliPid).length >= 3, 20_000);
    await new Promise((resolve) => setTimeout(resolve, 1500)); // past start-up: workers listening, traffic flowing
    const [primary] = descendantsOf(cliPid).filter((pid) => descendantsOf(pid).length >= 2);
    const victim = descendantsOf(primary ?? -1)[0];
    expect(victim).toBeDefined();
    process.kill(victim as number, 'SIGKILL');
    const run = await running;
    const seen = watcher?.stop() ?? [];

    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout) as ScenarioResult;
    expect(result.state).toBe('completed');
    expect(result.events?.join('\n')).toMatch(new RegExp(`worker ${victim} died \\(SIGKILL\\); replaced by worker \\d+`));
    // --capacity 0 skips the capacity phases: the result has none.
    expect(result.state === 'completed' && result.capacity).toBeUndefined();
    expect(result.config).toMatchObject({ capacityS: 0 });
    expect(await waitAllGone(seen)).toEqual([]);
  });

  it('a server that dies mid-run makes the run errored, not a completed run of failed requests', async () => {
    let cliPid = 0;
    const runId = 'cleanup-server-death';
    const running = runCli(
      ['scenario', 'single-thread', '--duration', '4', '--warmup', '0', '--rate', '20', '--records', '2000', '--imports', '1', '--work', '300', '--capacity', '0', '--json', '--out', outDir, '--run-id', runId],
      { onSpawn: (pid) => (cliPid = pid) },
    );
    // Mid-run: once the server listens (on a busy machine its start-up alone can take seconds), and a little more.
    await waitFor(() => descendantsOf(cliPid).some(listensOnTcp), 30_000);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const server = descendantsOf(cliPid).find(listensOnTcp);
    process.kill(server as number, 'SIGKILL');
    const run = await running;

    expect(run.code).toBe(1);
    const result = JSON.parse(run.stdout) as ScenarioResult;
    expect(result.state).toBe('errored');
    expect(result.state === 'errored' && result.error).toBe(`server process ${server} exited unexpectedly (SIGKILL)`);
    expect(run.stderr).toContain('errored');
  });
});
