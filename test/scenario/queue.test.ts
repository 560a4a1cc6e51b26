import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CompletedScenarioResult, ScenarioResult } from '../../src/results/schema.js';
import { PrivateRedis } from '../../src/transports/queue/redis-server.js';
import { runCli } from '../helpers/cli.js';
import { useOwnTempDir } from '../transports/helpers.js';
import { waitAllGone, watchDescendants } from '../helpers/processes.js';
import { activeJobWorkerPid, announceRedisSkip, connectToRunRedis, redisServersUnder, redisTempDirs, skipRedisTests } from '../helpers/redis.js';

announceRedisSkip('queue scenario tests');
// The CLI inherits TMPDIR: its private Redis dir lands in this file's own temp dir.
useOwnTempDir();

// Short runs: 1 s phases (the under-load one runs on until its import ends), no warm-up, no capacity phases, one import of 20,000 records (a second or
// two of diff work).
// The lock lives 2 s, so a killed worker's job is taken again within about 4 s.
// The server's own priority: at idle a worker on a busy test machine could wait past the 2 s locks these tests use.
const SHORT = ['--duration', '1', '--warmup', '0', '--rate', '20', '--imports', '1', '--capacity', '0', '--import-priority', 'normal', '--json'];
const LONG_IMPORT = ['--records', '20000'];

let outDir: string;
beforeAll(async () => {
  outDir = await mkdtemp(path.join(os.tmpdir(), 'ipc-lab-queue-test-'));
});
afterAll(async () => {
  await rm(outDir, { recursive: true, force: true });
});

/** Starts the CLI and, once its import is running, does `act` with the run's Redis and the job's worker. */
async function runAndAct(runId: string, extra: string[], act: (redis: Redis, workerPid: number, cliPid: number) => void) {
  const before = new Set(redisTempDirs());
  let cliPid = 0;
  let watcher: ReturnType<typeof watchDescendants> | undefined;
  const running = runCli(['scenario', 'queue', ...SHORT, ...LONG_IMPORT, ...extra, '--out', outDir, '--run-id', runId], {
    timeoutMs: 90_000,
    onSpawn: (pid) => {
      cliPid = pid;
      watcher = watchDescendants(pid);
    },
  });
  const redis = await connectToRunRedis(before, `run-${runId}`);
  const workerPid = await activeJobWorkerPid(redis, `run-${runId}`);
  act(redis, workerPid, cliPid);
  redis.disconnect();
  const run = await running;
  const seen = watcher?.stop() ?? [];
  return { run, seen, tempDirsLeft: redisTempDirs().filter((dir) => !before.has(dir)) };
}

