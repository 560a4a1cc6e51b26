// The workshop end to end, through its HTTP API as any client (or attacker) sees it: the compiled
// CLI on a free port, real runs as child processes, results files, refusals, stop, Ctrl-C.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scenarioIds } from '../../scenarios/index.js';
import { readResult } from '../../src/results/store.js';
import { chartJsBrowserBuild } from '../../src/web/static-files.js';
import { waitAllGone, watchDescendants } from '../helpers/processes.js';
import { collectEvents, request, startUrlCommand, type RunningWorkshop } from '../helpers/workshop.js';

const SHORT = { duration: '1', warmup: '0', rate: '20', records: '2000', imports: '1', work: '300', capacity: '0' };
const LONG = { ...SHORT, duration: '30' };

let outDir: string;
let workshop: RunningWorkshop;
let watcher: ReturnType<typeof watchDescendants>;

type Event = { type: string; [key: string]: unknown };
const ended = (events: Event[]): boolean => events.some((e) => e.type === 'run-ended');
const reached = (runId: string, phase: string) => (events: Event[]): boolean =>
  events.some((e) => e.type === 'run-event' && e.runId === runId && (e.event as { type: string; phase?: string }).phase === phase);

beforeAll(async () => {
  outDir = await mkdtemp(path.join(os.tmpdir(), 'ipc-lab-workshop-'));
  workshop = await startUrlCommand(['workshop', '--port', '0', '--out', outDir]);
  watcher = watchDescendants(workshop.child.pid!);
});
afterAll(async () => {
  watcher?.stop();
  await workshop?.stop();
  await rm(outDir, { recursive: true, force: true });
});

function start(body: unknown, headers: Record<string, string> = {}) {
  return request(workshop.base, '/api/runs', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-workshop-token': workshop.token, ...headers },
    body: JSON.stringify(body),
  });
}

