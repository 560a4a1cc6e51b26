// A run measured on several Node majors (`bench --node`): read from node-<major>/ folders, compared
// side by side in the report; a run of one version has no such section.
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { change, measuredOn, ranSteps, throughputByVersion, type VersionResults } from '../../src/report/by-version.js';
import { claimData } from '../../src/report/sections.js';
import { renderReport } from '../../src/report/report.js';
import { defaultRun, listRuns, loadRun } from '../../src/results/run-results.js';
import type { ScenarioResult, SweepResult } from '../../src/results/schema.js';

/** node-20/ and node-24/, each a sweep and fork-send; on 24 fork-json no longer times out at 64 MiB and chunked crashes there. */
const BY_NODE_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'results-by-node');
const RUN = '2026-03-03T12-00-00Z-e5f6';
const render = (input: Awaited<ReturnType<typeof loadRun>>): string =>
  renderReport(input, { resultsDirLabel: 'results', generatedAt: new Date('2026-03-04T00:00:00Z'), charts: [] });

function section(report: string, heading: string): string {
  const start = report.indexOf(`${heading}\n`);
  expect(start).toBeGreaterThanOrEqual(0);
  const next = report.indexOf('\n#', start + heading.length);
  return report.slice(start, next === -1 ? undefined : next).trim();
}

