import { cp, mkdtemp, readFile, readdir, rm, writeFile, mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generateReport } from '../../src/commands/report.js';
import { END_MARKER, START_MARKER, spliceGenerated } from '../../src/report/markers.js';
import { FIXTURES_DIR, RUN_A, RUN_B, RUN_C } from './builders.js';

describe('spliceGenerated', () => {
  it('replaces only the text between the markers', () => {
    const existing = `# Title\n\nMy analysis.\n\n${START_MARKER}\nold\n${END_MARKER}\n\n## Notes\n\nkept\n`;
    expect(spliceGenerated(existing, 'new')).toBe(`# Title\n\nMy analysis.\n\n${START_MARKER}\nnew\n${END_MARKER}\n\n## Notes\n\nkept\n`);
  });
  it('appends a block to a report without markers, and refuses ambiguous markers', () => {
    expect(spliceGenerated('# Mine\n', 'gen')).toBe(`# Mine\n\n${START_MARKER}\ngen\n${END_MARKER}\n`);
    expect(() => spliceGenerated(`${START_MARKER}\nno end\n`, 'x')).toThrow(/exactly one/);
    expect(() => spliceGenerated(`${END_MARKER}\n${START_MARKER}\n`, 'x')).toThrow(/exactly one/);
    expect(() => spliceGenerated(`${START_MARKER}${END_MARKER}${START_MARKER}${END_MARKER}`, 'x')).toThrow(/exactly one/);
  });
});

describe('generateReport', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'ipc-lab-report-'));
    await cp(FIXTURES_DIR, path.join(dir, 'results'), { recursive: true });
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes REPORT.md and charts, keeps hand-written text, and changes only the timestamp on regeneration', async () => {
    const report = path.join(dir, 'REPORT.md');
    const results = path.join(dir, 'results');
    await generateReport(results, report, { now: new Date('2026-03-03T00:00:00Z') });
    const first = await readFile(report, 'utf8');
    expect(first).toContain('| 2 | Linux has a 64 KB message size limit |');
    expect(first).toContain('![cluster: latency over time](results/charts/timeline-cluster.png)');
    expect(first).toContain('- node-ipc: no timeline (errored: node-ipc client did not connect within 10000 ms)');
    expect(first).toContain('npm run report   # this section and the charts');
    expect(first).toContain(`from run \`${RUN_B}\` (the files in \`results/${RUN_B}/\`) at 2026-03-03T00:00:00.000Z.`);

    const edited = `# Our report\n\nWritten by hand above.\n\n${first.slice(first.indexOf(START_MARKER))}\nWritten by hand below.\n`;
    await writeFile(report, edited);
    const chartsBefore = await readCharts(path.join(results, 'charts'));
    await generateReport(results, report, { now: new Date('2026-04-01T12:00:00Z') });
    const second = await readFile(report, 'utf8');
    expect(second.startsWith('# Our report\n\nWritten by hand above.\n\n')).toBe(true);
    expect(second.endsWith('\nWritten by hand below.\n')).toBe(true);
    expect(second.replace('2026-04-01T12:00:00.000Z', '2026-03-03T00:00:00.000Z')).toBe(edited);
    // Charts are byte-identical too, so committed charts do not churn.
    expect(await readCharts(path.join(results, 'charts'))).toEqual(chartsBefore);
  });

  it('reads one run: a newer ad-hoc run leaves the report as it was; --run shows the run it names', async () => {
    const report = path.join(dir, 'REPORT.md');
    const results = path.join(dir, 'results');
    const now = new Date('2026-03-03T00:00:00Z');
    await generateReport(results, report, { now });
    const before = await readFile(report, 'utf8');
    // What `npm run scenario single-thread` does: a new run directory with one result.
    await mkdir(path.join(results, '2026-03-04T08-00-00Z-d0d0'));
    await cp(path.join(results, RUN_C, 'single-thread.json'), path.join(results, '2026-03-04T08-00-00Z-d0d0', 'single-thread.json'));
    await generateReport(results, report, { now });
    expect(await readFile(report, 'utf8')).toBe(before);

    await generateReport(results, report, { now, runId: RUN_A });
    const older = await readFile(report, 'utf8');
    expect(older).toContain(`from run \`${RUN_A}\``);
    expect(older).toContain('- Scenarios: 1 completed, 0 errored, 7 without a result (single-thread, fork-send, node-ipc, buffer-zlib, chunked, worker-pool, queue).');
    expect(older).toContain(`# results/${RUN_A}/cluster.json`);
    expect(older).not.toContain(RUN_B);
  });

  it('reports an empty results directory as missing everything, and lists unreadable files', async () => {
    const results = path.join(dir, 'empty');
    await mkdir(path.join(results, 'run-1'), { recursive: true });
    await writeFile(path.join(results, 'run-1', 'broken.json'), '{"schemaVersion": 99}');
    const report = path.join(dir, 'EMPTY.md');
    await generateReport(results, report, { now: new Date('2026-03-03T00:00:00Z') });
    const text = await readFile(report, 'utf8');
    expect(text).toContain('- Scenarios: 0 completed, 0 errored, 8 without a result (single-thread, cluster, fork-send, node-ipc, buffer-zlib, chunked, worker-pool, queue).');
    expect(text).toContain('- Sweep: no result.');
    expect(text).toContain("- The talk's claims: 0 hold, 0 partly, 0 do not hold, 8 without data.");
    expect(text).toContain('- run-1/broken.json: schemaVersion 99, expected one of 1, 2, 3');
    expect(await readdir(path.join(results, 'charts'))).toEqual(['capacity.png', 'event-loop.png', 'latency-percentiles.png']);
  });
});

async function readCharts(chartsDir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const name of (await readdir(chartsDir)).sort()) out[name] = (await readFile(path.join(chartsDir, name))).toString('base64');
  return out;
}
