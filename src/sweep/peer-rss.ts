import { readFile } from 'node:fs/promises';

/**
 * Peak resident set of another process, from the kernel's own high-water mark (VmHWM in
 * /proc/<pid>/status, Linux). Preferred to what a peer reports from process.resourceUsage().maxRSS:
 * in a forked child, maxRSS also counts the parent's RSS at the moment of the fork (Linux folds the
 * pre-exec memory map into it), so a peer forked by a sweep holding a 256 MiB payload would report
 * that payload as its own. Null where /proc is not available or the process is gone.
 */
export async function processPeakRssBytes(pid: number): Promise<number | null> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const match = /^VmHWM:\s+(\d+)\s+kB$/m.exec(status);
    return match ? Number(match[1]) * 1024 : null;
  } catch {
    return null; // not Linux, or the peer already ended: the caller falls back to the peer's report
  }
}
