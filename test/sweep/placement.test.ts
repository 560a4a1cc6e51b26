import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { closePeer, interruptedMeanwhile, startPeer } from '../../src/sweep/peer-life.js';
import { allowedCpusOf, CpuPlacement, parseCpuList, pinWithRetries, PIN_ATTEMPTS, planPlacement } from '../../src/sweep/placement.js';
import { getTransport } from '../../src/transports/registry.js';
import type { Transport, TransportId } from '../../src/transports/types.js';

const OPTIONS = { timeoutMs: 10_000 };

describe('pinWithRetries', () => {
  /** A pin that fails `failures` times, then works; counts its calls. */
  function flaky(failures: number): { pin: () => void; calls: () => number } {
    let calls = 0;
    return {
      pin: () => {
        calls += 1;
        if (calls <= failures) throw new Error(`taskset failed (call ${calls})`);
      },
      calls: () => calls,
    };
  }

  it('tries again while the process runs: a thread that ended mid-walk fails one call, not the pin', () => {
    const twice = flaky(2);
    pinWithRetries(twice.pin, () => true);
    expect(twice.calls()).toBe(3);
    expect(PIN_ATTEMPTS).toBe(3);
  });

  it('gives up after the attempts, with the last error, or at once when the process is gone', () => {
    const always = flaky(Infinity);
    expect(() => pinWithRetries(always.pin, () => true)).toThrow('taskset failed (call 3)');
    expect(always.calls()).toBe(3);
    const gone = flaky(Infinity);
    expect(() => pinWithRetries(gone.pin, () => false)).toThrow('taskset failed (call 1)');
    expect(gone.calls()).toBe(1);
  });
});

describe('cpu lists and the plan', () => {
  it('parses Linux cpu lists exactly', () => {
    expect(parseCpuList('0-1')).toEqual([0, 1]);
    expect(parseCpuList('0,2-3,8\n')).toEqual([0, 2, 3, 8]);
    expect(parseCpuList('5')).toEqual([5]);
    expect(parseCpuList('')).toEqual([]);
    expect(() => parseCpuList('3-1')).toThrow('not a cpu list: "3-1"');
    expect(() => parseCpuList('0-x')).toThrow('not a cpu list');
  });
  it('reads Cpus_allowed_list out of a /proc status text', () => {
    expect(allowedCpusOf('Name:\tnode\nCpus_allowed:\t3\nCpus_allowed_list:\t0-1\nMems_allowed:\t1\n')).toEqual([0, 1]);
    expect(allowedCpusOf('Name:\tnode\n')).toBeNull();
  });
  it('puts the sweep on the first allowed CPU and its peers on the second; none with one CPU', () => {
    expect(planPlacement([1, 0])).toEqual({ sweeperCpu: 0, peerCpu: 1 });
    expect(planPlacement([7, 2, 2, 5])).toEqual({ sweeperCpu: 2, peerCpu: 5 });
    expect(planPlacement([3])).toBeNull();
    expect(planPlacement([])).toBeNull();
  });
});

describe('a placement cut short by Ctrl-C', () => {
  it('is an interrupt when taskset died of SIGINT/SIGTERM and the sweep\'s signal aborts soon after; else the error stands', async () => {
    const aborting = new AbortController();
    setTimeout(() => aborting.abort(new Error('SIGINT')), 20);
    expect(await interruptedMeanwhile(Object.assign(new Error('spawnSync taskset'), { signal: 'SIGINT' }), aborting.signal)).toBe(true);
    expect(await interruptedMeanwhile(Object.assign(new Error('spawnSync taskset'), { signal: 'SIGTERM' }), AbortSignal.abort())).toBe(true);
    expect(await interruptedMeanwhile(new Error('taskset: failed to set pid 4194400\'s affinity'), AbortSignal.abort())).toBe(false);
    expect(await interruptedMeanwhile(Object.assign(new Error('killed'), { signal: 'SIGINT' }), new AbortController().signal)).toBe(false); // never aborted: 200 ms, then no
    expect(await interruptedMeanwhile(Object.assign(new Error('killed'), { signal: 'SIGINT' }), undefined)).toBe(false);
  });
});

const allowedOf = (pid: number, tid: number = pid): number[] | null =>
  allowedCpusOf(readFileSync(`/proc/${pid}/task/${tid}/status`, 'utf8'));
const placement = CpuPlacement.probe();
// Where this machine has one CPU, no taskset, or is not Linux, there is nothing to place: say so.
const onPlaceable = placement ? describe : describe.skip;
if (!placement) console.warn('placement tests skipped: this machine offers no second CPU or no taskset');

onPlaceable('placing real peers', () => {
  const plan = placement!.plan;
  it('a forked peer runs on the peers\' CPU with every thread it has', async () => {
    const peer = await startPeer(getTransport('fork-json'), OPTIONS, 10_000, undefined, placement);
    try {
      const tids = readdirSync(`/proc/${peer.pid}/task`).map(Number);
      expect(tids.length).toBeGreaterThan(1); // V8's helpers too, not the main thread alone
      for (const tid of tids) expect(allowedOf(peer.pid, tid)).toEqual([plan.peerCpu]);
    } finally {
      expect(await closePeer(peer)).toBeNull();
    }
  });
  it('a thread peer: its new threads go to the peers\' CPU, this process\'s own threads stay where they were', async () => {
    const mainBefore = allowedOf(process.pid);
    const before = new Set(readdirSync('/proc/self/task').map(Number));
    const peer = await startPeer(getTransport('worker-transfer'), OPTIONS, 10_000, undefined, placement);
    try {
      const added = readdirSync('/proc/self/task').map(Number).filter((tid) => !before.has(tid));
      expect(added.length).toBeGreaterThan(0);
      for (const tid of added) expect(allowedOf(process.pid, tid)).toEqual([plan.peerCpu]);
      expect(allowedOf(process.pid)).toEqual(mainBefore);
    } finally {
      expect(await closePeer(peer)).toBeNull();
    }
  });
  it('start() puts every thread of this process on the sweep\'s CPU; restore() gives the CPUs back', () => {
    const before = allowedOf(process.pid);
    try {
      placement!.start();
      expect(allowedOf(process.pid)).toEqual([plan.sweeperCpu]);
    } finally {
      placement!.restore();
    }
    expect(allowedOf(process.pid)).toEqual(before);
  });
  it('a peer that cannot be placed is closed, and the start fails saying why', async () => {
    let closed = 0;
    // A pid no process has (above Linux's pid_max of 2^22): taskset fails on it.
    const ghost: Transport = {
      id: 'ghost' as TransportId, title: 'ghost', talkIteration: null,
      start: async () => ({ pid: 4_194_400, exchange: () => Promise.reject(new Error('unused')), close: async () => void closed++ }),
    };
    await expect(startPeer(ghost, OPTIONS, 10_000, undefined, CpuPlacement.probe())).rejects.toThrow(`ghost: could not place the peer on CPU ${plan.peerCpu}:`);
    expect(closed).toBe(1);
  });
});
