import { descendantsOf } from '../../src/scenario/proc.js';

// The process table is read from /proc by the same code the fault runner uses (zombies excluded:
// a process that has exited and only waits to be reaped holds nothing).
export { descendantsOf };

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
      // a process can vanish while /proc is read; the next poll catches up
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