describe('workshop (HTTP)', () => {
  it('prints a loopback URL with a token and serves the page, Chart.js from the package and the catalog', async () => {
    expect(workshop.urlWithToken).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{32}$/);
    const page = await request(workshop.base, '/');
    expect(page.status).toBe(200);
    expect(page.body).toContain('<script src="/vendor/chart.umd.min.js"></script>');
    const chart = await request(workshop.base, '/vendor/chart.umd.min.js');
    expect(chart.body).toBe(await readFile(chartJsBrowserBuild(), 'utf8'));
    const catalog = (await request(workshop.base, '/api/catalog')).json() as { mode: string; scenarios: { id: string; colour: string }[] };
    expect(catalog.mode).toBe('workshop');
    expect(catalog.scenarios.map((s) => s.id)).toEqual(scenarioIds());
    expect(catalog.scenarios[0]).toMatchObject({ id: 'single-thread', colour: '#d62728' });
    expect((await request(workshop.base, '/nope')).status).toBe(404);
    expect((await request(workshop.base, '/api/runs')).status).toBe(405);
    expect((await request(workshop.base, '/../package.json')).status).toBe(404);
  });

  it('refuses starts without the token, from a foreign Origin or Host, and bad input, with nothing started', async () => {
    const body = { kind: 'scenario', scenario: 'single-thread', options: SHORT };
    const noToken = await start(body, { 'x-workshop-token': '' });
    expect(noToken.status).toBe(403);
    expect(noToken.json()).toEqual({ error: 'missing or wrong x-workshop-token: open the URL the workshop printed (it carries the token)' });
    expect((await start(body, { 'x-workshop-token': `${workshop.token}x` })).status).toBe(403);
    const foreign = await start(body, { origin: 'http://evil.example' });
    expect(foreign.status).toBe(403);
    expect(foreign.json()).toEqual({ error: 'foreign Origin "http://evil.example": only pages served by the workshop itself may call it' });
    expect((await start(body, { host: 'evil.example' })).status).toBe(421);
    expect((await request(workshop.base, '/api/state', { headers: { host: 'rebound.example:80' } })).status).toBe(421);
    const stop = await request(workshop.base, '/api/stop', { method: 'POST', headers: { origin: 'http://evil.example', 'x-workshop-token': workshop.token } });
    expect(stop.status).toBe(403);
    const bad = await start({ kind: 'scenario', scenario: 'single-thread', options: { duration: 'abc' } });
    expect(bad.status).toBe(400);
    expect(bad.json()).toEqual({ error: '--duration must be a number from 1 to 3600 (got "abc")' });
    expect((await request(workshop.base, '/api/runs', { method: 'POST', headers: { 'content-type': 'application/json', 'x-workshop-token': workshop.token }, body: '{' })).status).toBe(400);
    expect((await request(workshop.base, '/api/runs', { method: 'POST', headers: { 'content-type': 'text/plain', 'x-workshop-token': workshop.token }, body: '{}' })).status).toBe(400);
    expect((await request(workshop.base, '/api/state')).json()).toEqual({ current: null, finished: [] });
  });

  it('runs one scenario at a time, streams it, and writes its results file as the command line does', async () => {
    const events = collectEvents(workshop.base, ended);
    const started = await start({ kind: 'scenario', scenario: 'single-thread', options: SHORT });
    expect(started.status).toBe(202);
    const { run } = started.json() as { run: { runId: string; args: string[]; resultFile: string } };
    expect(run.args).toEqual(['scenario', 'single-thread', '--duration', '1', '--warmup', '0', '--rate', '20', '--records', '2000', '--imports', '1', '--work', '300', '--capacity', '0', '--out', outDir, '--run-id', run.runId]);
    const second = await start({ kind: 'scenario', scenario: 'fork-send', options: SHORT });
    expect(second.status).toBe(409);
    expect((second.json() as { error: string }).error).toMatch(/^a run is in progress \(single-thread, run .+\): one run at a time; stop it or wait for it to end$/);

    const seen = await events;
    const end = seen.find((e) => e.type === 'run-ended') as unknown as { outcome: { state: string; exitCode: number; summaryText: string; row: { scenario: string } } };
    expect(end.outcome).toMatchObject({ state: 'completed', exitCode: 0, row: { scenario: 'single-thread' } });
    const requestEvents = seen.filter((e) => e.type === 'run-event' && (e.event as { type: string }).type === 'request');
    expect(requestEvents.length).toBeGreaterThan(0);
    expect(seen.findIndex((e) => e.type === 'run-event')).toBeLessThan(seen.findIndex((e) => e.type === 'run-ended'));

    const result = await readResult(run.resultFile);
    expect(result).toMatchObject({ kind: 'scenario', scenario: 'single-thread', runId: run.runId, state: 'completed' });
    // The same summary the terminal prints, naming the same file.
    expect(end.outcome.summaryText).toContain(`single-thread (run ${run.runId})`);
    expect(end.outcome.summaryText).toContain(`Result file: ${run.resultFile}`);
    const state = (await request(workshop.base, '/api/state')).json() as { current: unknown; finished: unknown[] };
    expect(state.current).toBeNull();
    expect(state.finished).toHaveLength(1);
  });

  it('runs the sweep: each point streams as it is measured, the results file as the command line writes it', async () => {
    const started = await start({ kind: 'sweep', options: { quick: true, transports: 'raw-socket,fork-json', sizes: '1KiB,4KiB', repeat: '1' } });
    expect(started.status).toBe(202);
    const { run } = started.json() as { run: { runId: string; resultFile: string } };
    const seen = await collectEvents(workshop.base, ended);
    const points = seen.filter((e) => e.type === 'run-event' && (e.event as { type: string }).type === 'point-done').map((e) => e.event as { transport: string; point: { sizeBytes: number; state: string } });
    expect(points.map((p) => [p.transport, p.point.sizeBytes, p.point.state])).toEqual([
      ['raw-socket', 1024, 'ok'],
      ['fork-json', 1024, 'ok'],
      ['raw-socket', 4096, 'ok'],
      ['fork-json', 4096, 'ok'],
    ]);
    const end = seen.find((e) => e.type === 'run-ended') as unknown as { outcome: { state: string; summaryText: string; row: unknown } };
    expect(end.outcome).toMatchObject({ state: 'completed', row: null });
    expect(end.outcome.summaryText).toContain(`wrote ${run.resultFile}`);
    const result = await readResult(run.resultFile);
    expect(result).toMatchObject({ kind: 'sweep', runId: run.runId, state: 'completed' });
  });

  it('stops a run from the page: it cleans up and still writes its results file', async () => {
    const { run } = (await start({ kind: 'scenario', scenario: 'fork-send', options: LONG })).json() as { run: { runId: string; resultFile: string } };
    await collectEvents(workshop.base, reached(run.runId, 'baseline'));
    const endedEvents = collectEvents(workshop.base, ended);
    expect((await request(workshop.base, '/api/stop', { method: 'POST', headers: { 'x-workshop-token': workshop.token } })).status).toBe(202);
    const end = (await endedEvents).find((e) => e.type === 'run-ended') as unknown as { outcome: { state: string; exitCode: number } };
    expect(end.outcome).toMatchObject({ state: 'interrupted', exitCode: 130 });
    expect(await readResult(run.resultFile)).toMatchObject({ runId: run.runId, state: 'errored', error: 'interrupted by SIGINT' });
    expect((await request(workshop.base, '/api/stop', { method: 'POST', headers: { 'x-workshop-token': workshop.token } })).status).toBe(409);
  });

  it('Ctrl-C stops the run in progress and everything it started, then the workshop', async () => {
    const { run } = (await start({ kind: 'scenario', scenario: 'cluster', options: LONG })).json() as { run: { runId: string; resultFile: string } };
    await collectEvents(workshop.base, reached(run.runId, 'baseline'));
    const exit = await workshop.stop();
    const started = watcher.stop();
    expect(exit).toEqual({ code: 0, signal: null });
    expect(started.length).toBeGreaterThanOrEqual(4); // the run's CLI, its server, two cluster workers
    expect(await waitAllGone(started)).toEqual([]);
    expect(await readResult(run.resultFile)).toMatchObject({ state: 'errored', error: 'interrupted by SIGINT' });
    expect(workshop.output().stderr).toContain('workshop: SIGINT: stopping');
  });
});
