import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { validateResult } from '../../src/results/store.js';
import { runCli } from '../helpers/cli.js';
import { waitAllGone, watchDescendants } from '../helpers/processes.js';
import { ourTempDirs, useOwnTempDir } from '../transports/helpers.js';

useOwnTempDir();
const outDir = mkdtempSync(path.join(os.tmpdir(), 'faults-cli-'));
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

describe('faults command', () => {
  it.each([
    [['--faults', 'meteor'], '--faults accepts a comma-separated list of: kill-mid-transfer, kill-mid-reply, hang,'],
    [['--transports', 'carrier-pigeon'], '--transports accepts a comma-separated list of:'],
    [['--timeout', '0'], '--timeout must be a number from 0.5 to 60 (got "0")'],
  ])('rejects %j with one line naming the option, exit 2, nothing started', async (args, message) => {
    const run = await runCli(['faults', ...args, '--out', path.join(outDir, 'never')]);
    expect([run.code, run.stdout]).toEqual([2, '']);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toContain(message);
    expect(existsSync(path.join(outDir, 'never'))).toBe(false);
  });

  it('--json prints the document it writes to <run-id>/faults.json; the run leaves no process and no temp dir', async () => {
    const out = path.join(outDir, 'json');
    let watcher: ReturnType<typeof watchDescendants> | undefined;
    const run = await runCli(['faults', '--transports', 'chunked,worker-pool', '--faults', 'garbage-header', '--json', '--out', out, '--run-id', 'f-1'], {
      onSpawn: (pid) => (watcher = watchDescendants(pid, 50)),
    });
    const seen = watcher?.stop() ?? [];
    expect(run.code).toBe(0);
    const printed = validateResult(JSON.parse(run.stdout));
    expect(printed).toEqual(JSON.parse(readFileSync(path.join(out, 'f-1', 'faults.json'), 'utf8')));
    if (printed.kind !== 'faults') throw new Error('not a faults result');
    expect(printed.config).toEqual({ transports: ['chunked', 'worker-pool'], faults: ['garbage-header'], timeoutMs: 5000, quick: false, json: true });
    // worker-pool is a thread: no garbage-header case for it.
    expect(printed.cases.map((c) => [c.transport, c.fault, c.expected, c.observed, c.finding])).toEqual([['chunked', 'garbage-header', 'corrupted', 'corrupted', false]]);
    expect(printed.cases[0]!.leftovers).toEqual({ processes: 0, tempDirs: 0, redisKeys: null });
    // The caller process lives through the whole case, so a poll sees it; a peer's (the faulty one's
    // or the recovery's) whole life can fall between two polls, which run late on a busy machine (CI
    // once saw 2 of 3), so they are not counted here: the runner's own leftovers check above covers
    // them by pid. Whatever the poll did see must be gone.
    expect(seen.length).toBeGreaterThanOrEqual(1);
    expect(await waitAllGone(seen, 3000)).toEqual([]);
    expect(ourTempDirs()).toEqual([]);
  });
});
