import { describe, expect, it } from 'vitest';
import { applies, expectedOutcome, FAULT_IDS, injection, payloadFor, planCases, type FaultTarget } from '../../src/faults/cases.js';
import { isFinding } from '../../src/faults/classify.js';
import type { FaultCaseResult } from '../../src/results/schema.js';

const forked: FaultTarget = { id: 'fork-json', thread: false, framed: false };
const framed: FaultTarget = { id: 'chunked', thread: false, framed: true };
const thread: FaultTarget = { id: 'worker-transfer', thread: true, framed: false };
const pool: FaultTarget = { id: 'worker-pool', thread: true, framed: false, pooled: true };
const brokered: FaultTarget = { id: 'queue', thread: false, framed: false, brokered: true };

describe('the fault matrix', () => {
  it('applies protocol faults to framed transports only, out-of-memory to threads, and a worker ending itself to a pool', () => {
    expect(FAULT_IDS.filter((f) => applies(f, forked) === true)).toEqual(['kill-mid-transfer', 'kill-mid-reply', 'hang', 'exit-mid-reply', 'out-of-memory']);
    expect(FAULT_IDS.filter((f) => applies(f, framed) === true)).toEqual(FAULT_IDS.filter((f) => f !== 'worker-exit-mid-task'));
    // A lone worker thread: ended with worker.terminate(), blocked with Atomics.wait, exiting with code 0.
    expect(FAULT_IDS.filter((f) => applies(f, thread) === true)).toEqual(['kill-mid-transfer', 'kill-mid-reply', 'hang', 'exit-mid-reply', 'out-of-memory']);
    expect(applies('garbage-header', thread)).toBe('a worker thread has no wire format of its own (postMessage frames its messages)');
    expect(FAULT_IDS.filter((f) => applies(f, pool) === true)).toEqual(['kill-mid-transfer', 'kill-mid-reply', 'hang', 'exit-mid-reply', 'out-of-memory', 'worker-exit-mid-task']);
    expect(applies('worker-exit-mid-task', forked)).toBe('only a pool of worker threads has a worker that can end itself mid-task');
    expect(applies('garbage-header', forked)).toBe('no wire format of its own (Node frames its messages)');
    // The queue's peer is behind Redis: its faults are the queue scenario's tests, not this matrix.
    expect(FAULT_IDS.filter((f) => applies(f, brokered) === true)).toEqual([]);
  });

  it('plans every applicable pair in order; --quick one case per kind, each on a transport no earlier quick case took', () => {
    expect(planCases([framed, pool], ['hang', 'out-of-memory'], false)).toEqual([
      { transport: 'chunked', fault: 'hang' },
      { transport: 'chunked', fault: 'out-of-memory' },
      { transport: 'worker-pool', fault: 'hang' },
      { transport: 'worker-pool', fault: 'out-of-memory' },
    ]);
    expect(planCases([framed], FAULT_IDS, true).map((c) => c.fault)).toEqual(['kill-mid-transfer', 'hang', 'exit-mid-reply', 'truncated-frame', 'out-of-memory']);
    expect(planCases([forked, framed, pool], FAULT_IDS, true)).toEqual([
      { transport: 'fork-json', fault: 'kill-mid-transfer' },
      { transport: 'chunked', fault: 'hang' },
      { transport: 'worker-pool', fault: 'exit-mid-reply' },
      { transport: 'chunked', fault: 'truncated-frame' }, // the only one it applies to, taken or not
      { transport: 'fork-json', fault: 'out-of-memory' }, // every transport it applies to was taken: the first
      { transport: 'worker-pool', fault: 'worker-exit-mid-task' },
    ]);
    expect(planCases([forked, framed, thread, pool], FAULT_IDS, false)).toHaveLength(5 + 9 + 5 + 6);
    expect(planCases([thread], FAULT_IDS, true).map((c) => c.fault)).toEqual(['kill-mid-transfer', 'hang', 'exit-mid-reply', 'out-of-memory']);
    expect(planCases([pool], FAULT_IDS, true).map((c) => c.fault)).toEqual(['kill-mid-transfer', 'hang', 'exit-mid-reply', 'out-of-memory', 'worker-exit-mid-task']);
  });

  it('injects from outside where it can, through the peer where only the peer can', () => {
    expect(injection('kill-mid-transfer')).toEqual({ peerFault: null, signal: { name: 'SIGKILL', at: { afterMs: 30 } }, childHeapMb: null });
    expect(injection('kill-mid-reply')).toEqual({ peerFault: 'stop-mid-reply', signal: { name: 'SIGKILL', at: 'marker' }, childHeapMb: null });
    // A thread is not signalled: it blocks itself where the fault belongs, then worker.terminate() ends it.
    expect(injection('kill-mid-transfer', true)).toEqual({ peerFault: 'stop-on-receive', signal: { name: 'terminate', at: 'marker' }, childHeapMb: null });
    expect(injection('kill-mid-reply', true)).toEqual({ peerFault: 'stop-mid-reply', signal: { name: 'terminate', at: 'marker' }, childHeapMb: null });
    expect(injection('hang', true)).toEqual(injection('hang'));
    expect(injection('exit-mid-reply', true)).toEqual({ peerFault: 'exit-mid-reply', signal: null, childHeapMb: null });
    expect(injection('hang')).toEqual({ peerFault: 'stop-mid-reply', signal: null, childHeapMb: null });
    expect(injection('length-mismatch')).toEqual({ peerFault: 'length-mismatch', signal: null, childHeapMb: null });
    expect(injection('out-of-memory')).toEqual({ peerFault: null, signal: null, childHeapMb: 32 });
    expect(injection('worker-exit-mid-task')).toEqual({ peerFault: 'exit-mid-task', signal: null, childHeapMb: null });
  });

  it('expects an error of the right kind for each fault, and payloads node-ipc can carry', () => {
    expect(FAULT_IDS.map((f) => expectedOutcome(f, 'chunked'))).toEqual([
      'crashed', 'crashed', 'timeout', 'crashed', 'corrupted', 'corrupted', 'refused', 'corrupted', 'out-of-memory', 'crashed',
    ]);
    expect(expectedOutcome('oversize-announce', 'raw-socket')).toBe('corrupted');
    expect(payloadFor('kill-mid-transfer', 'node-ipc')).toEqual({ kind: 'bytes', sizeBytes: 4 * 1024 * 1024 });
    expect(payloadFor('kill-mid-transfer', 'chunked')).toEqual({ kind: 'bytes', sizeBytes: 48 * 1024 * 1024 });
    expect(payloadFor('hang', 'chunked')).toEqual({ kind: 'bytes', sizeBytes: 16 * 1024 * 1024 });
    expect(payloadFor('out-of-memory', 'chunked')).toEqual({ kind: 'records', records: 200_000 });
  });
});

