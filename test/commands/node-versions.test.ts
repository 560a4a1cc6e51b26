// bench --node: the majors it accepts, the steps it runs, and where each major's results go.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { benchSteps, stepsByVersion } from '../../src/commands/bench.js';
import { parseNodeMajors, runningMajor, SUPPORTED_NODE_MAJORS } from '../../src/commands/node-versions.js';
import { projectRoot } from '../../src/paths.js';
import { nodeDirMajor, nodeDirName, resultPath } from '../../src/results/store.js';
import { runCli } from '../helpers/cli.js';

const outDir = mkdtempSync(path.join(os.tmpdir(), 'node-versions-'));
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

describe('--node majors', () => {
  it('keeps the order given, each major once', () => {
    expect(parseNodeMajors('24,20,24')).toEqual([24, 20]);
    expect(parseNodeMajors(' 22 ')).toEqual([22]);
  });

  it.each(['18', '20,21', 'latest', '', '24.1'])('rejects "%s" naming the majors it accepts', (raw) => {
    expect(() => parseNodeMajors(raw)).toThrow(`--node accepts a comma-separated list of: 20, 22, 24 (got "${raw}")`);
  });

  it('are the majors scripts/node-cache.sh and scripts/on-node.sh install', () => {
    for (const script of ['node-cache.sh', 'on-node.sh']) {
      const text = readFileSync(path.join(projectRoot, 'scripts', script), 'utf8');
      expect(/^SUPPORTED_MAJORS="([\d ]+)"$/m.exec(text)?.[1]?.split(' ')).toEqual([...SUPPORTED_NODE_MAJORS]);
    }
  });

  it('runningMajor reads a version string', () => {
    expect(runningMajor('v24.21.0')).toBe(24);
    expect(runningMajor(process.version)).toBe(Number(process.versions.node.split('.')[0]));
  });
});

describe('a run of several majors', () => {
  it('runs every bench step once per major (the faults once), interleaved, on that major\'s node, into node-<major>/', () => {
    const steps = stepsByVersion(benchSteps(true, '/r', 'run-1'), [
      { major: 24, node: '/cache/24/node' },
      { major: 20, node: '/usr/bin/node' },
    ]);
    const sweeps = steps.filter((s) => s.label.endsWith('sweep'));
    expect(sweeps).toEqual([
      { label: 'node 24: sweep', args: ['sweep', '--quick', '--out', '/r', '--run-id', 'run-1', '--by-node'], node: '/cache/24/node' },
      { label: 'node 20: sweep', args: ['sweep', '--quick', '--out', '/r', '--run-id', 'run-1', '--by-node'], node: '/usr/bin/node' },
    ]);
    // Every step on both majors but the faults, which run once, on the lowest major.
    expect(steps).toHaveLength(2 * benchSteps(true, '/r', 'run-1').length - 1);
    expect(steps.filter((s) => s.label.endsWith('faults')).map((s) => [s.label, s.node])).toEqual([['node 20: faults', '/usr/bin/node']]);
    expect(steps.slice(0, 4).map((s) => s.label)).toEqual([
      'node 24: scenario single-thread',
      'node 20: scenario single-thread',
      'node 24: scenario cluster',
      'node 20: scenario cluster',
    ]);
    expect(steps.every((s) => s.args.at(-1) === '--by-node')).toBe(true);
  });

  it('names and reads the folder of one major', () => {
    expect(nodeDirName('v22.23.3')).toBe('node-22');
    expect(nodeDirMajor('node-22')).toBe(22);
    expect(nodeDirMajor('sweep.json')).toBeNull();
    expect(nodeDirMajor('node-')).toBeNull();
    expect(resultPath('/r', 'run-1', 'sweep', 'node-24')).toBe(path.join('/r', 'run-1', 'node-24', 'sweep.json'));
    expect(resultPath('/r', 'run-1', 'sweep')).toBe(path.join('/r', 'run-1', 'sweep.json'));
  });

  it('sweep --by-node writes into node-<major>/ of the run, recording that major', async () => {
    const run = await runCli(['sweep', '--transports', 'raw-socket', '--sizes', '1KiB', '--repeat', '1', '--out', outDir, '--run-id', 'run-1', '--by-node']);
    expect(run.code).toBe(0);
    const folder = nodeDirName(process.version);
    expect(readdirSync(path.join(outDir, 'run-1'))).toEqual([folder]);
    const written = JSON.parse(readFileSync(path.join(outDir, 'run-1', folder, 'sweep.json'), 'utf8')) as { runId: string; env: { node: string } };
    expect(written.runId).toBe('run-1');
    expect(written.env.node).toBe(process.version);
  });

  it('bench --node with a bad major: one line, exit 2, nothing measured', async () => {
    const run = await runCli(['bench', '--node', '20,18', '--out', path.join(outDir, 'never')]);
    expect(run).toMatchObject({ code: 2, stdout: '' });
    expect(run.stderr).toBe('ipc-lab: --node accepts a comma-separated list of: 20, 22, 24 (got "20,18") (see --help)\n');
    expect(existsSync(path.join(outDir, 'never'))).toBe(false);
  });
});
