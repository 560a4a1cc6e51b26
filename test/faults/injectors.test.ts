// Each fault injector on one transport, end to end on fresh processes, with its exact outcome.
// Concurrent: each case is its own caller process with its own temp dir, and most of a case is
// waiting (a peer starting, a timeout).
import { describe, expect, it } from 'vitest';
import type { FaultId } from '../../src/faults/cases.js';
import { runFaultCase } from '../../src/faults/run.js';
import type { FaultOutcome } from '../../src/results/schema.js';
import { ourTempDirs, useOwnTempDir } from '../transports/helpers.js';

useOwnTempDir();

const cases: [string, FaultId, FaultOutcome, RegExp][] = [
  ['chunked', 'kill-mid-transfer', 'crashed', /was killed by signal SIGKILL/],
  ['fork-advanced', 'kill-mid-reply', 'crashed', /was killed by signal SIGKILL/],
  ['chunked', 'exit-mid-reply', 'crashed', /exited with code 0/],
  ['chunked', 'garbage-header', 'corrupted', /garbage: bad magic byte 0x47/],
  ['chunked', 'oversize-announce', 'refused', /announced size 1099511627776 bytes is above the maximum of 67108864 bytes/],
  ['buffer-zlib', 'length-mismatch', 'corrupted', /incorrect length check/],
  // A thread cannot be signalled: the pool worker ends itself (process.exit(1)) mid-task.
  ['worker-pool', 'worker-exit-mid-task', 'crashed', /^worker-pool: a worker exited with code: 1; the pool replaces it$/],
  // A worker thread cannot be signalled: worker.terminate() ends it from outside once it has taken
  // the request (or built its reply), and it exits with code 0 before posting its reply.
  ['worker-transfer', 'kill-mid-transfer', 'crashed', /^worker exited with code 1$/],
  ['worker-transfer', 'kill-mid-reply', 'crashed', /^worker exited with code 1$/],
  ['worker-transfer', 'exit-mid-reply', 'crashed', /^worker exited with code 0$/],
  // The same in a pool's worker (a pool of one): piscina notices the thread's end and replaces it.
  ['worker-pool', 'kill-mid-reply', 'crashed', /^worker-pool: a worker exited with code: 1; the pool replaces it$/],
  ['worker-pool', 'exit-mid-reply', 'crashed', /^worker-pool: a worker exited with code: 0; the pool replaces it$/],
  // A finding, kept as one: a length prefix one byte short of the envelope cuts the body silently.
  ['raw-socket', 'length-mismatch', 'wrong-reply', /resolved with a reply that differs/],
];

describe.concurrent('fault injectors', () => {
  it.each(cases)('%s, %s: %s, the caller survives, recovers and leaves nothing', async (transport, fault, observed, message) => {
    // A generous timeout: these faults are noticed long before it, however busy the machine.
    const result = await runFaultCase({ transport, fault }, { timeoutMs: 15_000 });
    expect([result.observed, result.message]).toEqual([observed, expect.stringMatching(message)]);
    expect(result).toMatchObject({ callerAlive: true, recovered: true, lost: 0, leftovers: { processes: 0, tempDirs: 0, redisKeys: null } });
    expect(result.finding).toBe(observed !== result.expected);
    if (observed !== 'wrong-reply') expect(result.detectMs).toBeLessThan(2000);
  });

  // With the others: its generous timeout is never what notices it.
  it('out-of-memory: a worker thread with a 32 MB heap fails alone; the caller goes on', async () => {
    const result = await runFaultCase({ transport: 'worker-transfer', fault: 'out-of-memory' }, { timeoutMs: 10_000 });
    expect(result).toMatchObject({ observed: 'out-of-memory', callerAlive: true, recovered: true, finding: false });
    expect(result.message).toMatch(/memory limit/);
  });
});

// Alone, after the others: the timeout also bounds the peer's start-up, which a crowded machine slows.
describe('timed faults', () => {

  it('hang: noticed only by the exchange timeout, measured from the moment the peer stopped', async () => {
    const result = await runFaultCase({ transport: 'raw-socket', fault: 'hang' }, { timeoutMs: 2000 });
    expect(result).toMatchObject({ observed: 'timeout', expected: 'timeout', finding: false, leftovers: { processes: 0, tempDirs: 0 } });
    expect(result.message).toMatch(/no answer within 2000 ms/);
    // The timeout runs from the exchange's start, the fault comes a little later; a busy machine
    // fires the timer late.
    expect(result.detectMs).toBeGreaterThan(1000);
    expect(result.detectMs).toBeLessThan(4000);
  });

  it('hang: a worker thread that blocks itself (Atomics.wait) is noticed only by the timeout, then terminated', async () => {
    const result = await runFaultCase({ transport: 'worker-transfer', fault: 'hang' }, { timeoutMs: 2000 });
    expect(result).toMatchObject({ observed: 'timeout', expected: 'timeout', finding: false, callerAlive: true, recovered: true, lost: 0 });
    expect(result.message).toBe('exchange 1 with the worker: no answer within 2000 ms');
    expect(result.detectMs).toBeGreaterThan(1000);
    expect(result.detectMs).toBeLessThan(4000);
  });

  it('hang: a pool worker that blocks itself is noticed by the pool\'s timeout, ended and replaced; the same pool answers again', async () => {
    const result = await runFaultCase({ transport: 'worker-pool', fault: 'hang' }, { timeoutMs: 2000 });
    expect(result).toMatchObject({ observed: 'timeout', expected: 'timeout', finding: false, callerAlive: true, recovered: true, lost: 0 });
    expect(result.message).toBe('worker-pool: no answer within 2000 ms; the worker was ended and replaced');
  });

});

describe('after every case', () => {
  it('no temp dir of ours is left', () => {
    expect(ourTempDirs()).toEqual([]);
  });
});
