import { fork } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { compiledEntry } from '../paths.js';
import type { FaultCaseResult } from '../results/schema.js';
import type { TransportId } from '../transports/registry.js';
import type { CaseReport, CaseSpec } from './case.js';
import type { CaseMessage } from './case-main.js';
import { expectedOutcome, type PlannedCase } from './cases.js';
import { isFinding } from './classify.js';

// Runs each planned case in a fresh caller process (case-main.ts) with a private temp dir, bounded
// in time, then checks what it left behind: peer processes still alive, temp dirs not removed.

export interface FaultRunOptions {
  timeoutMs: number;
  signal?: AbortSignal;
}

export type FaultEvent = { type: 'case-start'; index: number; total: number; planned: PlannedCase } | { type: 'case-done'; result: FaultCaseResult };

/** Beyond the exchange timeout before the runner gives up on a caller process (a start, a recovery, a close). */
const CALLER_GRACE_MS = 20_000;
const GONE_WAIT_MS = 1000;

/** Alive and not a zombie (a dead child not yet reaped by whoever inherited it). */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true; // no /proc: trust kill(0)
  }
}

async function stillRunning(pids: readonly number[]): Promise<number[]> {
  const deadline = Date.now() + GONE_WAIT_MS;
  let alive = pids.filter((pid) => pid !== process.pid && isRunning(pid));
  while (alive.length > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    alive = alive.filter(isRunning);
  }
  return alive;
}

interface CallerEnd {
  report: CaseReport | null;
  failure: string | null;
  code: number | null;
  signal: NodeJS.Signals | null;
  stderrTail: string;
  timedOut: boolean;
}

function runCaller(spec: CaseSpec, options: FaultRunOptions): Promise<CallerEnd> {
  return new Promise((resolve) => {
    const child = fork(compiledEntry('faults/case-main.js'), [JSON.stringify(spec)], {
      execArgv: [], // plain node, never the runner's loader flags (vitest)
      env: { ...process.env, TMPDIR: spec.dir },
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    let report: CaseReport | null = null;
    let failure: string | null = null;
    let stderrTail = '';
    let timedOut = false;
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (text: string) => (stderrTail = (stderrTail + text).slice(-2000)));
    child.on('message', (message: CaseMessage) => {
      if (message.type === 'report') report = message.report;
      else failure = message.message;
    });
    const stop = (): void => void child.kill('SIGTERM');
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, spec.timeoutMs + CALLER_GRACE_MS);
    options.signal?.addEventListener('abort', stop, { once: true });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', stop);
      resolve({ report, failure, code, signal, stderrTail, timedOut });
    });
  });
}

function lastLine(text: string): string {
  return text.trim().split('\n').pop()?.trim().slice(0, 300) ?? '';
}

/** One case on fresh processes: the caller's report, plus what it left behind. */
export async function runFaultCase(planned: PlannedCase, options: FaultRunOptions): Promise<FaultCaseResult> {
  const startedMs = performance.now();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ipc-lab-fault-'));
  try {
    const spec: CaseSpec = { transport: planned.transport as TransportId, fault: planned.fault, timeoutMs: options.timeoutMs, dir };
    const end = await runCaller(spec, options);
    const report: CaseReport = end.report ?? {
      observed: end.timedOut ? 'no-answer' : end.failure !== null ? 'not-started' : 'caller-crashed',
      message: end.failure !== null ? `the case did not start: ${end.failure}` : (end.timedOut ? `the caller did not finish within ${spec.timeoutMs + CALLER_GRACE_MS} ms` : `the caller ${end.signal ? `was killed by ${end.signal}` : `exited with code ${end.code}`}: ${lastLine(end.stderrTail)}`),
      exitCode: null,
      signal: null,
      detectMs: null,
      recovered: null,
      lost: end.timedOut ? 1 : 0,
      peerPids: [],
    };
    const processes = (await stillRunning(report.peerPids)).length;
    const tempDirs = readdirSync(dir).filter((name) => name.startsWith('ipc-lab-')).length;
    const callerAlive = (end.report !== null || end.failure !== null) && end.code === 0;
    const expected = expectedOutcome(planned.fault, planned.transport);
    const result: Omit<FaultCaseResult, 'finding'> = {
      transport: planned.transport,
      fault: planned.fault,
      expected,
      observed: report.observed,
      message: report.message,
      exitCode: report.exitCode,
      signal: report.signal,
      detectMs: report.detectMs,
      callerAlive,
      recovered: report.recovered,
      lost: report.lost,
      // No transport case involves Redis: the queue transport is brokered and gets none (cases.ts).
      leftovers: { processes, tempDirs, redisKeys: null },
      durationMs: Math.round(performance.now() - startedMs),
    };
    return { ...result, finding: isFinding(result) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Every planned case, one after the other (a case's timing must not share the cores with another's). */
export async function runFaults(
  cases: readonly PlannedCase[],
  options: FaultRunOptions,
  onEvent: (event: FaultEvent) => void = () => {},
  results: FaultCaseResult[] = [],
): Promise<FaultCaseResult[]> {
  for (const [index, planned] of cases.entries()) {
    if (options.signal?.aborted) throw options.signal.reason;
    onEvent({ type: 'case-start', index, total: cases.length, planned });
    const result = await runFaultCase(planned, options);
    if (options.signal?.aborted) throw options.signal.reason;
    results.push(result);
    onEvent({ type: 'case-done', result });
  }
  return results;
}
