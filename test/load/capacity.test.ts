import { afterEach, describe, expect, it } from 'vitest';
import { runCapacity, type CapacityOptions } from '../../src/load/capacity.js';
import { openConnectionsAfter, serverStats, startStationServer, stopStationServers } from './station-server.js';

afterEach(stopStationServers);

const base = (baseUrl: string): CapacityOptions => ({ baseUrl, stationCount: 100, connections: 10, durationS: 4, progress: false });

describe('runCapacity', () => {
  it('serves no faster than the service time allows, and the blocked seconds show in the per-second series', async () => {
    // 50 ms per answer: at most 20 a second. Blocked from 0.8 s to 3.3 s after listening: the 4 s
    // phase, which starts a few ms after listening, has about 1.5 s in which the server can answer.
    const serviceMs = 50;
    const blockMs = 2500;
    const { child, baseUrl } = await startStationServer({ serviceMs, blockMs, firstBlockAtMs: 800, periodMs: 100_000 });
    const startedMs = Date.now();
    const recording = await runCapacity(base(baseUrl));
    const wallMs = Date.now() - startedMs;

    // The schedule bounds what any server could answer: unblocked time / service time (+1 in progress).
    const bound = (recording.durationMs - blockMs) / serviceMs + 1;
    expect(recording.requests).toBeLessThanOrEqual(bound);
    // A busy-wait of wall time takes 50 ms however noisy the cores, and dwarfs the per-request
    // overhead even when that grows tenfold under contention: 40% of the bound is a safe floor.
    expect(recording.requests).toBeGreaterThanOrEqual(0.4 * bound);
    expect(recording.requestsPerSecond).toHaveLength(4);
    // autocannon's ticks count answers as they come; the total may hold one answer completed as it
    // stopped, after its last tick (26 of 27 was seen under load).
    const tickedRequests = recording.requestsPerSecond.reduce((a, b) => a + b, 0);
    expect(tickedRequests).toBeLessThanOrEqual(recording.requests);
    expect(tickedRequests).toBeGreaterThanOrEqual(recording.requests - 1);
    // Seconds 1 and 2 lie inside the block: at most a tenth of a second's answers leak into them.
    const [first, blocked1, blocked2, last] = recording.requestsPerSecond as [number, number, number, number];
    const leak = 0.1 * (1000 / serviceMs);
    expect(blocked1).toBeLessThanOrEqual(leak);
    expect(blocked2).toBeLessThanOrEqual(leak);
    expect(first).toBeGreaterThan(leak);
    expect(last).toBeGreaterThan(leak);
    // Closed loop: the requests waiting out the block took about as long as the block.
    expect(recording.closedLoopLatencyMs.max).toBeGreaterThanOrEqual(2000);
    // Upper bound: the block plus every connection queued ahead at 4x the service time (noisy cores
    // stretch the queue: 4028 ms was seen at a load average of 15 against 3000 ms quiet).
    expect(recording.closedLoopLatencyMs.max).toBeLessThan(blockMs + 10 * serviceMs * 4);
    expect(recording.closedLoopLatencyMs.p50).toBeGreaterThanOrEqual(serviceMs);

    expect(recording).toMatchObject({ connections: 10, errors: 0, timeouts: 0, non2xx: 0, requestsByPid: { [String(child.pid)]: recording.requests } });
    expect(recording.perConnection).toHaveLength(10);
    // Every connection that was answered was answered by the server (a blocked Node server does not
    // serve its connections evenly: one may get nothing at all).
    expect(recording.perConnection.map((c) => (c.answeredAtMs.length > 0 ? c.pid : 'none'))).toEqual(
      recording.perConnection.map((c) => (c.answeredAtMs.length > 0 ? child.pid : 'none')),
    );
    expect(recording.perConnection.reduce((sum, c) => sum + c.answeredAtMs.length, 0)).toBe(recording.requests);
    expect(recording.loadGeneratorCpuMs).toBeGreaterThan(0);
    expect(wallMs).toBeLessThan(6000);
    expect((await serverStats(child)).connections).toBe(10);
    expect(await openConnectionsAfter(child)).toBe(0);
  }, 20_000);

  it('ends on time against a server that never answers, closing every connection', async () => {
    const { child, baseUrl } = await startStationServer({ fault: 'hang:1' });
    const startedMs = Date.now();
    const recording = await runCapacity({ ...base(baseUrl), durationS: 1 });
    expect(Date.now() - startedMs).toBeLessThan(3000);
    expect(recording).toMatchObject({ requests: 0, requestsPerSecond: [0], errors: 0, requestsByPid: {} });
    expect(await openConnectionsAfter(child)).toBe(0);
  });

  it('rejects promptly with the reason when aborted', async () => {
    const { baseUrl } = await startStationServer();
    const controller = new AbortController();
    const startedMs = Date.now();
    setTimeout(() => controller.abort(new Error('stop now')), 300);
    await expect(runCapacity({ ...base(baseUrl), durationS: 30 }, controller.signal)).rejects.toThrow('stop now');
    expect(Date.now() - startedMs).toBeLessThan(3000);
  });

  it('validates options naming the option', async () => {
    await expect(runCapacity({ ...base('http://127.0.0.1:1'), durationS: 1.5 })).rejects.toThrow('options.durationS must be a positive integer, got 1.5');
  });
});
