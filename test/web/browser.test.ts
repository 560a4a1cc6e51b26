// The workshop and REPORT.html in a real browser: Debian's Chromium driven by playwright-core.
// Skipped (with the reason printed) where Chromium is missing; under CI=true a missing browser fails.
import { cp, mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scenarios } from '../../scenarios/index.js';
import { runCli } from '../helpers/cli.js';
import { browserTestsRequired, chromiumOrSkip, launchChromium, SCREENSHOT_DIR, type Browser } from '../helpers/chromium.js';
import { request, startUrlCommand, type RunningWorkshop } from '../helpers/workshop.js';

// What the page functions below touch in the browser (this project's types have no DOM library).
interface PageCanvas {
  width: number;
  clientWidth: number;
  getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> } } | null;
}
interface PageChart {
  canvas: PageCanvas;
  scales: { x: { getPixelForValue(v: number): number } };
  chartArea: { bottom: number };
}
interface PageWorkshop {
  stats: { requests: number; runsEnded: number; importsEnded: number; sweepPoints: number; [key: string]: unknown };
  view: { importWindows: { startMs: number; endMs: number }[] };
  charts: { latency: PageChart; sweep: { data: { datasets: { label: string; data: { x: number }[] }[] } } };
}
interface ListedLine {
  text: string | null;
  runsEnded: number;
}
declare const window: { workshop: PageWorkshop; sweepLines: ListedLine[] };
type AddedNodes = { addedNodes: ArrayLike<{ textContent: string | null }> }[];
declare const MutationObserver: new (callback: (records: AddedNodes) => void) => { observe(target: unknown, options: { childList: boolean }): void };
declare const document: {
  images: ArrayLike<{ complete: boolean; naturalWidth: number; src: string; scrollIntoView(): void }>;
  getElementById(id: string): { textContent: string | null } | null;
};

const chromium = chromiumOrSkip();
const skip = chromium === null && !browserTestsRequired;

// A run of about 4 s with an import of about a second: long enough to see the freeze, short enough for CI.
const RUN_OPTIONS = { '--duration': '2', '--warmup': '0.5', '--rate': '20', '--records': '6000', '--imports': '1', '--capacity': '0' };

/** Console errors, uncaught page errors, failed requests and HTTP errors seen by a page. */
function watchProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('requestfailed', (req) => problems.push(`request failed: ${req.url()} ${req.failure()?.errorText ?? ''}`));
  page.on('response', (res) => {
    if (res.status() >= 400) problems.push(`HTTP ${res.status()}: ${res.url()}`);
  });
  return problems;
}

async function runFromPage(page: Page, scenario: string): Promise<void> {
  await page.click(`nav button[data-choice="${scenario}"]`);
  for (const [name, value] of Object.entries(RUN_OPTIONS)) await page.fill(`#step-form input[name="${name.slice(2)}"]`, value);
  await page.click('#start');
}

/** The latency chart's pixel in the middle of the first import window, near the bottom (no data there). */
function importWindowPixel(page: Page): Promise<number[]> {
  return page.evaluate(() => {
    const w = window.workshop;
    const win = w.view.importWindows[0]!;
    const chart = w.charts.latency;
    const ratio = chart.canvas.width / chart.canvas.clientWidth;
    const x = chart.scales.x.getPixelForValue((win.startMs + win.endMs) / 2000);
    const y = chart.chartArea.bottom - 3;
    return Array.from(chart.canvas.getContext('2d')?.getImageData(Math.round(x * ratio), Math.round(y * ratio), 1, 1).data ?? []);
  });
}

