import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { retryAfterS } from '../../src/transports/worker-pool/messages.js';
import { workerPoolTransport, type PoolPeer } from '../../src/transports/worker-pool/parent.js';
import { TransportBusyError, TransportError, type Handoff, type Job, type PeerOptions } from '../../src/transports/types.js';
import { diffStations, generateStations, makeIncoming } from '../../src/workload/index.js';
import { sha256 } from './helpers.js';

// The sweep's boundary sizes, through the pool, both ways, for both hand-offs.
const SIZES = [0, 1, 65_535, 65_536, 65_537, 1024 * 1024 + 7, 32 * 1024 * 1024];
const HANDOFFS: Handoff[] = ['clone', 'bytes'];
const ECHO: Job = { kind: 'echo' };
/** A few hundred ms idle, seconds on busy cores: long enough that others queue behind it. */
const SLOW: Job = { kind: 'diff', baselineRecords: 100, baselineSeed: 1, workPerRecord: 500_000 };
/** Minutes: still running whenever the test acts on it (it is always ended early). */
const ENDLESS: Job = { ...SLOW, workPerRecord: 1_000_000_000 };
const slowPayload = { kind: 'records', records: generateStations(100, 1) } as const;
const peers: PoolPeer[] = [];

async function start(options: Partial<PeerOptions> = {}): Promise<PoolPeer> {
  const peer = (await workerPoolTransport.start({ timeoutMs: 60_000, ...options })) as PoolPeer;
  peers.push(peer);
  return peer;
}

async function failure(promise: Promise<unknown>): Promise<TransportError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TransportError);
  return error as TransportError;
}

afterAll(async () => {
  await Promise.all(peers.map((peer) => peer.close()));
});

describe.each(HANDOFFS)('worker-pool, hand-off %s', (handoff) => {
  let peer: PoolPeer;
  it('starts with every worker ready', async () => {
    peer = await start({ handoff, workers: 2 });
    expect(peer.threadIds()).toHaveLength(2);
    expect(peer.pid).toBe(process.pid);
  });

  it.each(SIZES)('echoes %i random bytes byte-exact', async (size) => {
    const bytes = randomBytes(size);
    const expected = sha256(bytes);
    const result = await peer.exchange(ECHO, { kind: 'bytes', bytes });
    expect(result.reply.kind === 'bytes' && [result.reply.bytes.length, sha256(result.reply.bytes)]).toEqual([size, expected]);
    // A moved buffer is exactly the payload; a clone adds its few bytes of framing.
    if (handoff === 'bytes') expect([result.bytesToPeer, result.bytesFromPeer]).toEqual([size, size]);
    else expect(result.bytesToPeer).toBeGreaterThan(size);
    expect(result.queuedMs).toBeGreaterThanOrEqual(0);
  }, 60_000);

  it('moves the buffer with the bytes hand-off (detached on the sender) and copies it with clone', async () => {
    const bytes = randomBytes(1024 * 1024 + 7);
    const expected = sha256(bytes);
    const result = await peer.exchange(ECHO, { kind: 'bytes', bytes });
    expect(result.reply.kind === 'bytes' && sha256(result.reply.bytes)).toBe(expected);
    if (handoff === 'bytes') {
      // Transferred: the sender's ArrayBuffer is detached, its view reads as empty.
      expect(bytes.buffer.byteLength).toBe(0);
      expect(bytes.length).toBe(0);
    } else {
      expect(bytes.length).toBe(1024 * 1024 + 7);
      expect(sha256(bytes)).toBe(expected);
    }
  });

  it('echoes records and a diff with non-ASCII strings intact, and diffs with the planned counts', async () => {
    const records = generateStations(2_000, 11);
    const diff = diffStations(records, makeIncoming(records, 0.2, 5), 0);
    expect((await peer.exchange(ECHO, { kind: 'records', records })).reply).toEqual({ kind: 'records', records });
    expect(JSON.stringify(records)).toMatch(/[öüä]/);
    expect((await peer.exchange(ECHO, { kind: 'diff', diff })).reply).toEqual({ kind: 'diff', diff });
    const job = { kind: 'diff', baselineRecords: 2_000, baselineSeed: 11, workPerRecord: 0 } as const;
    const result = await peer.exchange(job, { kind: 'records', records: makeIncoming(records, 0.2, 5) });
    expect(result.reply.kind === 'diff' && result.reply.diff.counts).toEqual(diff.counts);
    expect(result.reply).toEqual({ kind: 'diff', diff });
  });
});