describe.skipIf(skipRedisTests)('queue scenario', () => {
  it('a worker killed mid-job: the lock expires, another worker completes the import, the attempts say so', async () => {
    let victim = 0;
    const { run, seen, tempDirsLeft } = await runAndAct('queue-kill-worker', ['--workers', '2', '--lock-duration', '2'], (_redis, workerPid) => {
      victim = workerPid;
      process.kill(workerPid, 'SIGKILL');
    });
    expect(run.code, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout) as CompletedScenarioResult;
    const [imported] = result.imports;
    expect(imported?.ok).toBe(true);
    expect(imported?.attempts?.map((a) => [a.pid === victim, a.outcome])).toEqual([
      [true, 'lost'],
      [false, 'completed'],
    ]);
    expect(imported?.workerPid).not.toBe(victim);
    expect(result.events?.join('\n')).toContain(`queue worker ${victim} ended (SIGKILL); starting a replacement`);
    expect(await waitAllGone(seen)).toEqual([]);
    expect(tempDirsLeft).toEqual([]);
  }, 120_000);

  it('Redis killed mid-import: the import fails at once with the reason, light requests go on, nothing is left', async () => {
    let redisPid = 0;
    const { run, seen, tempDirsLeft } = await runAndAct('queue-kill-redis', ['--workers', '1'], (_redis, _worker, cliPid) => {
      [redisPid = 0] = redisServersUnder(cliPid);
      process.kill(redisPid, 'SIGKILL');
    });
    expect(run.code, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout) as CompletedScenarioResult;
    const [imported] = result.imports;
    expect(imported?.ok).toBe(false);
    expect(imported?.error).toMatch(/^HTTP 502: import failed: lost the connection to the private redis-server \(pid \d+\)/);
    expect(imported?.durationMs).toBeLessThan(10_000);
    expect(result.phases.underLoad.requests).toBeGreaterThan(0);
    expect(result.phases.underLoad.errors + result.phases.underLoad.timeouts).toBe(0);
    expect(result.events).toContain(`the private redis-server (pid ${redisPid}) ended unexpectedly (killed by SIGKILL)`);
    expect(await waitAllGone(seen)).toEqual([]);
    expect(tempDirsLeft).toEqual([]);
  }, 120_000);

  it('SIGINT mid-import: exit 130, an errored result, no process, socket or temp dir left', async () => {
    const { run, seen, tempDirsLeft } = await runAndAct('queue-sigint', ['--workers', '1'], (_redis, _worker, cliPid) => {
      process.kill(cliPid, 'SIGINT');
    });
    expect(run.code).toBe(130);
    const result = JSON.parse(await readFile(path.join(outDir, 'queue-sigint', 'queue.json'), 'utf8')) as ScenarioResult;
    expect(result.state === 'errored' && result.error).toBe('interrupted by SIGINT');
    expect(seen.length).toBeGreaterThanOrEqual(3); // server, redis-server, worker
    expect(await waitAllGone(seen)).toEqual([]);
    expect(tempDirsLeft).toEqual([]);
  }, 120_000);

  it('--redis: uses that server, starts none, and leaves it as it found it', async () => {
    const existing = await PrivateRedis.start({ listen: { host: '127.0.0.1', port: 0 } });
    const port = existing.endpoint.kind === 'tcp' ? existing.endpoint.port : 0;
    const client = new Redis({ port, host: '127.0.0.1' });
    try {
      await client.set('theirs', 'untouched');
      let watcher: ReturnType<typeof watchDescendants> | undefined;
      const run = await runCli(['scenario', 'queue', ...SHORT, '--records', '2000', '--workers', '1', '--redis', `redis://127.0.0.1:${port}`, '--out', outDir], {
        timeoutMs: 90_000,
        onSpawn: (pid) => (watcher = watchDescendants(pid)),
      });
      const seen = watcher?.stop() ?? [];
      expect(run.code, run.stderr).toBe(0);
      const result = JSON.parse(run.stdout) as CompletedScenarioResult;
      expect(result.imports.map((i) => i.ok)).toEqual([true]);
      expect(seen.filter((pid) => redisServersUnder(pid).length > 0 || existing.pid === pid)).toEqual([]);
      expect(await client.keys('*')).toEqual(['theirs']);
      expect(await client.get('theirs')).toBe('untouched');
    } finally {
      client.disconnect();
      await existing.stop();
    }
  }, 120_000);
});

describe('queue scenario: bad input starts nothing', () => {
  const usage = (run: { code: number | null; stderr: string; stdout: string }, message: string): void => {
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toContain(message);
  };

  it('without redis-server on PATH (and no --redis): names the package and --redis', async () => {
    // The CLI and its children run node by its absolute path: a PATH without redis-server is enough.
    let watcher: ReturnType<typeof watchDescendants> | undefined;
    const run = await runCli(['scenario', 'queue'], { env: { PATH: path.join(outDir, 'no-such-dir') }, onSpawn: (pid) => (watcher = watchDescendants(pid, 50)) });
    expect(watcher?.stop()).toEqual([]);
    usage(run, 'redis-server not found on PATH: install it (Debian/Ubuntu: apt-get install redis-server; macOS: brew install redis), or point --redis at a running Redis');
  });

  it('a password on the command line, a network Redis without one, queue options elsewhere', async () => {
    usage(await runCli(['scenario', 'queue', '--redis', 'redis://:hunter2@10.0.0.5']), '--redis must not contain a password');
    usage(await runCli(['worker', '--redis', 'redis://:hunter2@10.0.0.5']), '--redis must not contain a password');
    usage(await runCli(['scenario', 'queue', '--redis', 'redis://10.0.0.5'], { env: { REDIS_PASSWORD: '' } }), '--redis redis://10.0.0.5 is beyond loopback: give its password');
    usage(await runCli(['scenario', 'cluster', '--redis', 'redis://127.0.0.1']), '--redis applies to the queue scenario only');
  });
});