describe('reading a run of several Node majors', () => {
  it('finds it, and reads every major, lowest first; the report\'s main figures are the lowest major\'s', async () => {
    expect(await listRuns(BY_NODE_DIR)).toEqual([RUN]);
    expect(await defaultRun(BY_NODE_DIR, ['fork-send', 'sweep'])).toBe(RUN);
    const input = await loadRun(BY_NODE_DIR, RUN);
    expect(input.byNode.map((n) => [n.major, n.sweep?.file, [...n.scenarios.values()].map((l) => l.file)])).toEqual([
      [20, `${RUN}/node-20/sweep.json`, [`${RUN}/node-20/fork-send.json`]],
      [24, `${RUN}/node-24/sweep.json`, [`${RUN}/node-24/fork-send.json`]],
    ]);
    expect(input.sweep?.file).toBe(`${RUN}/node-20/sweep.json`);
    expect(input.scenarios.get('fork-send')?.result.env.node).toBe('v20.20.2');
    expect(input.unreadable).toEqual([]);
  });

  it('lists a results file beside the node-<major>/ folders as not used', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'by-node-'));
    try {
      await cp(BY_NODE_DIR, dir, { recursive: true });
      await cp(path.join(dir, RUN, 'node-24', 'sweep.json'), path.join(dir, RUN, 'sweep.json'));
      const input = await loadRun(dir, RUN);
      expect(input.unreadable).toEqual([`${RUN}/sweep.json: not used: this run keeps its results by Node major, in node-20/, node-24/`]);
      expect(input.sweep?.result.env.node).toBe('v20.20.2');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('the report of two versions, one of which had a transport fail', () => {
  let report: string;
  beforeAll(async () => {
    report = render(await loadRun(BY_NODE_DIR, RUN));
  });

  it('names the versions and how to reproduce them', () => {
    expect(section(report, '## By Node version').split('\n\n')[1]).toBe(
      'The same run (`npm run bench -- --node 20,24`) on v20.20.2, v24.21.0, each version\'s results in its own folder (`node-<major>/`): v20.20.2 ran 1 scenario, the sweep; v24.21.0 ran 1 scenario, the sweep. The sections above show v20.20.2. Last column: the change from the first version to the last.',
    );
    expect(report.indexOf('## By Node version')).toBeGreaterThan(report.indexOf('## Message-size sweep'));
    expect(report.indexOf('## By Node version')).toBeLessThan(report.indexOf('## Machine'));
  });

  it('shows every claim\'s verdict per version', () => {
    const table = section(report, '### The talk\'s claims').split('\n\n')[2]!.split('\n');
    expect(table[0]).toBe('| # | claim (the talk) | v20.20.2 | v24.21.0 |');
    expect(table).toHaveLength(2 + 8);
    expect(table[2]).toBe(
      '| 1 | `process.send` has a limit of about 8-20 KB | **does not hold**: fork-json: intact up to 16 MiB; first failure at 64 MiB (timeout: no reply within 30000 ms) | **does not hold**: fork-json: intact up to 64 MiB; no failure |',
    );
    expect(table[9]).toBe(
      '| 8 | a size-first chunked protocol works at any size | **holds**: chunked: intact up to 64 MiB; no failure | **partly**: chunked: intact up to 16 MiB; first failure at 64 MiB (crashed: peer exited with code 134) |',
    );
  });

  it('shows the failure points side by side', () => {
    expect(section(report, '### Sweep failure points')).toBe(
      [
        '### Sweep failure points',
        '',
        '| transport | v20.20.2 | v24.21.0 |',
        '| --- | --- | --- |',
        '| fork-json | **timeout** at 64 MiB | intact up to 64 MiB |',
        '| node-ipc | **timeout** at 16 MiB | **timeout** at 16 MiB |',
        '| naive-socket | **corrupted** at 256 KiB | **corrupted** at 256 KiB |',
        '| chunked | intact up to 64 MiB | **crashed** at 64 MiB |',
        '| raw-socket | intact up to 64 MiB | intact up to 64 MiB |',
      ].join('\n'),
    );
  });

  it('shows MB/s at 1 KiB, 1 MiB and 64 MiB with the change between versions, and a failure where there is no figure', () => {
    const rows = section(report, '### Sweep MB/s at 1 KiB, 1 MiB, 64 MiB').split('\n\n')[2]!.split('\n');
    expect(rows[0]).toBe('| transport | size | v20.20.2 MB/s | v24.21.0 MB/s | v20.20.2 → v24.21.0 |');
    expect(rows.filter((r) => r.startsWith('| fork-json ') || r.startsWith('| chunked ') || r.startsWith('| raw-socket | 1 KiB'))).toEqual([
      '| fork-json | 1 KiB | 1.90 | 2.80 | +47% |',
      '| fork-json | 1 MiB | 70.1 | 105 | +50% |',
      '| fork-json | 64 MiB | **timeout** | 74.6 | — |',
      '| chunked | 1 KiB | 3.10 | 3.10 | 0% |',
      '| chunked | 1 MiB | 560 | 560 | 0% |',
      '| chunked | 64 MiB | 712 | **crashed** | — |',
      '| raw-socket | 1 KiB | 4.10 | 4.50 | +10% |',
    ]);
    expect(rows).toHaveLength(2 + 5 * 3);
  });

  it('shows the HTTP thread\'s block per import', () => {
    expect(section(report, '### HTTP-thread blocking per import').split('\n\n')[2]).toBe(
      [
        '| scenario | v20.20.2 ms | v24.21.0 ms | v20.20.2 → v24.21.0 (median) |',
        '| --- | --- | --- | --- |',
        '| fork-send | 180 / 210 (3 imports) | 90.1 / 121 (3 imports) | -50% |',
      ].join('\n'),
    );
  });

  it('names the Node version above the main figures', () => {
    expect(report).toContain('Judged from the results of Node v20.20.2.');
    expect(section(report, '## Scenarios')).toContain('(kept = during imports / idle). Measured on Node v20.20.2.');
    expect(section(report, '## Message-size sweep')).toContain("— = size not planned. † = noisy: the margin of error of the samples' mean is above ±10 %. Measured on Node v20.20.2.");
  });
});

describe('a run of one version', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'by-node-'));
    await cp(path.join(BY_NODE_DIR, RUN, 'node-24'), path.join(dir, RUN, 'node-24'), { recursive: true });
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('renders without the by-version section, naming its version where its figures are', async () => {
    const input = await loadRun(dir, RUN);
    expect(input.byNode.map((n) => n.major)).toEqual([24]);
    const report = render(input);
    expect(report).not.toContain('By Node version');
    expect(report).toContain('Judged from the results of Node v24.21.0.');
    expect(section(report, '## Message-size sweep')).toContain('Measured on Node v24.21.0.');
    expect(report).toContain(`# results/${RUN}/node-24/sweep.json`);
  });

  it('and a run whose files lie directly in the run directory likewise', async () => {
    await cp(path.join(dir, RUN, 'node-24'), path.join(dir, 'flat-run'), { recursive: true });
    await writeFile(path.join(dir, 'flat-run', 'notes.txt'), 'not a result');
    const report = render(await loadRun(dir, 'flat-run'));
    expect(report).not.toContain('By Node version');
    expect(report).toContain('# results/flat-run/sweep.json');
  });
});

