import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import type { TransportPeer } from '../transports/types.js';

// Where the sweep's processes run. Left to the scheduler, a fresh process on this machine (a 2-CPU
// VM) drew a speed and kept it: one process copying 16 MiB through a Unix socket to itself took
// 2.5-3.9 ms depending on the process, 2.6-3.1 ms with the process pinned to one CPU; one point's
// three fresh 64 MiB chunked peers took 43.9, 63.2 and 66.1 ms each. Two transports at one size
// were compared across those draws, and chunked ÷ raw-socket MB/s at 1-64 MiB fell below 0.8 in
// about one ratio in six with either transport unchanged. So the sweep puts its own threads on one
// CPU and every peer (a child process, all its threads; or a worker thread of this process) on
// another: each exchange's two ends run side by side on CPUs of their own, the same two for every
// transport and every peer. Needs Linux's sched_setaffinity, reached through util-linux's
// `taskset` (Node has no API for it), and two CPUs this process may use; elsewhere the sweep runs
// unplaced and records that (config.cpuPlacement null).

export interface CpuPlan {
  /** The sweeping process's threads. */
  sweeperCpu: number;
  /** Every peer: child processes with all their threads, worker threads of this process. */
  peerCpu: number;
}

/** "0-3,8,10-11" (Linux's cpu list format, as /proc/<pid>/status prints Cpus_allowed_list) as CPU numbers. */
export function parseCpuList(text: string): number[] {
  const cpus: number[] = [];
  for (const part of text.trim().split(',')) {
    if (part === '') continue;
    const match = /^(\d+)(?:-(\d+))?$/.exec(part);
    if (!match) throw new Error(`not a cpu list: ${JSON.stringify(text)}`);
    const first = Number(match[1]);
    const last = match[2] === undefined ? first : Number(match[2]);
    if (last < first) throw new Error(`not a cpu list: ${JSON.stringify(text)}`);
    for (let cpu = first; cpu <= last; cpu++) cpus.push(cpu);
  }
  return cpus;
}

/** The first two CPUs allowed: the sweep on one, its peers on the other; null with fewer than two. */
export function planPlacement(allowedCpus: readonly number[]): CpuPlan | null {
  const [sweeperCpu, peerCpu] = [...new Set(allowedCpus)].sort((a, b) => a - b);
  return sweeperCpu === undefined || peerCpu === undefined ? null : { sweeperCpu, peerCpu };
}

/** The Cpus_allowed_list line's text of a process's /proc status, or null where it has none. */
function allowedListOf(statusText: string): string | null {
  return /^Cpus_allowed_list:\s*(.+)$/m.exec(statusText)?.[1]?.trim() ?? null;
}

/** Cpus_allowed_list of a process's /proc status text, or null where it has none. */
export function allowedCpusOf(statusText: string): number[] | null {
  const list = allowedListOf(statusText);
  return list === null ? null : parseCpuList(list);
}

function taskset(args: readonly string[]): void {
  // Milliseconds when it works; the bound keeps a wedged call from hanging the sweep. Its stderr
  // goes into the error: "Command failed" alone does not say which thread or why.
  execFileSync('taskset', args, { stdio: ['ignore', 'ignore', 'pipe'], timeout: 5_000 });
}

/** Attempts in all at pinning a child process, while it still runs (pinWithRetries). */
export const PIN_ATTEMPTS = 3;

/**
 * Calls `pin` until it works, up to `attempts` times, as long as `stillRunning()` says the process is
 * there; the last error otherwise. Why: `taskset -a` sets one thread after another, and a thread
 * that ends in between fails the whole call, though the process is fine (a bench's Node 22 sweep lost
 * node-ipc at 4 KiB that way, "Command failed: taskset -a -cp 1 <pid>"). The next call lists the
 * threads as they are then.
 */
export function pinWithRetries(pin: () => void, stillRunning: () => boolean, attempts = PIN_ATTEMPTS): void {
  for (let attempt = 1; ; attempt++) {
    try {
      pin();
      return;
    } catch (error: unknown) {
      if (attempt >= attempts || !stillRunning()) throw error;
    }
  }
}

function threadIds(): Set<number> {
  return new Set(readdirSync('/proc/self/task').map(Number));
}

/**
 * Owns the sweep's placement: pins this process's threads on start(), each peer as it starts, and
 * gives this process its CPUs back on restore(). Create it with CpuPlacement.probe().
 */
export class CpuPlacement {
  private restored = false;

  private constructor(
    readonly plan: CpuPlan,
    /** This process's cpu list before start(), for restore(). */
    private readonly originalList: string,
  ) {}

  /** A placement where this machine allows one (Linux, taskset, two CPUs for this process); else null. */
  static probe(): CpuPlacement | null {
    if (process.platform !== 'linux') return null;
    try {
      const originalList = allowedListOf(readFileSync('/proc/self/status', 'utf8'));
      const plan = originalList === null ? null : planPlacement(parseCpuList(originalList));
      if (!plan || originalList === null) return null;
      // Does taskset exist and may it set our affinity? Setting what we have is a no-op that answers both.
      taskset(['-cp', originalList, String(process.pid)]);
      return new CpuPlacement(plan, originalList);
    } catch {
      return null;
    }
  }

  /** Every thread this process has now goes to the sweeper's CPU. */
  start(): void {
    pinWithRetries(() => taskset(['-a', '-cp', String(this.plan.sweeperCpu), String(process.pid)]), () => true);
  }

  /** The threads this process has now: what pinPeer() compares with to find a thread peer's threads. */
  snapshot(): Set<number> {
    return threadIds();
  }

  /**
   * Moves a peer that just started to the peers' CPU: a child process with all its threads (those it
   * creates later inherit it), or, for a peer inside this process, the threads that appeared since
   * `before` (its worker threads).
   */
  pinPeer(peer: TransportPeer, before: ReadonlySet<number>): void {
    const cpu = String(this.plan.peerCpu);
    if (peer.pid !== process.pid) {
      // taskset -a reports success for a pid that does not exist: a peer gone already must not pass.
      readdirSync(`/proc/${peer.pid}/task`);
      pinWithRetries(
        () => taskset(['-a', '-cp', cpu, String(peer.pid)]),
        () => existsSync(`/proc/${peer.pid}/task`),
      );
      return;
    }
    for (const tid of threadIds()) {
      if (before.has(tid)) continue;
      try {
        taskset(['-cp', cpu, String(tid)]);
      } catch (error: unknown) {
        // A thread that ended in between (a helper that came and went) needs no place.
        if (readdirSync('/proc/self/task').includes(String(tid))) throw error;
      }
    }
  }

  /** Every thread of this process back on the CPUs it had before start(). Safe to call twice. */
  restore(): void {
    if (this.restored) return;
    this.restored = true;
    pinWithRetries(() => taskset(['-a', '-cp', this.originalList, String(process.pid)]), () => true);
  }
}
