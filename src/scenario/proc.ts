import { readdirSync, readFileSync } from 'node:fs';

// The process table as /proc shows it (Linux): who is whose child, and CPU time used. The fault
// runner finds the process to kill (the child busy with an import) and what outlived a case; the
// capacity phases read how much CPU the HTTP thread got.

/** Linux's USER_HZ: /proc counts CPU time in ticks of 10 ms on every architecture Node supports. */
const MS_PER_TICK = 10;

function stat(pid: number, tid?: number): string[] | null {
  try {
    const text = readFileSync(tid === undefined ? `/proc/${pid}/stat` : `/proc/${pid}/task/${tid}/stat`, 'utf8');
    // The command name is in parentheses and may hold spaces: fields start after the last ')'.
    return text.slice(text.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}

/** Every process under `root` (children, grandchildren, ...), zombies excluded. */
export function descendantsOf(root: number): number[] {
  const parentOf = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    const pid = Number(name);
    if (!Number.isInteger(pid)) continue;
    const fields = stat(pid);
    if (fields && fields[0] !== 'Z') parentOf.set(pid, Number(fields[1]));
  }
  const found = new Set<number>();
  for (let grew = true; grew; ) {
    grew = false;
    for (const [pid, ppid] of parentOf) {
      if (!found.has(pid) && (ppid === root || found.has(ppid))) {
        found.add(pid);
        grew = true;
      }
    }
  }
  return [...found];
}

/** The process's command name (/proc/<pid>/comm), or null when it is gone. */
export function commandName(pid: number): string | null {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return null;
  }
}

/** User + system CPU time of `pid` in clock ticks, or 0 when it is gone. */
export function cpuTicks(pid: number): number {
  const fields = stat(pid);
  return fields ? Number(fields[11]) + Number(fields[12]) : 0;
}

/**
 * User + system CPU time of a process's main thread (its JavaScript thread: the task whose id is
 * the pid) in ms, at 10 ms resolution; null where /proc has no such task (gone, or not Linux). Worker
 * threads, libuv's pool and V8's helper threads are not counted: the figure is the event loop's.
 */
export function mainThreadCpuMs(pid: number): number | null {
  const fields = stat(pid, pid);
  return fields ? (Number(fields[11]) + Number(fields[12])) * MS_PER_TICK : null;
}
