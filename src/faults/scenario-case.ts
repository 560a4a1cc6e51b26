import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { errorMessage } from '../format/error.js';
import type { FaultCaseResult, FaultOutcome } from '../results/schema.js';
import { startServerProcess } from '../scenario/server-process.js';
import { isFinding } from './classify.js';
import { commandName, cpuTicks, descendantsOf } from '../scenario/proc.js';
import { DEFAULT_PLACEMENT } from '../transports/queue/messages.js';
import { DEFAULT_MAXMEMORY_BYTES } from '../transports/queue/redis-config.js';
import type { QueueSettings } from '../transports/queue/settings.js';
import { isRunning } from './run.js';
import { waitForMarker } from './case.js';

// Scenario faults: the process doing an import is SIGKILLed while light traffic runs, on the
// scenario's real server (started by the scenario runner's own plumbing). What the client of the
// import sees, how soon, whether light requests were answered during and after, what is left.

export const SCENARIO_FAULTS = {
  /** An IPC scenario: the child doing the import (a fresh one per import) is killed. */
  'child-killed-mid-import': { scenarios: ['fork-send', 'node-ipc', 'buffer-zlib', 'chunked'], expected: 'crashed' },
  /** cluster: the worker doing the import is killed; the primary replaces it. */
  'worker-killed-mid-import': { scenarios: ['cluster'], expected: 'error' },
  /**
   * worker-pool: the pool worker doing the import ends itself halfway through it (a thread cannot be
   * signalled from outside; the server is started with the fault, common/peer-fault.ts); the pool
   * replaces it.
   */
  'pool-worker-exit-mid-import': { scenarios: ['worker-pool'], expected: 'crashed' },
  /**
   * queue: the worker process running the import's job is SIGKILLed; its lock (2 s here) expires and
   * the other worker takes the job again: the import completes, late, and nothing is lost.
   */
  'queue-worker-killed-mid-import': { scenarios: ['queue'], expected: 'ok' },
  /**
   * queue: the private redis-server is SIGKILLed with the import in flight: a 502 naming the lost
   * connection, soon (an error of the queue, not a child's crash), and the next import refused.
   */
  'redis-killed-mid-import': { scenarios: ['queue'], expected: 'error' },
} as const satisfies Record<string, { scenarios: readonly string[]; expected: FaultOutcome }>;
export type ScenarioFaultId = keyof typeof SCENARIO_FAULTS;

const RECORDS = 20_000;
/** Work per record: an import of a few seconds (about 3 s inline on a busy core), so the kill lands in its middle. */
const IMPORT_WORK = 10_000;
/** The import's own bound: far beyond the kill, so what ends the import is the fault, not the clock. */
const IMPORT_TIMEOUT_MS = 30_000;
const LIGHT_EVERY_MS = 20;
const AFTER_FAULT_MS = 1000;
/** fetch's own message is only "fetch failed": the cause says what happened to the connection. */
function withCause(error: unknown): string {
  const cause: unknown = (error as { cause?: unknown }).cause;
  return cause instanceof Error ? `${errorMessage(error)} (${cause.message})` : errorMessage(error);
}

/** Where the queue's server writes how many keys its clean-up left (QueueSettings.keysLeftFile). */
const keysLeftFile = (dir: string): string => path.join(dir, 'redis-keys-left');

/**
 * The queue scenario's own defaults but a 2 s lock, so a killed worker's job is taken again within
 * about 4 s; the server counts the keys its clean-up left before its private Redis stops.
 */
export function faultQueueSettings(dir: string): QueueSettings {
  return {
    redis: null, queueName: `faults-${path.basename(dir)}`, placement: DEFAULT_PLACEMENT, workers: 2, concurrency: 1, attempts: 2,
    lockDurationMs: 2000, maxmemoryBytes: DEFAULT_MAXMEMORY_BYTES, keysLeftFile: keysLeftFile(dir),
  };
}

/**
 * Keys the queue left in its Redis after its own clean-up (the server wrote the count on its way
 * out); null where no Redis is involved, or none could be counted (the Redis was gone).
 */
export function redisKeysLeft(scenario: string, dir: string): number | null {
  const file = keysLeftFile(dir);
  if (scenario !== 'queue' || !existsSync(file)) return null;
  const count = Number(readFileSync(file, 'utf8'));
  return Number.isInteger(count) && count >= 0 ? count : null;
}

