import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScenarioResult } from '../../src/results/schema.js';
import { cliPath } from '../helpers/cli.js';
import { freePort, portIsFree } from '../helpers/ports.js';
import { descendantsOf, waitAllGone, watchDescendants } from '../helpers/processes.js';

// Processes never outlive their owner. A long run (30 s phases) that the test ends early.
const LONG_RUN = ['--duration', '30', '--warmup', '0', '--rate', '20', '--records', '2000', '--imports', '1', '--work', '300'];

let outDir: string;
beforeAll(async () => {
  outDir = await mkdtemp(path.join(os.tmpdir(), 'ipc-lab-owner-'));
});
afterAll(async () => {
  await rm(outDir, { recursive: true, force: true });
});

async function waitFor(check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Spawns `command` in its own process group; resolves with its exit and output. */
function spawnGroup(command: string, args: string[]): { pid: number; done: Promise<{ code: number | null; output: string }> } {
  const child = spawn(command, args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const killer = setTimeout(() => process.kill(-(child.pid as number), 'SIGKILL'), 60_000);
  const done = new Promise<{ code: number | null; output: string }>((resolve) =>
    child.on('close', (code) => {
      clearTimeout(killer);
      resolve({ code, output });
    }),
  );
  return { pid: child.pid as number, done };
}

const readResult = async (runId: string): Promise<ScenarioResult> =>
  JSON.parse(await readFile(path.join(outDir, runId, 'single-thread.json'), 'utf8')) as ScenarioResult;

describe('no process outlives its owner', () => {
  it('SIGTERM to the parent (npm runs the CLI under a shell that dies without passing it on): no process left, result written', async () => {
    const port = await freePort();
    const runId = 'owner-parent';
    // `; exit $?` keeps the shell from exec-ing node: it stays the CLI's parent, as npm's shell does.
    const cli = [process.execPath, cliPath, 'scenario', 'single-thread', ...LONG_RUN, '--port', String(port), '--out', outDir, '--run-id', runId];
    const shell = spawnGroup('/bin/sh', ['-c', `${cli.map((arg) => `'${arg}'`).join(' ')}; exit $?`]);
    const watcher = watchDescendants(shell.pid);
    await waitFor(() => descendantsOf(shell.pid).length >= 2, 30_000); // the CLI and its server
    await new Promise((resolve) => setTimeout(resolve, 1000));
    process.kill(shell.pid, 'SIGTERM');
    await shell.done;
    const seen = watcher.stop();

    expect(seen.length).toBeGreaterThanOrEqual(2);
    expect(await waitAllGone(seen, 10_000)).toEqual([]);
    expect(await portIsFree(port)).toBe(true);
    const result = await readResult(runId);
    expect(result.state === 'errored' && result.error).toBe(`interrupted: the parent process ${shell.pid} ended`);
  });

  it('Ctrl-C while the server is starting: a results file, "interrupted by SIGINT" said once, nothing left', async () => {
    const runId = 'owner-early-sigint';
    const cli = spawnGroup(process.execPath, [cliPath, 'scenario', 'single-thread', ...LONG_RUN, '--out', outDir, '--run-id', runId]);
    const watcher = watchDescendants(cli.pid, 20);
    await waitFor(() => descendantsOf(cli.pid).length >= 1, 30_000); // the server process exists
    process.kill(-cli.pid, 'SIGINT'); // the whole group, as a terminal's Ctrl-C
    const { code, output } = await cli.done;
    const seen = watcher.stop();

    expect({ code, output }).toEqual({ code: 130, output: expect.stringContaining('interrupted by SIGINT') as unknown });
    expect(output.split('interrupted by SIGINT')).toHaveLength(2);
    expect(await waitAllGone(seen, 10_000)).toEqual([]);
    expect(existsSync(path.join(outDir, runId, 'single-thread.json'))).toBe(true);
    const result = await readResult(runId);
    expect(result.state === 'errored' && result.error).toBe('interrupted by SIGINT');
  });
});
