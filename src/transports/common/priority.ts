import { execFile } from 'node:child_process';
import { existsSync, readlinkSync } from 'node:fs';
import os from 'node:os';

// How import work that leaves the HTTP process is scheduled against it. On 2 cores the import, the
// server and the load generator want three: at the server's own priority the import kept a whole core
// (the OS places the server and autocannon, which wake each other, on one core between them), and a
// nice value did not change that (measured: the child at nice 10 still ran at 96-98% of a core while
// the server and autocannon shared the other). SCHED_IDLE did: a core that runs only idle-policy work
// counts as free when the server wakes, so the server takes it and the import gets what is left.

export const IMPORT_PRIORITIES = ['normal', 'low', 'idle'] as const;
/**
 * normal: the server's own (the talk's); low: nice 19; idle: SCHED_IDLE, run only when no other
 * thread wants the CPU (Linux, set with util-linux's chrt: Node has no call for scheduling policies).
 */
export type ImportPriority = (typeof IMPORT_PRIORITIES)[number];

/** The nice value of `low`, the lowest there is. */
export const LOW_NICE = 19;

/** util-linux's chrt on this machine, or null (not Linux, or not installed): `idle` needs it. */
export function chrtPath(): string | null {
  if (process.platform !== 'linux') return null;
  return ['/usr/bin/chrt', '/bin/chrt'].find((candidate) => existsSync(candidate)) ?? null;
}

/**
 * What runs a forked peer at `priority`: for `idle`, chrt, which sets the policy and then execs node
 * in the same process (so the fork channel, the pid and every thread node starts keep it); otherwise
 * node itself (`low` is set right after the fork: afterFork).
 */
export function forkLauncher(priority: ImportPriority): { execPath: string; leadingArgs: string[] } {
  const chrt = priority === 'idle' ? chrtPath() : null;
  if (priority === 'idle' && chrt === null) throw new Error('import priority idle needs chrt (util-linux, Linux)');
  return chrt ? { execPath: chrt, leadingArgs: ['--idle', '0', process.execPath] } : { execPath: process.execPath, leadingArgs: [] };
}

/** `low`: nice 19 for the forked peer, before it starts threads of its own (they inherit it). */
export function afterFork(pid: number, priority: ImportPriority): void {
  if (priority !== 'low') return;
  try {
    os.setPriority(pid, LOW_NICE);
  } catch {
    // ESRCH: it ended at once; its owner says how
  }
}

/**
 * From inside a worker thread: this thread only (Linux keeps a nice value and a policy per thread,
 * and pid 0 means the calling thread). `idle` asks chrt for this thread's id; until it has run,
 * a few milliseconds, the thread runs at the pool's priority.
 */
export function lowerThisThread(priority: ImportPriority): void {
  if (priority === 'normal') return;
  if (priority === 'low') {
    os.setPriority(LOW_NICE);
    return;
  }
  const chrt = chrtPath();
  if (chrt === null) throw new Error('import priority idle needs chrt (util-linux, Linux)');
  const threadId = readlinkSync('/proc/thread-self').split('/').pop() ?? '';
  execFile(chrt, ['--idle', '-p', '0', threadId], () => undefined);
}