describe('findings', () => {
  const clean: Omit<FaultCaseResult, 'finding'> = {
    transport: 'chunked', fault: 'hang', expected: 'timeout', observed: 'timeout', message: 'no answer', exitCode: null, signal: null,
    detectMs: 2000, callerAlive: true, recovered: true, lost: 0, leftovers: { processes: 0, tempDirs: 0 }, durationMs: 2500,
  };
  it('is a finding when anything differs from a sound outcome', () => {
    expect(isFinding(clean)).toBe(false);
    expect(isFinding({ ...clean, observed: 'crashed' })).toBe(true);
    expect(isFinding({ ...clean, callerAlive: false })).toBe(true);
    expect(isFinding({ ...clean, lost: 1 })).toBe(true);
    expect(isFinding({ ...clean, leftovers: { processes: 1, tempDirs: 0 } })).toBe(true);
    expect(isFinding({ ...clean, leftovers: { processes: 0, tempDirs: 1 } })).toBe(true);
    // A queue's keys left after its clean-up are leftovers too; null (no Redis, or it was gone) and
    // absent (a file from before the count) are not.
    expect(isFinding({ ...clean, leftovers: { processes: 0, tempDirs: 0, redisKeys: 1 } })).toBe(true);
    expect(isFinding({ ...clean, leftovers: { processes: 0, tempDirs: 0, redisKeys: 0 } })).toBe(false);
    expect(isFinding({ ...clean, leftovers: { processes: 0, tempDirs: 0, redisKeys: null } })).toBe(false);
    expect(isFinding({ ...clean, recovered: false })).toBe(true);
    expect(isFinding({ ...clean, recovered: null })).toBe(false);
  });
});
