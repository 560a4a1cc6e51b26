import { readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { resolveScenarioConfig, type ScenarioArgs } from '../../../src/commands/scenario.js';
import { getTransport } from '../../../src/transports/registry.js';

// PeerOptions.niceness end to end: a forked peer and its threads, a pool's worker thread (and not
// the thread that started it), and the scenario option that sets it.

/** The nice value of every thread of `pid`, by thread id (field 19 of /proc/<pid>/task/<tid>/stat). */
function threadNiceness(pid: number): Map<number, number> {
  const byTid = new Map<number, number>();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
    // Fields after the command name, which is in parentheses and may hold spaces: state is field 3.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    byTid.set(Number(tid), Number(fields[19 - 3]));
  }
  return byTid;
}

describe.skipIf(process.platform !== 'linux')('import niceness', () => {
  it('a forked peer runs at the given nice value', async () => {
    const peer = await getTransport('fork-json').start({ timeoutMs: 20_000, niceness: 7 });
    try {
      // Its main thread, where the import runs (the threads Node starts inherit it when they start after it was set).
      expect(os.getPriority(peer.pid)).toBe(7);
      expect(threadNiceness(peer.pid).get(peer.pid)).toBe(7);
    } finally {
      await peer.close();
    }
  });

  it("a pool's worker thread lowers only its own priority: the thread that serves HTTP keeps its own", async () => {
    const before = threadNiceness(process.pid);
    const peer = await getTransport('worker-pool').start({ timeoutMs: 20_000, niceness: 7, workers: 1 });
    try {
      const after = threadNiceness(process.pid);
      const lowered = [...after].filter(([tid, nice]) => nice === 7 && !before.has(tid));
      expect(lowered.length).toBeGreaterThanOrEqual(1);
      expect(after.get(process.pid)).toBe(before.get(process.pid));
    } finally {
      await peer.close();
    }
  });
});

describe('--import-nice', () => {
  const args = (extra: Partial<ScenarioArgs> = {}): ScenarioArgs => ({
    id: 'fork-send',
    duration: '15',
    warmup: '2',
    rate: '50',
    records: '1000',
    imports: '2',
    concurrency: '1',
    changes: '0.1',
    work: '0',
    reconnect: false,
    pool: false,
    host: '127.0.0.1',
    port: '0',
    'import-timeout': '300',
    capacity: '5',
    'capacity-connections': '10',
    json: false,
    out: 'results',
    ...extra,
  });

  it('defaults to 10, takes 0 to 19, and names itself when refused', () => {
    expect(resolveScenarioConfig(args()).importNice).toBe(10);
    expect(resolveScenarioConfig(args({ 'import-nice': '0' })).importNice).toBe(0);
    expect(resolveScenarioConfig(args({ 'import-nice': '19' })).importNice).toBe(19);
    expect(() => resolveScenarioConfig(args({ 'import-nice': '20' }))).toThrow('--import-nice must be an integer from 0 to 19 (got "20")');
    expect(() => resolveScenarioConfig(args({ 'import-nice': '-5' }))).toThrow('--import-nice must be an integer from 0 to 19 (got "-5")');
  });

  it('is 0 where imports run in an HTTP process, and a usage error given there', () => {
    expect(resolveScenarioConfig(args({ id: 'single-thread' })).importNice).toBe(0);
    expect(() => resolveScenarioConfig(args({ id: 'cluster', 'import-nice': '5' }))).toThrow(
      '--import-nice applies to scenarios whose imports leave the HTTP process: fork-send, node-ipc, buffer-zlib, chunked, worker-pool, queue',
    );
  });
});