describe('worker-pool under pressure and faults', () => {
  it('refuses past its workers plus its queue with a busy error and a Retry-After, and takes work again after', async () => {
    const peer = await start({ workers: 1, maxQueue: 1 });
    const running = peer.exchange(SLOW, slowPayload);
    const queued = peer.exchange(ECHO, { kind: 'bytes', bytes: Buffer.from('queued') });
    const refused = await failure(peer.exchange(ECHO, { kind: 'bytes', bytes: Buffer.from('refused') }));
    expect(refused).toBeInstanceOf(TransportBusyError);
    expect(refused.kind).toBe('refused');
    expect(refused.message).toBe('worker-pool busy: all 1 worker(s) at work and 1 import(s) queued (--max-queue 1)');
    expect((refused as TransportBusyError).retryAfterS).toBe(1); // nothing finished yet
    await running;
    // The queued one waited for the slow one: its queue time covers most of that run.
    const waited = await queued;
    expect(waited.queuedMs).toBeGreaterThan(100);
    expect((await peer.exchange(ECHO, { kind: 'bytes', bytes: Buffer.from('after') })).reply).toEqual({ kind: 'bytes', bytes: Buffer.from('after') });
  }, 60_000);

  it('an aborted signal takes a queued task off the queue (no worker ended) and ends a running one (worker replaced)', async () => {
    const peer = await start({ workers: 1 });
    const [thread] = peer.threadIds();
    const running = peer.exchange(SLOW, slowPayload);
    const client = new AbortController();
    const startedMs = Date.now();
    const queued = failure(peer.exchange(ECHO, { kind: 'bytes', bytes: Buffer.from('x') }, client.signal));
    client.abort(new Error('the client went away'));
    const cancelled = await queued;
    expect(cancelled.kind).toBe('cancelled');
    expect(cancelled.message).toBe('worker-pool: import cancelled (the client went away)');
    expect(Date.now() - startedMs).toBeLessThan(500);
    expect((await running).reply.kind).toBe('diff'); // the running task was not disturbed
    expect(peer.threadIds()).toEqual([thread]);

    const second = new AbortController();
    const busy = failure(peer.exchange(ENDLESS, slowPayload, second.signal));
    setTimeout(() => second.abort(new Error('gone')), 200);
    expect((await busy).kind).toBe('cancelled');
    // Piscina ended the worker that ran it and started another.
    await expect.poll(() => peer.threadIds()).toHaveLength(1);
    expect(peer.threadIds()).not.toEqual([thread]);
    expect((await peer.exchange(ECHO, { kind: 'bytes', bytes: Buffer.from('next') })).reply).toEqual({ kind: 'bytes', bytes: Buffer.from('next') });
  }, 60_000);

  it('a job that throws fails that exchange only: the worker stays and takes the next', async () => {
    const peer = await start({ workers: 1 });
    const threads = peer.threadIds();
    const error = await failure(peer.exchange({ kind: 'diff', baselineRecords: 10, baselineSeed: 1, workPerRecord: 0 }, { kind: 'bytes', bytes: Buffer.from('x') }));
    expect(error.kind).toBe('error');
    expect(error.message).toBe("worker-pool: job 'diff' needs a 'records' payload, got 'bytes'");
    expect((await peer.exchange(ECHO, { kind: 'bytes', bytes: Buffer.from('next') })).reply).toEqual({ kind: 'bytes', bytes: Buffer.from('next') });
    expect(peer.threadIds()).toEqual(threads);
  });

  it('a worker out of memory (resourceLimits) fails that exchange, is replaced, and the next succeeds', async () => {
    const peer = await start({ workers: 1, childHeapMb: 16 });
    const [thread] = peer.threadIds();
    const error = await failure(peer.exchange(ECHO, { kind: 'records', records: generateStations(60_000, 1) }));
    expect(error.kind).toBe('out-of-memory');
    expect(error.message).toMatch(/^worker-pool: a worker ran out of memory \(.*JS heap out of memory\); the pool replaces it$/);
    const small = generateStations(100, 2);
    expect((await peer.exchange(ECHO, { kind: 'records', records: small })).reply).toEqual({ kind: 'records', records: small });
    expect(peer.threadIds()).toHaveLength(1);
    expect(peer.threadIds()).not.toEqual([thread]);
  }, 60_000);

  it('a task past the timeout is ended with its worker, which is replaced', async () => {
    // The timeout bounds start-up too: 3 s leaves room for a worker's start on busy cores (about 1 s).
    const peer = await start({ workers: 1, timeoutMs: 3_000 });
    const [thread] = peer.threadIds();
    const error = await failure(peer.exchange(ENDLESS, slowPayload));
    expect(error.kind).toBe('timeout');
    expect(error.message).toBe('worker-pool: no answer within 3000 ms; the worker was ended and replaced');
    expect(peer.threadIds()).not.toEqual([thread]);
    expect((await peer.exchange(ECHO, { kind: 'bytes', bytes: Buffer.from('next') })).reply).toEqual({ kind: 'bytes', bytes: Buffer.from('next') });
  }, 60_000);
});

describe('Retry-After estimate', () => {
  it('is one typical run shared by the workers, at least 1 s', () => {
    expect(retryAfterS([], 1)).toBe(1);
    expect(retryAfterS([400, 600], 1)).toBe(1);
    expect(retryAfterS([3000, 5000], 1)).toBe(4);
    expect(retryAfterS([3000, 5000], 2)).toBe(2);
    expect(retryAfterS([9000], 4)).toBe(3);
  });
});

describe('worker-pool cleanup', () => {
  it('close is safe twice and refuses later work', async () => {
    await Promise.all(peers.map((peer) => peer.close()));
    await Promise.all(peers.map((peer) => peer.close()));
    expect(peers.flatMap((peer) => peer.threadIds())).toEqual([]);
    expect((await failure(peers[0]!.exchange(ECHO, { kind: 'bytes', bytes: Buffer.alloc(1) }))).message).toBe('worker-pool was closed');
  });

  it.runIf(process.platform === 'linux')('a closed pool leaves no thread behind in its process', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, [new URL('./fixtures/pool-threads.mjs', import.meta.url).pathname]);
    const counts = JSON.parse(stdout) as { before: number; running: number; after: number };
    expect(counts.running).toBe(counts.before + 3);
    expect(counts.after).toBe(counts.before);
  }, 30_000);
});
