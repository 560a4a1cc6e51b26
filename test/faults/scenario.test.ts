// A scenario fault end to end: the child doing an import is killed on the scenario's real server
// while light traffic runs.
import { describe, expect, it } from 'vitest';
import { planScenarioCases, runScenarioFault } from '../../src/faults/scenario-case.js';
import { skipRedisTests } from '../helpers/redis.js';
import { ourTempDirs, useOwnTempDir } from '../transports/helpers.js';

useOwnTempDir();

describe('scenario faults', () => {
  it('plans each scenario of each chosen fault; --quick one case per kind (the import\'s process dies, a dependency dies)', () => {
    expect(planScenarioCases(['hang', 'child-killed-mid-import', 'worker-killed-mid-import', 'pool-worker-exit-mid-import', 'redis-killed-mid-import'], true)).toEqual([
      { scenario: 'fork-send', fault: 'child-killed-mid-import' },
      { scenario: 'queue', fault: 'redis-killed-mid-import' },
    ]);
    expect(planScenarioCases(['worker-killed-mid-import', 'pool-worker-exit-mid-import'], true)).toEqual([{ scenario: 'cluster', fault: 'worker-killed-mid-import' }]);
    expect(planScenarioCases(['child-killed-mid-import'], false).map((c) => c.scenario)).toEqual(['fork-send', 'node-ipc', 'buffer-zlib', 'chunked']);
  });

  it('fork-send: the killed child is a 502 naming SIGKILL, light traffic is answered throughout, nothing is left', async () => {
    const result = await runScenarioFault('fork-send', 'child-killed-mid-import');
    expect(result, JSON.stringify(result)).toMatchObject({ expected: 'crashed', observed: 'crashed', finding: false, callerAlive: true, recovered: true, lost: 0 });
    expect(result.message).toMatch(/^502: import failed: peer \d+ was killed by signal SIGKILL$/);
    expect(result.detectMs).toBeLessThan(2000);
    expect(result.leftovers).toEqual({ processes: 0, tempDirs: 0, redisKeys: null });
    expect(result.light!.sent).toBeGreaterThan(5);
    expect(result.light!.failed).toBe(0);
    expect(ourTempDirs()).toEqual([]);
  });

  it('worker-pool: the pool worker ending itself mid-import is a 502, the pool replaces it, serving and the next import go on', async () => {
    const result = await runScenarioFault('worker-pool', 'pool-worker-exit-mid-import');
    expect(result).toMatchObject({ expected: 'crashed', observed: 'crashed', finding: false, callerAlive: true, recovered: true, lost: 0, signal: null });
    expect(result.message).toBe('502: import failed: worker-pool: a worker exited with code: 1; the pool replaces it');
    expect(result.detectMs).toBeLessThan(2000);
    expect(result.leftovers).toEqual({ processes: 0, tempDirs: 0, redisKeys: null });
    expect(result.light!.failed).toBe(0);
    expect(ourTempDirs()).toEqual([]);
  });

  // The queue worker killed is the queue scenario's own test (test/scenario/queue.test.ts): ~9 s here.
  it.skipIf(skipRedisTests)('queue: Redis killed mid-import is a 502 naming it within 2 s, light requests go on, the next import is refused, nothing is left', async () => {
    const result = await runScenarioFault('queue', 'redis-killed-mid-import');
    expect(result, JSON.stringify(result)).toMatchObject({ expected: 'error', observed: 'error', finding: false, callerAlive: true, recovered: true, lost: 0, signal: 'SIGKILL' });
    expect(result.message).toMatch(/^502: import failed: lost the connection to the private redis-server \(pid \d+\)$/);
    expect(result.detectMs).toBeLessThan(2000);
    // Its Redis is gone: no key can be counted (n/a), not 0.
    expect(result.leftovers).toEqual({ processes: 0, tempDirs: 0, redisKeys: null });
    expect(result.light!.failed).toBe(0);
    expect(ourTempDirs()).toEqual([]);
  });
});
