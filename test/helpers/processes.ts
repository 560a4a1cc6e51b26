import { execFileSync } from 'node:child_process';

function processTable(): Map<number, number> {
  const out = execFileSync('ps', ['-eo', 'pid=,ppid=,comm='], { encoding: 'utf8' });
  const parentOf = new Map<number, number>();
  for (const line of out.split('\n')) {
    const [pid, ppid, command] = line.trim().split(/\s+/);
    // ps itself is a child of whoever asks: never report it as one of the caller's processes.
    if (command === 'ps' || pid === undefined || ppid === undefined) continue;
    if (Number.isInteger(Number(pid))) parentOf.set(Number(pid), Number(ppid));
  }
  return parentOf;
}

export function descendantsOf(root: number): number[] {
  const parentOf = processTable();
  const found = new Set<number>();
  let grew = true;
  while (grew) {
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

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Polls the process tree under `root` and remembers every descendant it ever saw. */
export function watchDescendants(root: number, everyMs = 150): { seen: () => number[]; stop: () => number[] } {
  const seen = new Set<number>();
  const poll = (): void => {
    try {
      for (const pid of descendantsOf(root)) seen.add(pid);
    } catch {
      // ps can fail while the machine is busy; the next poll catches up
    }
  };
  poll();
  const timer = setInterval(poll, everyMs);
  return {
    seen: () => [...seen],
    stop: () => {
      clearInterval(timer);
      return [...seen];
    },
  };
}

/** Waits until none of `pids` is alive, or the timeout passes; returns those still alive. */
export async function waitAllGone(pids: number[], timeoutMs = 5000): Promise<number[]> {
  const deadline = Date.now() + timeoutMs;
  let alive = pids.filter(isAlive);
  while (alive.length > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    alive = alive.filter(isAlive);
  }
  return alive;
}
