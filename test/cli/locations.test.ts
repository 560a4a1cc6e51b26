import { spawnSync } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkExistingDir, checkOutputDir, checkOutputFile, LOCATION_DEADLINE_MS } from '../../src/commands/locations.js';
import { UsageError } from '../../src/commands/usage.js';
import { cliPath, runCli } from '../helpers/cli.js';
import { watchDescendants } from '../helpers/processes.js';

// Root writes through any permission bits: then the CLI runs as `nobody`, for whom a 0555
// directory really is unwritable. Where nobody cannot run it (the checkout or this node sits in a
// directory only root may enter), the read-only cases are left out, and the test says so.
const asRoot = process.getuid?.() === 0;
const nobody = { uid: 65534, gid: 65534 };
const nobodyCanRun = asRoot && spawnSync(process.execPath, [cliPath, '--version'], { ...nobody, stdio: 'ignore', timeout: 20_000 }).status === 0;
const user = nobodyCanRun ? nobody : undefined;
const readOnlyCases = !asRoot || nobodyCanRun;
if (!readOnlyCases) console.warn(`locations test: the read-only directory cases are skipped: running as root, and nobody cannot run ${process.execPath} ${cliPath}`);

let base: string;
let file: string;
let readOnlyDir: string;
let writableDir: string;
const FILE_TEXT = 'not a directory\n';

beforeAll(async () => {
  base = await mkdtemp(path.join(os.tmpdir(), 'ipc-lab-locations-'));
  await chmod(base, 0o755);
  file = path.join(base, 'a-file.md');
  await writeFile(file, FILE_TEXT);
  writableDir = path.join(base, 'writable');
  await mkdir(writableDir);
  await chmod(writableDir, 0o777);
  readOnlyDir = path.join(base, 'read-only');
  await mkdir(readOnlyDir, { mode: 0o555 });
  await chmod(readOnlyDir, 0o555);
});
afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

describe('location checks (in process)', () => {
  it('refuses a file, a /proc path and a /sys path with one line naming the option, within the deadline', async () => {
    const startedMs = performance.now();
    await expect(checkOutputDir('out', file)).rejects.toThrow(`--out must be a writable directory (existing or creatable) (got "${file}": a file, not a directory)`);
    await expect(checkOutputDir('out', path.join(file, 'sub'))).rejects.toThrow('a file is in the way on that path');
    await expect(checkOutputDir('out', '/proc/ipc-lab/x')).rejects.toThrow('(got "/proc/ipc-lab/x": a kernel pseudo-filesystem)');
    await expect(checkOutputFile('report', '/sys/REPORT.md')).rejects.toThrow('(got "/sys/REPORT.md": a kernel pseudo-filesystem)');
    await expect(checkExistingDir('results', path.join(base, 'missing'))).rejects.toBeInstanceOf(UsageError);
    expect(performance.now() - startedMs).toBeLessThan(LOCATION_DEADLINE_MS);
  });

  it('accepts a directory that can be created, and leaves nothing behind until the run writes', async () => {
    const target = path.join(base, 'new', 'deeper');
    expect(await checkOutputDir('out', target)).toBe(target);
    expect(await readdir(base)).not.toContain('new');
    expect(await checkOutputFile('report', path.join(base, 'REPORT.md'))).toBe(path.join(base, 'REPORT.md'));
    expect((await readdir(base)).sort()).toEqual(['a-file.md', 'read-only', 'writable']);
  });
});

// Each kind of bad location for the scenario command, and one for every other command with such an
// option: exit 2, one line naming the option, no process started, nothing written.
const CASES: { command: string[]; option: string; bad: () => string; readOnly?: true }[] = [
  { command: ['scenario', 'single-thread', '--duration', '1'], option: 'out', bad: () => file },
  { command: ['scenario', 'single-thread', '--duration', '1'], option: 'out', bad: () => path.join(readOnlyDir, 'results'), readOnly: true },
  { command: ['scenario', 'single-thread', '--duration', '1'], option: 'out', bad: () => '/proc/ipc-lab-results' },
  { command: ['sweep', '--quick'], option: 'out', bad: () => '/proc/ipc-lab-results' },
  { command: ['faults', '--quick'], option: 'out', bad: () => '/proc/ipc-lab-results' },
  { command: ['bench', '--quick', '--out', 'see below'], option: 'report', bad: () => path.join(readOnlyDir, 'REPORT.md'), readOnly: true },
  { command: ['bench', '--quick', '--out', 'see below'], option: 'report', bad: () => '/sys/REPORT.md' },
  { command: ['report'], option: 'results', bad: () => file },
];

describe('bad locations on the command line', () => {
  it('every command refuses them before anything starts (exit 2, one line, no child process, nothing written)', async () => {
    // In parallel: each run is a bare CLI start-up, and they are independent.
    const runs = await Promise.all(
      CASES.filter((c) => readOnlyCases || !c.readOnly).map(async ({ command, option, bad }) => {
        let watcher: ReturnType<typeof watchDescendants> | undefined;
        const args = command.map((arg) => (arg === 'see below' ? path.join(writableDir, 'never') : arg));
        const run = await runCli([...args, `--${option}`, bad()], {
          timeoutMs: 30_000,
          ...(user ? { user } : {}),
          onSpawn: (pid) => (watcher = watchDescendants(pid, 50)),
        });
        return { label: `${command[0]} --${option} ${bad()}`, option, run, children: watcher?.stop() ?? [] };
      }),
    );
    for (const { label, option, run, children } of runs) {
      expect({ label, code: run.code, stdout: run.stdout, children }).toEqual({ label, code: 2, stdout: '', children: [] });
      expect(run.stderr.trim().split('\n')).toHaveLength(1);
      expect(run.stderr).toMatch(new RegExp(`^ipc-lab: --${option} must be `));
    }
    expect(await readFile(file, 'utf8')).toBe(FILE_TEXT);
    expect(await readdir(readOnlyDir)).toEqual([]);
    expect(await readdir(writableDir)).toEqual([]); // bench's --out was probed, then removed again
  });
});
