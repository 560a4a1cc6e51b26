import { describe, expect, it } from 'vitest';
import { plannedStartMs } from '../../../src/scenario/imports.js';
import { attemptsFromLog } from '../../../src/transports/queue/attempts.js';
import { decodePayload, encodePayload } from '../../../src/transports/queue/payload-codec.js';
import { formatRedisUrl, isLoopbackHost, parseRedisUrl, redisConfigText } from '../../../src/transports/queue/redis-config.js';
import { generateStations } from '../../../src/workload/index.js';

describe('redis.conf for the private Redis', () => {
  it('on a Unix socket: memory only, noeviction, bounded, socket for the owner only', () => {
    expect(redisConfigText({ listen: { kind: 'unix', socketPath: '/tmp/d/redis.sock' }, dir: '/tmp/d', maxmemoryBytes: 1024 })).toBe(
      [
        'save ""',
        'appendonly no',
        'maxmemory-policy noeviction',
        'maxmemory 1024',
        'dir "/tmp/d"',
        'daemonize no',
        'loglevel notice',
        'logfile ""',
        'databases 1',
        'port 0',
        'unixsocket "/tmp/d/redis.sock"',
        'unixsocketperm 700',
        '',
      ].join('\n'),
    );
  });

  it('on TCP: loopback keeps protected mode; anything else needs a password', () => {
    const tcp = (host: string, password?: string): string =>
      redisConfigText({ listen: { kind: 'tcp', host, port: 6400 }, dir: '/d', maxmemoryBytes: 1, ...(password ? { password } : {}) });
    expect(tcp('127.0.0.1').split('\n').slice(9)).toEqual(['bind 127.0.0.1', 'port 6400', 'protected-mode yes', '']);
    expect(tcp('0.0.0.0', 'abc123').split('\n').slice(9)).toEqual(['bind 0.0.0.0', 'port 6400', 'protected-mode no', 'requirepass "abc123"', '']);
    expect(() => tcp('0.0.0.0')).toThrow('a Redis listening on 0.0.0.0 needs a password');
  });
});

describe('--redis URLs', () => {
  it('parses tcp, tls, db, user and unix forms', () => {
    expect(parseRedisUrl('redis://10.0.0.5:6380/2')).toEqual({ ok: true, endpoint: { kind: 'tcp', host: '10.0.0.5', port: 6380, tls: false, db: 2 } });
    expect(parseRedisUrl('rediss://app@cache.example')).toEqual({
      ok: true,
      endpoint: { kind: 'tcp', host: 'cache.example', port: 6379, tls: true, db: 0, username: 'app' },
    });
    expect(parseRedisUrl('redis://[::1]:7000')).toEqual({ ok: true, endpoint: { kind: 'tcp', host: '::1', port: 7000, tls: false, db: 0 } });
    expect(parseRedisUrl('unix:///run/redis/redis.sock')).toEqual({ ok: true, endpoint: { kind: 'unix', path: '/run/redis/redis.sock' } });
  });

  it('refuses a password in the URL, other schemes and junk, saying what it accepts', () => {
    expect(parseRedisUrl('redis://:secret@10.0.0.5')).toEqual({
      ok: false,
      message: 'must not contain a password (the command line is visible in ps): set REDIS_PASSWORD or use --redis-password-file FILE',
    });
    expect(parseRedisUrl('http://x')).toMatchObject({ ok: false, message: expect.stringContaining('accepts redis://host:port[/db]') as unknown });
    expect(parseRedisUrl('redis://x/abc')).toEqual({ ok: false, message: 'the database after the host must be a number (got "abc")' });
    expect(parseRedisUrl('nonsense')).toMatchObject({ ok: false });
  });

  it('formats an endpoint back without secrets, and tells loopback from the network', () => {
    expect(formatRedisUrl({ kind: 'tcp', host: '::1', port: 7000, tls: false, db: 0 })).toBe('redis://[::1]:7000');
    expect(formatRedisUrl({ kind: 'tcp', host: 'h', port: 1, tls: true, db: 3, username: 'u' })).toBe('rediss://u@h:1/3');
    expect(['127.0.0.1', '127.8.0.1', '::1', 'localhost', '[::1]'].map(isLoopbackHost)).toEqual([true, true, true, true, true]);
    expect(['10.0.0.5', '0.0.0.0', '::', 'cache.example', '128.0.0.1'].map(isLoopbackHost)).toEqual([false, false, false, false, false]);
  });
});

describe('attempts read back from the job log', () => {
  const start = (pid: number, at: number): string => JSON.stringify({ event: 'start', host: 'h', pid, atEpochMs: at });
  const error = (pid: number, message: string): string => JSON.stringify({ event: 'error', host: 'h', pid, atEpochMs: 0, message });

  it('a worker killed mid-job, then another completes it', () => {
    expect(attemptsFromLog([start(10, 1), start(20, 2)], 'completed')).toEqual([
      { host: 'h', pid: 10, startedAtEpochMs: 1, outcome: 'lost', error: 'its worker stopped renewing the lock (killed, or cut off from Redis); the job was taken again' },
      { host: 'h', pid: 20, startedAtEpochMs: 2, outcome: 'completed' },
    ]);
  });

  it('a thrown error retried, then lost for good: BullMQ\'s reason goes to the last attempt', () => {
    expect(attemptsFromLog([start(10, 1), error(10, 'boom'), start(20, 2), 'a line someone else logged'], 'failed', 'job stalled more than allowable limit')).toEqual([
      { host: 'h', pid: 10, startedAtEpochMs: 1, outcome: 'failed', error: 'boom' },
      { host: 'h', pid: 20, startedAtEpochMs: 2, outcome: 'lost', error: 'job stalled more than allowable limit' },
    ]);
    expect(attemptsFromLog([], 'failed', 'x')).toEqual([]);
  });
});

describe('payloads in a key of their own', () => {
  it('bytes as they are, records and diffs as JSON', () => {
    const bytes = Buffer.from([0, 255, 10]);
    expect(encodePayload({ kind: 'bytes', bytes })).toBe(bytes);
    const records = generateStations(3, 1);
    const encoded = encodePayload({ kind: 'records', records });
    expect(encoded.toString('utf8')).toBe(JSON.stringify(records));
    expect(decodePayload('records', encoded)).toEqual({ kind: 'records', records });
    expect(decodePayload('bytes', bytes)).toEqual({ kind: 'bytes', bytes });
  });
});

describe('--concurrency: when each import starts', () => {
  it('one at a time as before, or in waves of K spread over 10%..90% of the phase', () => {
    expect([0, 1, 2, 3].map((i) => plannedStartMs(i, 4, 1, 1000))).toEqual([100, 300, 500, 700]);
    expect([0, 1, 2, 3, 4].map((i) => plannedStartMs(i, 5, 2, 1000))).toEqual([100, 100, 367, 367, 633]);
  });
});
