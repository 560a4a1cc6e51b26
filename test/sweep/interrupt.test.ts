import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readResult } from '../../src/results/store.js';
import { runCli } from '../helpers/cli.js';
import { waitAllGone } from '../helpers/processes.js';

const outDir = mkdtempSync(path.join(os.tmpdir(), 'sweep-int-'));
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

function childrenOf(pid: number): number[] {
  try {
    return execFileSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' }).split('\n').map(Number).filter((p) => p > 0);
  } catch {
    return []; // ps exits 1 when there are none
  }
}

describe('sweep command on SIGINT', () => {
  it('closes its peer, writes an errored result and exits 130', async () => {
    let cliPid = 0;
    const peers: number[] = [];
    // A 256 MiB fork-json exchange takes seconds: interrupt it once its peer is running.
    const running = runCli(['sweep', '--transports', 'fork-json', '--sizes', '256MiB', '--repeat', '1', '--out', outDir], {
      onSpawn: (pid) => (cliPid = pid),
    });
    const deadline = Date.now() + 20_000;
    while (peers.length === 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      peers.push(...childrenOf(cliPid));
    }
    expect(peers.length).toBeGreaterThan(0);
    process.kill(cliPid, 'SIGINT');
    const run = await running;
    expect(run.code).toBe(130);
    expect(run.stderr.trim()).toBe('ipc-lab: interrupted by SIGINT');
    const [runId] = readdirSync(outDir);
    const result = await readResult(path.join(outDir, runId!, 'sweep.json'));
    expect(result).toMatchObject({ kind: 'sweep', state: 'errored', error: 'interrupted by SIGINT' });
    // The peer leaves when its IPC channel closes: give a loaded machine a moment to deliver that.
    expect(await waitAllGone(peers, 3000)).toEqual([]);
  });
});