/** Kinds for `--quick`: the process doing the import dies, or a part the design depends on does. */
const SCENARIO_FAULT_KINDS: Record<ScenarioFaultId, 'import-process-dies' | 'dependency-dies'> = {
  'child-killed-mid-import': 'import-process-dies',
  'worker-killed-mid-import': 'import-process-dies',
  'pool-worker-exit-mid-import': 'import-process-dies',
  'queue-worker-killed-mid-import': 'import-process-dies',
  'redis-killed-mid-import': 'dependency-dies',
};

/** Every scenario of each chosen fault; `--quick`: one case per kind, the first scenario of its first fault. */
export function planScenarioCases(faults: readonly string[], quick: boolean): { scenario: string; fault: ScenarioFaultId }[] {
  const seenKinds = new Set<string>();
  return (Object.keys(SCENARIO_FAULTS) as ScenarioFaultId[])
    .filter((fault) => faults.includes(fault))
    .filter((fault) => {
      if (!quick) return true;
      if (seenKinds.has(SCENARIO_FAULT_KINDS[fault])) return false;
      seenKinds.add(SCENARIO_FAULT_KINDS[fault]);
      return true;
    })
    .flatMap((fault) => SCENARIO_FAULTS[fault].scenarios.slice(0, quick ? 1 : undefined).map((scenario) => ({ scenario, fault })));
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** The serving process's descendant busiest over a short window (the one running the import). */
async function busiest(candidates: () => number[]): Promise<number | null> {
  const before = new Map(candidates().map((pid) => [pid, cpuTicks(pid)]));
  await sleep(200);
  let best: { pid: number; used: number } | null = null;
  for (const [pid, ticks] of before) {
    const used = cpuTicks(pid) - ticks;
    if (isRunning(pid) && (!best || used > best.used)) best = { pid, used };
  }
  return best?.pid ?? null;
}

/** Classifies what the import's client got: a 5xx naming how the child ended, a broken connection, or a reply. */
function importOutcome(answer: { status: number; error: string | null } | { thrown: string }): { observed: FaultOutcome; message: string | null } {
  if ('thrown' in answer) return { observed: 'error', message: `the import's connection failed: ${answer.thrown}` };
  if (answer.status === 200) return { observed: 'ok', message: null };
  const text = answer.error ?? `status ${answer.status}`;
  const kind: FaultOutcome = /out of memory/.test(text) ? 'out-of-memory' : /SIGKILL|signal|exited with code/.test(text) ? 'crashed' : /no answer within/.test(text) ? 'timeout' : 'error';
  return { observed: kind, message: `${answer.status}: ${text}` };
}

export async function runScenarioFault(scenario: string, fault: ScenarioFaultId): Promise<FaultCaseResult> {
  const startedMs = performance.now();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ipc-lab-fault-'));
  const markerFile = path.join(dir, 'fault-at');
  /** The worker ends itself (a thread): no process to kill, the fault's moment comes from its marker. */
  const selfEnding = fault === 'pool-worker-exit-mid-import';
  const tmpBefore = process.env.TMPDIR;
  // The server and its children inherit it: their temp dirs land here, where leftovers are counted.
  process.env.TMPDIR = dir;
  let server;
  try {
    server = await startServerProcess(scenario, {
      host: '127.0.0.1', port: 0, records: RECORDS, workers: 2, pool: false, importTimeoutMs: IMPORT_TIMEOUT_MS, childHeapMb: null, importPriority: 'normal', maxImports: 2,
      ...(selfEnding ? { peerFault: { fault: 'exit-mid-task', markerFile } } : {}),
      ...(scenario === 'queue' ? { queue: faultQueueSettings(dir) } : {}),
    });
  } finally {
    if (tmpBefore === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = tmpBefore;
  }
  const base = `http://127.0.0.1:${server.port}`;
  const seen = new Set<number>();
  const light: { atMs: number; ok: boolean }[] = [];
  let lightRunning = true;
  const lightLoop = (async () => {
    for (let i = 1; lightRunning; i++) {
      const atMs = performance.now();
      const ok = await fetch(`${base}/stations/${(i % RECORDS) + 1}`, { signal: AbortSignal.timeout(2000) }).then((r) => r.ok, () => false);
      light.push({ atMs, ok });
      await sleep(LIGHT_EVERY_MS);
    }
  })();
  try {
    const serving = server.pids;
    const candidates = (): number[] => {
      const pids = fault === 'worker-killed-mid-import' ? serving : serving.flatMap((pid) => descendantsOf(pid));
      for (const pid of pids) seen.add(pid);
      // The queue's Redis is a descendant too: only the Redis fault kills it, only it is killed there.
      if (fault === 'redis-killed-mid-import') return pids.filter((pid) => commandName(pid) === 'redis-server');
      return pids.filter((pid) => commandName(pid) !== 'redis-server');
    };
    const answered = fetch(`${base}/import?records=${RECORDS}&changes=0.1&seed=1&work=${IMPORT_WORK}`, { method: 'POST', signal: AbortSignal.timeout(IMPORT_TIMEOUT_MS + 5000) }).then(
      async (res) => ({ status: res.status, error: res.ok ? null : (((await res.json().catch(() => ({}))) as { error?: string }).error ?? null), atMs: performance.now() }),
      (error: unknown) => ({ thrown: withCause(error), atMs: performance.now() }),
    );
    let target: number | null = null;
    let faultAtMs = performance.now();
    if (!selfEnding) {
      await sleep(800); // the import reaches its child or worker and is busy there
      target = await busiest(candidates);
      faultAtMs = performance.now();
      if (target !== null) process.kill(target, 'SIGKILL');
    }
    const answer = await answered;
    if (selfEnding) {
      // Written just before the thread ended, so before the import's answer: there already, if at all.
      const markedEpochMs = await waitForMarker(markerFile, performance.timeOrigin + performance.now() + 100);
      if (markedEpochMs !== null) {
        target = server.pids[0] ?? null;
        faultAtMs = markedEpochMs - performance.timeOrigin;
      }
    }
    await sleep(AFTER_FAULT_MS);
    const after = await fetch(`${base}/stations/7`, { signal: AbortSignal.timeout(2000) }).then((r) => r.ok, () => false);
    // The next import goes on: a small one (no work per record), on a fresh child or a replaced worker.
    const nextImport = await fetch(`${base}/import?records=${RECORDS}&changes=0.1&seed=2&work=0`, { method: 'POST', signal: AbortSignal.timeout(IMPORT_TIMEOUT_MS) }).then(
      (r) => r.status,
      () => null,
    );
    lightRunning = false;
    await lightLoop;
    const during = light.filter((l) => l.atMs >= faultAtMs);
    const outcome = target === null
      ? { observed: 'not-started' as const, message: selfEnding ? 'the pool worker did not end itself (no fault marker)' : 'no process was found doing the import' }
      : importOutcome(answer);
    if (outcome.observed === 'ok' && target !== null) {
      outcome.message = `200 ${Math.round(answer.atMs - faultAtMs)} ms after the fault: the import was done again elsewhere`;
    }
    const lost = 'thrown' in answer && /timeout|aborted/i.test(answer.thrown) ? 1 : 0;
    candidates(); // children that started late are counted too
    const serverAlive = server.lostReason() === null;
    await server.stop();
    await sleep(300);
    const result: Omit<FaultCaseResult, 'finding'> = {
      transport: scenario,
      fault,
      expected: SCENARIO_FAULTS[fault].expected,
      observed: outcome.observed,
      message: outcome.message,
      exitCode: null,
      signal: target === null || selfEnding ? null : 'SIGKILL',
      detectMs: outcome.observed === 'ok' ? null : Math.round((answer.atMs - faultAtMs) * 10) / 10,
      callerAlive: serverAlive,
      // With its Redis gone a queue cannot import: it must say so at once (a 5xx), not hang.
      recovered: after && (fault === 'redis-killed-mid-import' ? nextImport !== null && nextImport >= 500 : nextImport === 200),
      lost,
      leftovers: {
        processes: [...seen].filter((pid) => pid !== target && isRunning(pid)).length,
        tempDirs: readdirSync(dir).filter((n) => n.startsWith('ipc-lab-')).length,
        redisKeys: redisKeysLeft(scenario, dir),
      },
      durationMs: Math.round(performance.now() - startedMs),
      light: { sent: during.length, failed: during.filter((l) => !l.ok).length },
    };
    return { ...result, finding: isFinding(result) };
  } finally {
    lightRunning = false;
    await lightLoop;
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
