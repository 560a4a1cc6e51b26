import { readFileSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';

// Peak resident set size from the kernel's own high-water mark (VmHWM in /proc/<pid>/status, Linux),
// not process.resourceUsage().maxRSS: in a forked child maxRSS also counts the parent's RSS at the
// moment of the fork (Linux folds the pre-exec memory map into it), so a fresh peer reported 772 MB
// against a real 337 MB, and a peer forked by a sweep holding a 256 MiB payload would count it too.

const VM_HWM_PATTERN = /^VmHWM:\s+(\d+)\s+kB$/m;

/** VmHWM of a /proc/<pid>/status text, in bytes; null when the line is missing. */
export function parseVmHwmBytes(status: string): number | null {
  const match = VM_HWM_PATTERN.exec(status);
  return match ? Number(match[1]) * 1024 : null;
}

/** Calls `read` at most once per `intervalMs` (by `nowMs`); in between, its last result. */
export function throttled(read: () => number, intervalMs: number, nowMs: () => number = () => performance.now()): () => number {
  let last: { value: number; atMs: number } | null = null;
  return () => {
    const now = nowMs();
    if (last === null || now - last.atMs >= intervalMs) last = { value: read(), atMs: now };
    return last.value;
  };
}

/**
 * This process's peak RSS, in bytes, as a peer reports it with every reply: read at most every
 * 50 ms, because reading /proc/self/status costs 30-90 us here, as much as a whole warm round trip
 * of a small message. A peak reached since the last read shows in a reply 50 ms later; the sweep
 * reads the peer's final figure from the kernel itself (processPeakRssBytes).
 */
export const ownPeakRssBytes = throttled(readOwnPeakRssBytes, 50);

/** This process's peak RSS so far, in bytes, read now. */
export function readOwnPeakRssBytes(): number {
  if (process.platform === 'linux') {
    try {
      const bytes = parseVmHwmBytes(readFileSync('/proc/self/status', 'utf8'));
      if (bytes !== null) return bytes;
    } catch {
      // /proc not mounted (some containers): fall back to maxRSS below
    }
  }
  // Elsewhere maxRSS is all there is (in KiB on every platform).
  return process.resourceUsage().maxRSS * 1024;
}

/**
 * Peak RSS of another process, read by the kernel rather than reported by the peer. Null where /proc
 * is not available or the process is gone: the caller then falls back to the peer's own report.
 */
export async function processPeakRssBytes(pid: number): Promise<number | null> {
  try {
    return parseVmHwmBytes(await readFile(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return null;
  }
}

/**
 * Resets another process's peak RSS (VmHWM) to its current RSS, so a later processPeakRssBytes
 * covers only what came after: writing "5" to /proc/<pid>/clear_refs (Linux 4.0 on). False where
 * that is not possible; the peak then still covers the process's whole life.
 */
export async function resetPeakRss(pid: number): Promise<boolean> {
  try {
    await writeFile(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}
