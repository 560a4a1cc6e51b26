import { randomBytes } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrivateRedis } from '../../../src/transports/queue/redis-server.js';
import { queueTransport } from '../../../src/transports/queue/parent.js';
import { TransportError, type Job, type TransportPeer } from '../../../src/transports/types.js';
import { generateStations, makeIncoming } from '../../../src/workload/index.js';
import { announceRedisSkip, inCi, redisServersUnder, redisServerPath, skipRedisTests } from '../../helpers/redis.js';
import { isAlive, sha256, useOwnTempDir } from '../helpers.js';

announceRedisSkip('queue transport tests');
useOwnTempDir();

it.runIf(inCi)('CI has redis-server installed (.ci/run installs it)', () => {
  expect(redisServerPath, 'redis-server is missing on CI: .ci/run should have installed it').not.toBeNull();
});

describe.skipIf(skipRedisTests)('the private Redis', () => {
  it('on a Unix socket in a 0700 dir: no persistence, noeviction, bounded; stop removes it all', async () => {
    const redis = await PrivateRedis.start({ maxmemoryBytes: 64 * 1024 ** 2 });
    const socket = redis.endpoint.kind === 'unix' ? redis.endpoint.path : '';
    const dir = path.dirname(socket);
    try {
      expect(statSync(dir).mode & 0o777).toBe(0o700);
      const client = new Redis({ path: socket });
      const config = Object.fromEntries(
        ['save', 'appendonly', 'maxmemory-policy', 'maxmemory', 'port'].map((name) => [name, '']),
      );
      for (const name of Object.keys(config)) config[name] = ((await client.config('GET', name)) as string[])[1] ?? '';
      expect(config).toEqual({ save: '', appendonly: 'no', 'maxmemory-policy': 'noeviction', maxmemory: String(64 * 1024 ** 2), port: '0' });
      client.disconnect();
    } finally {
      await redis.stop();
    }
    expect(existsSync(dir)).toBe(false);
    expect(isAlive(redis.pid)).toBe(false);
  });

  it('beyond loopback it has a generated password and refuses clients without it', async () => {
    const redis = await PrivateRedis.start({ listen: { host: '0.0.0.0', port: 0 } });
    try {
      expect(redis.password).toMatch(/^[0-9a-f]{48}$/);
      const port = redis.endpoint.kind === 'tcp' ? redis.endpoint.port : 0;
      expect(await rawCommand(port, 'PING')).toBe('-NOAUTH Authentication required.');
      const known = new Redis({ port, host: '127.0.0.1', password: redis.password });
      expect(await known.ping()).toBe('PONG');
      known.disconnect();
    } finally {
      await redis.stop();
    }
  });
});

// The sweep's boundary sizes, byte-exact, with the placement the transport keeps (a key of their
// own); job data too, up to 1 MiB+7 (the comparison the README quotes).
const SIZES = [0, 1, 65_535, 65_536, 65_537, 1024 * 1024 + 7, 32 * 1024 * 1024];
const TIMEOUT_MS = 120_000;

describe.skipIf(skipRedisTests).each([
  ['redis-key', SIZES],
  ['job-data', SIZES.filter((size) => size <= 1024 * 1024 + 7)],
] as const)('queue echo, records in %s', (placement, sizes) => {
  let peer: TransportPeer;
  beforeAll(async () => {
    peer = await queueTransport.start({ timeoutMs: TIMEOUT_MS, queuePlacement: placement });
  });
  afterAll(async () => {
    await peer.close();
    expect(isAlive(peer.pid)).toBe(false);
  });

  it.each(sizes)('%i random bytes come back byte-exact', async (size) => {
    const bytes = randomBytes(size);
    const result = await peer.exchange({ kind: 'echo' }, { kind: 'bytes', bytes });
    expect(result.reply.kind === 'bytes' && sha256(result.reply.bytes)).toBe(sha256(bytes));
    // In a key the bytes are stored raw; in job data as base64 inside JSON.
    if (placement === 'redis-key') expect(result.bytesToPeer).toBe(size);
    else expect(result.bytesToPeer).toBe(JSON.stringify({ kind: 'bytes', base64: bytes.toString('base64') }).length);
  }, TIMEOUT_MS);

  it('station records come back intact', async () => {
    const records = generateStations(500, 3);
    expect((await peer.exchange({ kind: 'echo' }, { kind: 'records', records })).reply).toEqual({ kind: 'records', records });
  });
});

describe.skipIf(skipRedisTests)('queue transport faults', () => {
  it('a cancelled exchange (client gone) rejects at once and its waiting job leaves the queue', async () => {
    // Records in the job data: a job left in the queue would run (in a key of its own, its payload
    // is deleted with the cancel and the job would fail at once, hiding whether it was removed).
    const peer = await queueTransport.start({ timeoutMs: 30_000, queuePlacement: 'job-data' });
    try {
      const baseline = generateStations(2_000, 1);
      const diff = (workPerRecord: number): Job => ({ kind: 'diff', baselineRecords: 2_000, baselineSeed: 1, workPerRecord });
      const records = { kind: 'records', records: makeIncoming(baseline, 0.1, 2) } as const;
      // The one worker takes this first; the next one waits behind it.
      const first = peer.exchange(diff(20_000), records);
      // Hours of work: were it left in the queue, the echo after it would time out.
      const cancel = new AbortController();
      const waiting = peer.exchange(diff(1_000_000_000), records, cancel.signal);
      await new Promise((resolve) => setTimeout(resolve, 300));
      cancel.abort(new Error('the client went away'));
      const error = await waiting.then(() => null, (e: unknown) => e);
      expect(error).toBeInstanceOf(TransportError);
      expect((error as TransportError).kind).toBe('cancelled');
      expect((await first).reply.kind).toBe('diff');
      const echo = await peer.exchange({ kind: 'echo' }, { kind: 'bytes', bytes: Buffer.from('after') });
      expect(echo.reply.kind === 'bytes' && echo.reply.bytes.toString()).toBe('after');
    } finally {
      await peer.close();
    }
  }, 90_000);

  it('Redis killed mid-exchange: the exchange fails at once, naming the private redis-server', async () => {
    const peer = await queueTransport.start({ timeoutMs: 60_000 });
    try {
      const baseline = generateStations(20_000, 1);
      const exchange = peer.exchange(
        { kind: 'diff', baselineRecords: 20_000, baselineSeed: 1, workPerRecord: 20_000 },
        { kind: 'records', records: makeIncoming(baseline, 0.1, 2) },
      );
      exchange.catch(() => undefined);
      await new Promise((resolve) => setTimeout(resolve, 500));
      const [redisPid] = redisServersUnder(process.pid);
      expect(redisPid).toBeDefined();
      const killedAtMs = performance.now();
      process.kill(redisPid as number, 'SIGKILL');
      const error = await exchange.then(() => null, (e: unknown) => e);
      expect(error).toBeInstanceOf(TransportError);
      expect((error as TransportError).message).toMatch(/^the private redis-server \(pid \d+\) ended unexpectedly \(killed by SIGKILL\)$|lost the connection to the private redis-server/);
      expect(performance.now() - killedAtMs).toBeLessThan(5_000);
    } finally {
      await peer.close();
    }
  }, 90_000);
});


/** One inline command over a plain socket, first reply line back: what any client without the password gets. */
function rawCommand(port: number, command: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.write(`${command}\r\n`));
    socket.setEncoding('utf8');
    socket.once('data', (reply: string) => {
      socket.destroy();
      resolve(reply.split('\r\n')[0] ?? '');
    });
    socket.once('error', reject);
  });
}
