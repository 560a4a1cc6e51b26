import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveScenarioConfig, type ScenarioArgs } from '../../../src/commands/scenario.js';
import { idleAvailable } from '../../../src/transports/common/priority.js';
import { getTransport } from '../../../src/transports/registry.js';
import { runCli } from '../../helpers/cli.js';
import { scenarioArgs } from '../../helpers/scenario-args.js';

// PeerOptions.priority end to end: a forked peer, a pool's worker thread (and not the thread that
// started it), and the scenario option that sets it.

const SCHED_IDLE = 5;

/** Nice value and scheduling policy of every thread of `pid`, by thread id (/proc/<pid>/task/<tid>/stat fields 19 and 41). */
function threads(pid: number): Map<number, { nice: number; policy: number }> {
  const byTid = new Map<number, { nice: number; policy: number }>();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      // Fields after the command name, which is in parentheses and may hold spaces: state is field 3.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      byTid.set(Number(tid), { nice: Number(fields[19 - 3]), policy: Number(fields[41 - 3]) });
    } catch {
      // a thread that ended meanwhile
    }
  }
  return byTid;
}

async function eventually(check: () => boolean, timeoutMs = 5000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return true;
}

const withChrt = process.platform === 'linux' && idleAvailable();
if (process.platform === 'linux' && !withChrt) {
  // Said, not silently skipped; and CI must not pass by testing less (util-linux is on every Debian).
  if (process.env.CI === 'true') throw new Error('chrt (util-linux) is required here (CI=true): --import-priority idle cannot be tested');
  console.warn('priority.test: no usable chrt (util-linux): the idle-priority tests are skipped');
}

describe.skipIf(process.platform !== 'linux')('import priority', () => {
  it('low: a forked peer runs at nice 19, every thread of it', async () => {
    const peer = await getTransport('fork-json').start({ timeoutMs: 20_000, priority: 'low' });
    try {
      expect(os.getPriority(peer.pid)).toBe(19);
      expect(new Set([...threads(peer.pid).values()].map((t) => t.nice))).toEqual(new Set([19]));
    } finally {
      await peer.close();
    }
  });

  it.skipIf(!withChrt)('idle: a forked peer starts under SCHED_IDLE, every thread of it, and still answers', async () => {
    const peer = await getTransport('raw-socket').start({ timeoutMs: 20_000, priority: 'idle' });
    try {
      const policies = new Set([...threads(peer.pid).values()].map((t) => t.policy));
      expect(policies).toEqual(new Set([SCHED_IDLE]));
      const { reply } = await peer.exchange({ kind: 'echo' }, { kind: 'bytes', bytes: Buffer.from('Linz') });
      expect(reply).toEqual({ kind: 'bytes', bytes: Buffer.from('Linz') });
    } finally {
      await peer.close();
    }
  });

  it.skipIf(!withChrt)("idle: a pool's worker thread lowers only its own: the thread that serves HTTP keeps its policy", async () => {
    const before = threads(process.pid);
    const peer = await getTransport('worker-pool').start({ timeoutMs: 20_000, priority: 'idle', workers: 1 });
    try {
      const lowered = (): number[] => [...threads(process.pid)].filter(([tid, t]) => t.policy === SCHED_IDLE && !before.has(tid)).map(([tid]) => tid);
      expect(await eventually(() => lowered().length >= 1)).toBe(true);
      expect(threads(process.pid).get(process.pid)).toEqual(before.get(process.pid));
    } finally {
      await peer.close();
    }
  });

  it("low: worker-transfer's thread lowers its own nice value, not this thread's, and still answers", async () => {
    const before = threads(process.pid);
    const peer = await getTransport('worker-transfer').start({ timeoutMs: 20_000, priority: 'low' });
    try {
      // Started means the thread has loaded and said ready, after lowering itself.
      const lowered = [...threads(process.pid)].filter(([tid, t]) => t.nice === 19 && !before.has(tid));
      expect(lowered).toHaveLength(1);
      expect(threads(process.pid).get(process.pid)).toEqual(before.get(process.pid));
      const { reply } = await peer.exchange({ kind: 'echo' }, { kind: 'bytes', bytes: Buffer.from('Linz') });
      expect(reply).toEqual({ kind: 'bytes', bytes: Buffer.from('Linz') });
    } finally {
      await peer.close();
    }
  });
});

