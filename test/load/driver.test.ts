import { afterEach, describe, expect, it } from 'vitest';
import { runLightLoad, type LightLoadOptions } from '../../src/load/driver.js';
import { summarizePhase } from '../../src/load/stats.js';
import { openConnectionsAfter, serverStats, startStationServer, stopStationServers } from './station-server.js';

const startServer = (blockMs = 0, periodMs = 3000, firstBlockAtMs = periodMs, fault = 'none:0') => startStationServer({ blockMs, periodMs, firstBlockAtMs, fault });

afterEach(stopStationServers);

const base = (baseUrl: string): LightLoadOptions => ({
  baseUrl,
  stationCount: 100,
  rate: 50,
  connections: 20,
  // Half a second: 25 requests at 50 req/s, enough for every count below (the timing group runs alone).
  durationMs: 500,
  reconnect: false,
  progress: false,
});

describe('runLightLoad', () => {
  it('held open: sends on schedule past durationMs until the held work ends, then a tail, and says so', async () => {
    const { baseUrl } = await startServer(0);
    let settledAtEpochMs = 0;
    const held = new Promise<void>((resolve) => setTimeout(() => resolve(), 900)).then(() => {
      settledAtEpochMs = Date.now();
    });
    const recording = await runLightLoad({ ...base(baseUrl), holdOpen: held, holdTailMs: 300 });
    const settledAtMs = settledAtEpochMs - recording.startedAtEpochMs;
    expect(recording.plannedDurationMs).toBe(500);
    // Ends a tail after the held work on its own clock (to within the epoch clock's millisecond).
    expect(recording.durationMs).toBeGreaterThanOrEqual(settledAtMs + 300 - 2);
    expect(recording.durationMs).toBeLessThanOrEqual(settledAtMs + 300 + 2 + 50);
    const lastSentMs = Math.max(...recording.samples.map((sample) => sample.sentAtMs));
    expect(lastSentMs).toBeGreaterThan(settledAtMs);
    expect(lastSentMs).toBeLessThan(recording.durationMs);
    const phase = summarizePhase(recording);
    expect(phase.extendedByMs).toBe(Math.round((recording.durationMs - 500) * 1000) / 1000);
    expect(phase.requests).toBe(Math.ceil(recording.durationMs / 20)); // 50 req/s: one every 20 ms
  });

  it('held open by work that ends early: the phase keeps its planned length', async () => {
    const { baseUrl } = await startServer(0);
    const recording = await runLightLoad({ ...base(baseUrl), holdOpen: Promise.resolve(), holdTailMs: 100 });
    expect(recording.durationMs).toBe(500);
    expect(summarizePhase(recording)).not.toHaveProperty('extendedByMs');
  });

  it('shows a server that blocks 1 s every 3 s as latency and stalls, not as fewer requests', async () => {
    // Blocks at about 1-2 s, 4-5 s and 7-8 s of the phase: a third of the requests are sent into a block.
    const { baseUrl } = await startServer(1000, 3000, 1000);
    const recording = await runLightLoad({ ...base(baseUrl), connections: 200, durationMs: 9000 });
    const phase = summarizePhase(recording);
    // 50 req/s for 9 s, all sent on schedule and answered (some late).
    expect(phase.requests).toBeGreaterThanOrEqual(440);
    expect(phase.errors).toBe(0);
    expect(phase.maxStallMs).toBeGreaterThanOrEqual(800);
    expect(phase.maxStallMs).toBeLessThanOrEqual(1500);
    expect(phase.latencyMs.p99).toBeGreaterThanOrEqual(700);
    expect(phase.slowShare).toBeGreaterThanOrEqual(0.15);
    expect(phase.slowShare).toBeLessThanOrEqual(0.5);
  }, 30_000);

  it('still counts a freeze as latency when too few connections are open to cover it', async () => {
    // 5 connections cover 100 ms at 50 req/s: requests due during the block wait in the driver for a
    // connection, and that wait counts, because latency runs from the intended send time.
    const { baseUrl } = await startServer(1000, 3000, 1000);
    const phase = summarizePhase(await runLightLoad({ ...base(baseUrl), connections: 5, durationMs: 2000 }));
    expect(phase.requests).toBeGreaterThanOrEqual(95);
    expect(phase.latencyMs.p99).toBeGreaterThanOrEqual(700);
    expect(phase.slowShare).toBeGreaterThanOrEqual(0.15);
  });

  it('counts requests by the pid in x-served-by and spreads them on the schedule', async () => {
    const { child, baseUrl } = await startServer();
    const recording = await runLightLoad(base(baseUrl));
    const phase = summarizePhase(recording);
    expect(phase.requestsByPid).toEqual({ [String(child.pid)]: phase.requests });
    expect(phase.requests).toBe(25);
    const sendTimes = recording.samples.map((sample) => sample.sentAtMs).sort((a, b) => a - b);
    expect(sendTimes.slice(0, 3)).toEqual([0, 20, 40]);
    expect((await serverStats(child)).requests).toBe(25);
  });

  it('spreads requests over every keep-alive connection without reconnect, and opens one per request with reconnect', async () => {
    // Answers take well under the 20 ms between requests, so one shared socket could carry them all:
    // using all 5 is what puts requests on every cluster worker.
    const keepAlive = await startServer();
    await runLightLoad({ ...base(keepAlive.baseUrl), connections: 5 });
    expect(await serverStats(keepAlive.child)).toMatchObject({ connections: 5, requests: 25 });

    const fresh = await startServer();
    const recording = await runLightLoad({ ...base(fresh.baseUrl), connections: 5, reconnect: true });
    expect(recording.samples).toHaveLength(25);
    expect(await serverStats(fresh.child)).toMatchObject({ connections: 25, requests: 25 });
  });

  it('opens every connection before the phase starts, as autocannon does', async () => {
    // cluster gives a connection to a worker when it is opened: opened lazily during an import, every
    // new connection would avoid the busy worker. 100 connections, 25 requests: all 100 were opened.
    const { child, baseUrl } = await startServer();
    await runLightLoad({ ...base(baseUrl), connections: 100 });
    expect(await serverStats(child)).toMatchObject({ connections: 100, requests: 25 });
    expect(await openConnectionsAfter(child)).toBe(0); // the unused ones are closed too
  });

  it('counts a request never answered as a timeout and an error, and carries on', async () => {
    // Every 10th request hangs: 2 of 25, each given up after 0.3 s.
    const { baseUrl } = await startServer(0, 3000, 3000, 'hang:10');
    const recording = await runLightLoad({ ...base(baseUrl), connections: 5, timeoutS: 0.3 });
    expect(recording.samples).toHaveLength(23);
    expect(recording.samples.every((sample) => sample.status === 200)).toBe(true);
    expect(recording).toMatchObject({ errors: 2, timeouts: 2 });
  });

  it('counts a dropped connection as an error, not a timeout, and carries on', async () => {
    const { baseUrl } = await startServer(0, 3000, 3000, 'drop:10');
    const recording = await runLightLoad({ ...base(baseUrl), connections: 5 });
    expect(recording.samples).toHaveLength(23);
    expect(recording).toMatchObject({ errors: 2, timeouts: 0 });
  });

  it('rejects promptly with the reason when aborted', async () => {
    const { baseUrl } = await startServer();
    const controller = new AbortController();
    const startedMs = Date.now();
    setTimeout(() => controller.abort(new Error('stop now')), 200);
    await expect(runLightLoad({ ...base(baseUrl), durationMs: 10_000 }, controller.signal)).rejects.toThrow('stop now');
    expect(Date.now() - startedMs).toBeLessThan(2000);
  });

  it('validates options naming the option', async () => {
    await expect(runLightLoad({ ...base('http://127.0.0.1:1'), rate: 0 })).rejects.toThrow('options.rate must be a positive number');
  });
});
