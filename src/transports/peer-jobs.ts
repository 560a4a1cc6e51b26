import { readFileSync } from 'node:fs';
import { diffStations, generateStations } from '../workload/index.js';
import type { Station } from '../workload/types.js';
import type { Job, Payload } from './types.js';

// The work every peer does, whatever the transport: pure except for the per-process baseline cache.

let cachedBaseline: { records: number; seed: number; stations: Station[] } | null = null;

function baselineFor(records: number, seed: number): Station[] {
  // The talk's child read the database itself; regenerating it is deterministic and cheap to cache,
  // so a pooled peer pays for it once.
  if (cachedBaseline === null || cachedBaseline.records !== records || cachedBaseline.seed !== seed) {
    cachedBaseline = { records, seed, stations: generateStations(records, seed) };
  }
  return cachedBaseline.stations;
}

export function runJob(job: Job, payload: Payload): Payload {
  switch (job.kind) {
    case 'echo':
      return payload;
    case 'diff': {
      if (payload.kind !== 'records') throw new Error(`job 'diff' needs a 'records' payload, got '${payload.kind}'`);
      const baseline = baselineFor(job.baselineRecords, job.baselineSeed);
      return { kind: 'diff', diff: diffStations(baseline, payload.records, job.workPerRecord) };
    }
  }
}

const VM_HWM_PATTERN = /^VmHWM:\s+(\d+)\s+kB$/m;

/**
 * This process's peak resident set size so far, in bytes. On Linux from the kernel's high-water mark
 * (VmHWM in /proc/self/status), not process.resourceUsage().maxRSS: in a forked child maxRSS also
 * counts the parent's RSS at the moment of the fork (a fresh peer reported 772 MB against a real
 * 337 MB). Elsewhere maxRSS is all there is (in KiB on every platform).
 */
export function peakRssBytes(): number {
  if (process.platform === 'linux') {
    try {
      const match = VM_HWM_PATTERN.exec(readFileSync('/proc/self/status', 'utf8'));
      if (match) return Number(match[1]) * 1024;
    } catch {
      // /proc not mounted (some containers): fall back to maxRSS below
    }
  }
  return process.resourceUsage().maxRSS * 1024;
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
