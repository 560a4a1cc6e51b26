// The scripts' argument checks: one line naming what they accept, exit code 2, nothing installed.
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/paths.js';

// A copy of scripts/ in an empty project folder: a check that let an install through would leave
// .cache/ there (and could not spoil the real cache).
const project = mkdtempSync(path.join(os.tmpdir(), 'on-node-test-'));
cpSync(path.join(projectRoot, 'scripts'), path.join(project, 'scripts'), { recursive: true });
afterAll(() => rmSync(project, { recursive: true, force: true }));

interface ScriptRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runScript(name: string, args: string[]): Promise<ScriptRun> {
  return new Promise((resolve) => {
    execFile('bash', [path.join(project, 'scripts', name), ...args], { timeout: 10_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr });
    });
  });
}

const USAGE = 'usage: scripts/on-node.sh <20|22|24> <command> [args...]';

describe('scripts/on-node.sh', () => {
  it.each([
    ['an unsupported major', ['18', 'sweep'], '"18"'],
    ['a major that is not a number', ['latest', 'sweep'], '"latest"'],
    ['a list of majors', ['20,24', 'sweep'], '"20,24"'],
    ['no major', [], '""'],
  ])('%s: one line naming the supported majors, exit 2', async (_label, args, got) => {
    const run = await runScript('on-node.sh', args);
    expect(run).toEqual({ code: 2, stdout: '', stderr: `on-node.sh: <major> must be one of 20, 22, 24 (got ${got}); ${USAGE}\n` });
    expect(existsSync(path.join(project, '.cache'))).toBe(false);
  });

  it('a major without a command: one line naming what it accepts, exit 2, nothing installed', async () => {
    const run = await runScript('on-node.sh', ['22']);
    expect(run).toEqual({
      code: 2,
      stdout: '',
      stderr: `on-node.sh: missing <command>: an ipc-lab command (scenario, sweep, report, bench, ...); ${USAGE}\n`,
    });
    expect(existsSync(path.join(project, '.cache'))).toBe(false);
  });
});

describe('scripts/node-cache.sh', () => {
  it('a bad major: one line, exit 2, no path on stdout', async () => {
    const run = await runScript('node-cache.sh', ['2x']);
    expect(run).toEqual({ code: 2, stdout: '', stderr: 'node-cache.sh: <major> must be one of 20, 22, 24 (got "2x")\n' });
    expect(existsSync(path.join(project, '.cache'))).toBe(false);
  });
});
