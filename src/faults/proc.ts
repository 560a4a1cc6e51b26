import { readdirSync, readFileSync } from 'node:fs';

// The process table as /proc shows it (Linux): who is whose child, and CPU time used. The fault
// runner finds the process to kill (the child busy with an import) and what outlived a case.

function stat(pid: number): string[] | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
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