describe('--import-priority', () => {
  const args = (extra: Partial<ScenarioArgs> = {}): ScenarioArgs => scenarioArgs('fork-send', extra);

  it('defaults to idle where chrt is (else low), takes normal, low and idle, and names itself when refused', () => {
    expect(resolveScenarioConfig(args()).importPriority).toBe(withChrt ? 'idle' : 'low');
    expect(resolveScenarioConfig(args({ 'import-priority': 'normal' })).importPriority).toBe('normal');
    expect(resolveScenarioConfig(args({ 'import-priority': 'low' })).importPriority).toBe('low');
    expect(() => resolveScenarioConfig(args({ 'import-priority': 'nice' }))).toThrow('--import-priority accepts one of: normal, low, idle (got "nice")');
  });

  it('is normal where imports run in an HTTP process, and a usage error given there', () => {
    expect(resolveScenarioConfig(args({ id: 'single-thread' })).importPriority).toBe('normal');
    expect(() => resolveScenarioConfig(args({ id: 'cluster', 'import-priority': 'low' }))).toThrow(
      '--import-priority applies to scenarios whose imports leave the HTTP process: fork-send, node-ipc, buffer-zlib, chunked, worker-pool, queue',
    );
  });
});

// Finding out whether idle works here runs chrt, a process of its own: bad input must not get that
// far. A process list polled from outside can miss a probe that lasts milliseconds, so the CLI is
// run with a preloaded module that writes down every child_process call it makes.
describe('--import-priority: bad input runs nothing, not even the chrt probe', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'spawn-log-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const tracer = path.join(dir, 'trace.cjs');
  writeFileSync(
    tracer,
    `const cp = require('node:child_process');
const { appendFileSync } = require('node:fs');
for (const name of ['spawn', 'spawnSync', 'execFile', 'execFileSync', 'exec', 'execSync', 'fork']) {
  const original = cp[name];
  cp[name] = function (...args) {
    appendFileSync(process.env.SPAWN_LOG, name + ' ' + String(args[0]) + '\\n');
    return original.apply(this, args);
  };
}
require('node:module').syncBuiltinESMExports();
`,
  );
  let runs = 0;
  const traced = (): { log: string; env: NodeJS.ProcessEnv } => {
    const log = path.join(dir, `spawns-${++runs}.log`);
    writeFileSync(log, '');
    return { log, env: { NODE_OPTIONS: `--require ${JSON.stringify(tracer)}`, SPAWN_LOG: log } };
  };

  it('the tracer sees a call made through an ESM import (it can fail)', () => {
    const { log, env } = traced();
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', "import { execFileSync } from 'node:child_process'; execFileSync(process.execPath, ['-e', '0']);"], {
      env: { ...process.env, ...env },
    });
    expect(run.status).toBe(0);
    expect(readFileSync(log, 'utf8')).toBe(`execFileSync ${process.execPath}\n`);
  });

  it('an unwritable --out, and the queue without redis-server: exit 2 before any child_process call', async () => {
    const notADir = path.join(dir, 'a-file');
    writeFileSync(notADir, '');
    const out = traced();
    const badOut = await runCli(['scenario', 'fork-send', '--out', notADir], { env: out.env });
    expect([badOut.code, badOut.stdout]).toEqual([2, '']);
    expect(badOut.stderr).toContain('--out');
    expect(readFileSync(out.log, 'utf8')).toBe('');

    const noRedis = traced();
    const queue = await runCli(['scenario', 'queue'], { env: { ...noRedis.env, PATH: path.join(dir, 'no-such-dir') } });
    expect([queue.code, queue.stdout]).toEqual([2, '']);
    expect(queue.stderr).toContain('redis-server not found on PATH');
    expect(readFileSync(noRedis.log, 'utf8')).toBe('');
  });
});
