import { execFileSync } from 'node:child_process';
import { existsSync, readlinkSync } from 'node:fs';
import os from 'node:os';

// How import work that leaves the HTTP process is scheduled against it. On 2 cores the import, the
// server and the load generator want three: at the server's own priority the import kept a whole core
// (the OS places the server and autocannon, which wake each other, on one core between them), and a
// nice value did not change that (measured: the child at nice 10 still ran at 96-98% of a core while
// the server and autocannon shared the other). SCHED_IDLE did: a core that runs only idle-policy work
// counts as free when the server wakes, so the server takes it and the import gets what is left:
// fork-send kept a median 78% of its idle capacity during imports against 51% (5 alternating pairs),
// its HTTP thread got 0.75-0.88 cores against 0.29-0.49, and each import took longer (8.6-8.9 s
// against 5.1-5.5 s) while the server was busy.

export const IMPORT_PRIORITIES = ['normal', 'low', 'idle'] as const;
/**
 * normal: the server's own (the talk's); low: nice 19; idle: SCHED_IDLE, run only when no other
 * thread wants the CPU (Linux, set with util-linux's chrt: Node has no call for scheduling policies).
 */
export type ImportPriority = (typeof IMPORT_PRIORITIES)[number];

/** The nice value of `low`, the lowest there is. */
export const LOW_NICE = 19;

function firstExisting(candidates: readonly string[]): string | null {
  return candidates.find((candidate) => existsSync(candidate)) ?? null;
}

/** util-linux's chrt on this machine, or null (not Linux, or not installed): `idle` needs it. */
export function chrtPath(): string | null {
  return process.platform === 'linux' ? firstExisting(['/usr/bin/chrt', '/bin/chrt']) : null;
}

let chrtUsable: boolean | undefined;

/**
 * Whether `idle` works here: chrt exists and may set SCHED_IDLE (a container's seccomp profile can
 * refuse it). Asked once, by running `chrt -i 0 true`.
 */
export function idleAvailable(): boolean {
  if (chrtUsable === undefined) {
    const chrt = chrtPath();
    try {
      if (chrt !== null) execFileSync(chrt, ['-i', '0', 'true'], { stdio: 'ignore', timeout: 5000 });
      chrtUsable = chrt !== null;
    } catch {
      chrtUsable = false;
    }
  }
  return chrtUsable;
}

/**
 * What runs a forked peer at `priority`: chrt (idle) or nice (low), which set the priority and then
 * exec node in the same process, so the fork channel, the pid and every thread node starts have it
 * from the start; node itself for normal, or for low where there is no nice (afterFork then).
 */
export function forkLauncher(priority: ImportPriority): { execPath: string; leadingArgs: string[] } {
  if (priority === 'idle') {
    const chrt = chrtPath();
    if (chrt === null) throw new Error('import priority idle needs chrt (util-linux, Linux)');
    return { execPath: chrt, leadingArgs: ['-i', '0', process.execPath] };
  }
  const nice = priority === 'low' ? firstExisting(['/usr/bin/nice', '/bin/nice']) : null;
  return nice ? { execPath: nice, leadingArgs: ['-n', String(LOW_NICE), process.execPath] } : { execPath: process.execPath, leadingArgs: [] };
}

/** `low` without a nice program: nice 19 for the forked peer's main thread, as soon as it exists. */
export function afterFork(pid: number, priority: ImportPriority): void {
  if (priority !== 'low' || forkLauncher('low').execPath !== process.execPath) return;
  try {
    os.setPriority(pid, LOW_NICE);
  } catch (error: unknown) {
    // ESRCH: it ended at once, and its owner says how; anything else is a refusal worth hearing about.
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

/**
 * From inside a worker thread: this thread only (Linux keeps a nice value and a policy per thread,
 * and pid 0 means the calling thread). `idle` runs chrt on this thread's id and waits for it (a few
 * milliseconds of this thread, as it loads): a refusal throws, so the pool fails to start rather
 * than run at a priority its results would misstate.
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
  execFileSync(chrt, ['-i', '-p', '0', threadId], { stdio: 'ignore' });
}