describe('a quick run (sweeps up to 16 MiB)', () => {
  it('leaves out the compared sizes no sweep planned, and says so', async () => {
    const input = await loadRun(BY_NODE_DIR, RUN);
    const versions: VersionResults[] = input.byNode.map((n) => {
      const { scenarios, sweep } = claimData(n);
      for (const t of sweep!.transports) t.points = t.points.filter((p) => p.sizeBytes < 64 * 1024 * 1024);
      return { node: `v${n.major}`, scenarios, sweep, verdicts: [] };
    });
    const text = throughputByVersion(versions);
    expect(text).not.toContain('| 64 MiB |');
    expect(text.split('\n').filter((line) => line.startsWith('| chunked '))).toEqual(['| chunked | 1 KiB | 3.10 | 3.10 | 0% |', '| chunked | 1 MiB | 560 | 560 | 0% |']);
    expect(text.endsWith('\n\nNot in these sweeps: 64 MiB.')).toBe(true);
    for (const v of versions) v.sweep = null;
    expect(throughputByVersion(versions)).toBe('No sweep measured 1 KiB, 1 MiB, 64 MiB.');
  });
});

describe('pure helpers', () => {
  it('change: the percentage from the first figure to the last, — without both', () => {
    expect(change(100, 150)).toBe('+50%');
    expect(change(100, 49.6)).toBe('-50%');
    expect(change(3.1, 3.1)).toBe('0%');
    expect(change(null, 2)).toBe('—');
    expect(change(0, 2)).toBe('—');
  });

  it('measuredOn: one version, or each version with what it measured', () => {
    expect(measuredOn([])).toBeNull();
    expect(measuredOn([{ name: 'sweep', node: 'v20.20.2' }, { name: 'cluster', node: 'v20.20.2' }])).toBe('Node v20.20.2');
    expect(measuredOn([{ name: 'sweep', node: 'v20.20.2' }, { name: 'chunked', node: 'v24.21.0' }, { name: 'cluster', node: 'v20.20.2' }])).toBe(
      'Node v20.20.2 (cluster, sweep), v24.21.0 (chunked)',
    );
  });

  it('ranSteps: what a version\'s folder holds, a sweep that did not complete named as such', () => {
    const scenario = { state: 'completed' } as unknown as ScenarioResult;
    const sweep = (state: string): SweepResult => ({ state }) as unknown as SweepResult;
    const version = (v: Partial<VersionResults>): VersionResults => ({ node: 'v22.1.0', scenarios: new Map(), sweep: null, verdicts: [], ...v });
    const two = new Map([['cluster', scenario], ['fork-send', scenario]]);
    expect(ranSteps(version({ scenarios: two, sweep: sweep('completed'), faults: true }))).toBe('2 scenarios, the sweep, the faults');
    expect(ranSteps(version({ scenarios: new Map([['cluster', scenario]]), sweep: sweep('errored') }))).toBe('1 scenario, the sweep (errored)');
    expect(ranSteps(version({}))).toBe('no results');
  });
});
