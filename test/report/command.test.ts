import { execFile } from 'node:child_process';
import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compiledEntry } from '../../src/paths.js';
import { FIXTURES_DIR, RUN_B } from './builders.js';

const run = promisify(execFile);

describe('ipc-lab report (compiled CLI)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'ipc-lab-report-cli-'));
    await cp(FIXTURES_DIR, path.join(dir, 'results'), { recursive: true });
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes the report from --results into --report', async () => {
    const report = path.join(dir, 'REPORT.md');
    const { stdout } = await run(process.execPath, [compiledEntry('cli.js'), 'report', '--results', path.join(dir, 'results'), '--report', report], { cwd: dir });
    expect(stdout).toBe(`wrote REPORT.md (run ${RUN_B}) and charts in results/charts\n`);
    expect(await readFile(report, 'utf8')).toContain("## The talk's claims against the measurements");
  });

  it('rejects a --run that is no run directory with exit code 2 and one line', async () => {
    const error = await run(process.execPath, [compiledEntry('cli.js'), 'report', '--results', path.join(dir, 'results'), '--run', 'nope'], { cwd: dir }).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 2,
      stderr: `ipc-lab: --run must name a run directory with results in ${path.join(dir, 'results')} (got "nope"; newest: 2026-03-03T08-00-00Z-c9d4) (see --help)\n`,
    });
  });

  it('rejects a results directory that does not exist with exit code 2 and one line', async () => {
    const error = await run(process.execPath, [compiledEntry('cli.js'), 'report', '--results', 'no-such-dir'], { cwd: dir }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 2, stderr: 'ipc-lab: --results must be an existing, writable directory (got "no-such-dir": no such directory) (see --help)\n' });
  });
});