describe.skipIf(skip)('in Chromium', () => {
  let browser: Browser;
  let outDir: string;
  let workshop: RunningWorkshop;

  beforeAll(async () => {
    await mkdir(SCREENSHOT_DIR, { recursive: true });
    outDir = await mkdtemp(path.join(os.tmpdir(), 'ipc-lab-browser-'));
    workshop = await startUrlCommand(['workshop', '--port', '0', '--out', outDir]);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await workshop?.stop();
    await rm(outDir, { recursive: true, force: true });
  });

  it('workshop: single-thread then fork-send, seen live, summaries and the comparison', async () => {
    const page = await browser.context.newPage();
    const problems = watchProblems(page);
    await page.goto(workshop.urlWithToken);
    await page.waitForSelector('nav button[data-choice="single-thread"]');
    // The talk's six in its order, then the scenarios beyond it (worker-pool, ...), then the sweep.
    expect(await page.locator('nav li').allTextContents()).toEqual([
      '1. single-thread',
      '2. cluster',
      '3. fork-send',
      '4. node-ipc',
      '5. buffer-zlib',
      '6. chunked',
      ...scenarios.filter((s) => s.talkIteration === null).map((s) => s.id),
      'the sweep',
    ]);
    expect(scenarios.filter((s) => s.talkIteration === null).map((s) => s.id)).toContain('worker-pool');

    await runFromPage(page, 'single-thread');
    // Points arrive while the run is still going, not at its end.
    await page.waitForFunction(() => {
      const s = window.workshop.stats;
      return s.requests > 0 && s.runsEnded === 0;
    }, undefined, { timeout: 60_000 });
    // The import window, once the import has ended (so its extent is final), before the run ends.
    await page.waitForFunction(() => {
      const s = window.workshop.stats;
      return s.importsEnded === 1 && s.runsEnded === 0;
    }, undefined, { timeout: 60_000 });
    await page.waitForTimeout(400); // one redraw
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'workshop-single-thread-live.png'), fullPage: true });
    const [r, g, b] = await importWindowPixel(page);
    // Grey shade over white: about 224 in each channel, not white, not coloured.
    expect(r).toBeLessThan(245);
    expect(Math.max(r!, g!, b!) - Math.min(r!, g!, b!)).toBeLessThan(12);

    await page.waitForFunction(() => window.workshop.stats.runsEnded === 1, undefined, { timeout: 60_000 });
    const summary = await page.textContent('#summary');
    expect(summary).toMatch(/^single-thread \(run [\w-]+\)\n/);
    expect(summary).toContain('During imports');
    expect(summary).toMatch(/Result file: .+single-thread\.json$/);
    const stats = await page.evaluate(() => window.workshop.stats);
    expect(stats).toMatchObject({ state: 'completed', importsStarted: 1, importsEnded: 1 });
    expect(stats.loopSamples).toBeGreaterThan(0);
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'workshop-single-thread-done.png'), fullPage: true });

    await runFromPage(page, 'fork-send');
    await page.waitForFunction(() => window.workshop.stats.runsEnded === 2, undefined, { timeout: 60_000 });
    const rows = await page.locator('#comparison tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.children].slice(0, 3).map((td) => td.textContent)));
    expect(rows.map(([scenario, , state]) => [scenario, state])).toEqual([
      ['single-thread', 'completed'],
      ['fork-send', 'completed'],
    ]);
    for (const [, runId] of rows) expect(await readdir(path.join(outDir, runId!))).toHaveLength(1);
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'workshop-fork-send-and-comparison.png'), fullPage: true });
    expect(problems).toEqual([]);
    await page.close();
  });

  it('workshop: the sweep from the page, each warm-sampled point drawn as it is measured', async () => {
    const page = await browser.context.newPage();
    const problems = watchProblems(page);
    await page.goto(workshop.urlWithToken);
    await page.click('nav button[data-choice="sweep"]');
    await page.fill('#step-form input[name="transports"]', 'raw-socket,fork-json');
    await page.fill('#step-form input[name="sizes"]', '1KiB,64KiB');
    const runsBefore = await page.evaluate(() => window.workshop.stats.runsEnded);
    // Each point's line as it lands, with the runs ended by then: noted in the page itself, since
    // polling from here can miss a short sweep's last moments before its end (then it waited 60 s).
    await page.evaluate(() => {
      const seen: ListedLine[] = (window.sweepLines = []);
      new MutationObserver((records) => {
        for (const r of records) for (const node of Array.from(r.addedNodes)) seen.push({ text: node.textContent, runsEnded: window.workshop.stats.runsEnded });
      }).observe(document.getElementById('sweep-points'), { childList: true });
    });
    await page.click('#start');
    await page.waitForFunction((before) => window.workshop.stats.runsEnded === before + 1, runsBefore, { timeout: 60_000 });
    // Every point was listed, with its warm figures in words, as it was measured: each of the first three
    // before the sweep ended. Events reach the page in batches (every 100 ms), and the observer hears of a
    // batch's lines after all of it is handled: the last point can share its batch with the end.
    const lines = await page.evaluate(() => window.sweepLines);
    expect(lines).toHaveLength(4);
    expect(lines.slice(0, 3).map((l) => l.runsEnded)).toEqual([runsBefore, runsBefore, runsBefore]);
    expect([runsBefore, runsBefore + 1]).toContain(lines[3]?.runsEnded);
    expect(lines[0]?.text).toMatch(/^raw-socket at 1\.0 KiB: [\d.]+ MB\/s, warm round trip [\d.]+ ms \(p10-p90 [\d.]+-[\d.]+\) over \d+ samples, cold first [\d.]+ ms/);
    const drawn = await page.evaluate(() => window.workshop.charts.sweep.data.datasets.map((d) => [d.label, d.data.map((p) => p.x)]));
    expect(drawn).toEqual([
      ['raw-socket', [1024, 65536]],
      ['fork-json', [1024, 65536]],
    ]);
    expect(await page.evaluate(() => window.workshop.stats.state)).toBe('completed');
    expect(await page.locator('#sweep-points li').count()).toBe(4);
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'workshop-sweep.png'), fullPage: true });
    expect(problems).toEqual([]);
    await page.close();
  });

  it('refuses a start from another site open in the same browser, and from its own page without the token', async () => {
    const foreign = http.createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<!doctype html><title>another site</title>');
    });
    await new Promise<void>((resolve) => foreign.listen(0, '127.0.0.1', resolve));
    const finishedBefore = ((await request(workshop.base, '/api/state')).json() as { finished: unknown[] }).finished.length;
    try {
      const page = await browser.context.newPage();
      await page.goto(`http://127.0.0.1:${(foreign.address() as AddressInfo).port}/`);
      const attempts = await page.evaluate(
        async ([base, token]) => {
          const body = JSON.stringify({ kind: 'scenario', scenario: 'single-thread' });
          const outcome = (p: Promise<Response>) => p.then((r) => `HTTP ${r.status}`, (e: Error) => `blocked: ${e.name}`);
          return [
            // Even with the token (leaked), a cross-site request is refused: its preflight gets a 403.
            await outcome(fetch(`${base}api/runs`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-workshop-token': token! }, body })),
            // A "simple" request needs no preflight and reaches the server, which refuses its Origin.
            await outcome(fetch(`${base}api/runs`, { method: 'POST', mode: 'no-cors', body })),
            await outcome(fetch(`${base}api/state`)),
          ];
        },
        [workshop.base, workshop.token] as const,
      );
      expect(attempts).toEqual(['blocked: TypeError', 'HTTP 0', 'blocked: TypeError']);

      const own = await browser.context.newPage();
      await own.goto(workshop.base); // no token in the URL
      await own.waitForSelector('nav button[data-choice="single-thread"]');
      expect(await own.textContent('#access')).toBe('read-only: open the URL the workshop printed (it carries the token) to start runs');
      expect(await own.isDisabled('#start')).toBe(true);
      const reply = await own.evaluate(async () => {
        const r = await fetch('/api/runs', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ kind: 'scenario', scenario: 'single-thread' }) });
        return { status: r.status, body: await r.json() };
      });
      expect(reply).toEqual({ status: 403, body: { error: 'missing or wrong x-workshop-token: open the URL the workshop printed (it carries the token)' } });
      const state = (await request(workshop.base, '/api/state')).json() as { current: unknown; finished: unknown[] };
      expect(state.current).toBeNull();
      expect(state.finished).toHaveLength(finishedBefore);
      await page.close();
      await own.close();
    } finally {
      await new Promise<void>((resolve) => {
        foreign.close(() => resolve());
        foreign.closeAllConnections(); // the browser keeps its connection alive
      });
    }
  });

  it('REPORT.html opens from disk with the network off and shows every chart', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'ipc-lab-html-'));
    const offline = await launchChromium({ offline: true });
    try {
      const results = path.join(dir, 'results');
      await cp(path.join(import.meta.dirname, '..', 'fixtures', 'results'), results, { recursive: true });
      const report = path.join(dir, 'REPORT.md');
      const run = await runCli(['report', '--results', results, '--report', report, '--html']);
      expect(run.code).toBe(0);
      const charts = (await readdir(path.join(results, 'charts'))).filter((f) => f.endsWith('.png'));
      // The HTML stands alone: without the results directory beside it, it still has every chart.
      await rm(results, { recursive: true });

      const page = await offline.context.newPage();
      const problems = watchProblems(page);
      const requested: string[] = [];
      page.on('request', (req) => requested.push(req.url().slice(0, 40)));
      await page.goto(`file://${path.join(dir, 'REPORT.html')}`);
      const images = await page.evaluate(() => Array.from(document.images).map((img) => ({ ok: img.complete && img.naturalWidth > 0, src: img.src.slice(0, 22) })));
      expect(images).toHaveLength(charts.length);
      expect(images.every((img) => img.ok && img.src === 'data:image/png;base64,')).toBe(true);
      expect(await page.locator('h2').first().textContent()).toBe('Summary');
      expect(await page.locator('table').count()).toBeGreaterThanOrEqual(4);
      expect(requested.filter((url) => !url.startsWith('data:'))).toEqual([`file://${path.join(dir, 'REPORT.html')}`.slice(0, 40)]);
      expect(problems).toEqual([]);
      const data = await page.evaluate(() => JSON.parse(document.getElementById('ipc-lab-results')?.textContent ?? 'null') as { scenarios: Record<string, unknown> });
      expect(Object.keys(data.scenarios).sort()).toEqual(['buffer-zlib', 'chunked', 'cluster', 'fork-send', 'node-ipc', 'single-thread']);
      await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'report-html.png'), fullPage: false });
      await page.evaluate(() => Array.from(document.images).at(-1)?.scrollIntoView());
      await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'report-html-timeline.png'), fullPage: false });
    } finally {
      await offline.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

if (skip) {
  describe('in Chromium', () => {
    it.skip('skipped: Chromium not found (apt-get install -y chromium, or set IPC_LAB_CHROMIUM)', () => {});
  });
}
