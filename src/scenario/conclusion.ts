import { formatBytes, formatDurationMs, formatPercent } from '../format/numbers.js';
import type { CompletedScenarioResult } from '../results/schema.js';
import { capacityConclusions } from './capacity-summary.js';

const mean = (values: number[]): number => values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);

/** What the serving processes did with the imports asked of them, summed over processes. */
function admissionLine(result: CompletedScenarioResult): string | null {
  const perPid = Object.values(result.admission ?? {});
  if (perPid.length === 0) return null;
  const sum = (key: 'admitted' | 'completed' | 'failed' | 'refused' | 'cancelled'): number => perPid.reduce((total, c) => total + c[key], 0);
  const peak = Math.max(...perPid.map((c) => c.peakInFlight));
  const limit = perPid[0]?.limit ?? 0;
  const where = perPid.length > 1 ? `each of ${perPid.length} serving processes takes at most ${limit}` : `at most ${limit}`;
  return (
    `Over the run the server admitted ${sum('admitted')} import(s): ${sum('completed')} completed, ${sum('failed')} failed, ` +
    `${sum('cancelled')} cancelled (client gone); ${sum('refused')} refused with 503 (${where} in flight; peak ${peak}).`
  );
}

/** Where imports queued (a pool): how long they waited for a free worker. */
function queueLine(result: CompletedScenarioResult): string | null {
  // A job queue's imports (with attempts) have their own line: queueRunLine.
  const waits = result.imports.filter((imp) => imp.ok && imp.queuedMs !== undefined && imp.attempts === undefined).map((imp) => imp.queuedMs as number);
  if (waits.length === 0) return null;
  const sorted = [...waits].sort((a, b) => a - b);
  const median = sorted[Math.floor((sorted.length - 1) / 2)] ?? 0;
  return (
    `From hand-over to the job's start in a worker (waiting for a free one, plus the copy into it) imports took ${formatDurationMs(median)} at the median, ` +
    `${formatDurationMs(sorted.at(-1) ?? 0)} at most, over ${waits.length} completed import(s).`
  );
}

/** Peak memory of the serving processes (worker threads included) and of the largest import child. */
function memoryLine(result: CompletedScenarioResult): string | null {
  const servers = Object.values(result.peakRssBytes ?? {});
  if (servers.length === 0) return null;
  const children = result.imports.map((imp) => imp.peerPeakRssBytes).filter((bytes): bytes is number => bytes !== undefined);
  return (
    `Peak RSS: ${formatBytes(Math.max(...servers))} for the HTTP process${servers.length > 1 ? ' (largest of its processes)' : ''}` +
    (children.length > 0
      ? `, plus up to ${formatBytes(Math.max(...children))} for the child running an import.`
      : result.imports.some((imp) => imp.attempts !== undefined)
        ? ' (the queue\'s worker processes not counted).'
        : ' (any worker threads included).')
  );
}

/** What the numbers say, in sentences computed from the result alone. */
export function scenarioConclusions(result: CompletedScenarioResult): string[] {
  const { baseline, underLoad } = result.phases;
  const lines: string[] = [];
  lines.push(
    `During imports ${formatPercent(underLoad.slowShare)} of light requests took over 100 ms ` +
      `(baseline ${formatPercent(baseline.slowShare)}); p99 went from ${formatDurationMs(baseline.latencyMs.p99)} ` +
      `to ${formatDurationMs(underLoad.latencyMs.p99)}.`,
  );

  const ok = result.imports.filter((imp) => imp.ok);
  const failed = result.imports.filter((imp) => !imp.ok);
  if (ok.length > 0) {
    const longestImportMs = Math.max(...ok.map((imp) => imp.durationMs));
    const ratio = underLoad.maxStallMs / longestImportMs;
    const verdict =
      ratio >= 0.5
        ? 'the server froze for most of an import'
        : ratio >= 0.1
          ? 'the server stalled for part of an import'
          : 'the server kept answering while importing';
    lines.push(
      `Longest stall: ${formatDurationMs(underLoad.maxStallMs)} without a single light answer; the longest import took ` +
        `${formatDurationMs(longestImportMs)} (${formatPercent(ratio)} of it): ${verdict}.`,
    );
  } else {
    lines.push(`Longest stall: ${formatDurationMs(underLoad.maxStallMs)}; no import completed.`);
  }
  if (underLoad.extendedByMs !== undefined) {
    lines.push(
      `The under-load phase ran ${formatDurationMs(underLoad.extendedByMs)} past its planned ` +
        `${formatDurationMs(underLoad.durationMs - underLoad.extendedByMs)}, until the last import ended: it contains every import it started.`,
    );
  }
  const overrunMs = Math.max(0, ...result.imports.map((imp) => imp.startedAtMs + imp.durationMs - underLoad.durationMs));
  if (overrunMs > 0) {
    lines.push(
      `Imports ran ${formatDurationMs(overrunMs)} past the end of the light traffic: that part of them is not measured; ` +
        'use a longer --duration (or fewer --imports).',
    );
  }
  if (failed.length > 0) {
    lines.push(`${failed.length} of ${result.imports.length} imports failed: ${failed[0]?.error ?? 'no message'}.`);
  }

  const byPid = Object.entries(underLoad.requestsByPid).sort((a, b) => b[1] - a[1]);
  if (byPid.length > 1) {
    const total = byPid.reduce((sum, [, n]) => sum + n, 0);
    const spread = byPid.map(([pid, n]) => `pid ${pid} ${formatPercent(n / Math.max(1, total))}`).join(', ');
    lines.push(`Light requests spread over ${byPid.length} serving processes: ${spread}.`);
  }
  const busy = result.busyWorker;
  if (busy && busy.requestsDuringImports > 0 && byPid.length > 1) {
    lines.push(
      `${busy.servedByBusyProcess} of ${busy.requestsDuringImports} light requests sent during imports ` +
        `(${formatPercent(busy.servedByBusyProcess / busy.requestsDuringImports)}) landed on the process busy importing` +
        (busy.busyP50Ms !== null ? `; their median latency was ${formatDurationMs(busy.busyP50Ms)}` : '') +
        (busy.otherP50Ms !== null ? `, against ${formatDurationMs(busy.otherP50Ms)} on the free ones` : '') +
        '.',
    );
  }

  const moved = ok.filter((imp) => imp.bytesToWorker + imp.bytesFromWorker > 0);
  if (moved.length > 0) {
    const blocks = moved.map((imp) => imp.transferBlockMs).filter((ms): ms is number => ms !== undefined);
    lines.push(
      `Each import moved ${formatBytes(mean(moved.map((imp) => imp.bytesToWorker)))} to the worker and ` +
        `${formatBytes(mean(moved.map((imp) => imp.bytesFromWorker)))} back` +
        (blocks.length > 0 ? `; the hand-off blocked the HTTP process for up to ${formatDurationMs(Math.max(...blocks))}.` : '.'),
    );
  }
  const queue = queueLine(result);
  if (queue !== null) lines.push(queue);
  const queued = queueRunLine(result.imports);
  if (queued) lines.push(queued);
  const memory = memoryLine(result);
  if (memory !== null) lines.push(memory);
  lines.push(...capacityConclusions(result));
  const admission = admissionLine(result);
  if (admission !== null) lines.push(admission);
  for (const event of result.events ?? []) lines.push(`Event: ${event}.`);
  return lines;
}

/** Through a queue: how long imports waited and ran, where, and which needed more than one attempt. */
export function queueRunLine(imports: CompletedScenarioResult['imports']): string | null {
  const through = imports.filter((imp) => imp.attempts !== undefined);
  if (through.length === 0) return null;
  const waits = through.map((imp) => imp.queuedMs).filter((ms): ms is number => ms !== undefined);
  const runs = through.map((imp) => imp.runningMs).filter((ms): ms is number => ms !== undefined);
  const hosts = new Map<string, number>();
  for (const imp of through) if (imp.workerHost !== undefined) hosts.set(imp.workerHost, (hosts.get(imp.workerHost) ?? 0) + 1);
  const retried = through.filter((imp) => (imp.attempts?.length ?? 0) > 1);
  return (
    'Through the queue: ' +
    (waits.length > 0 ? `queued up to ${formatDurationMs(Math.max(...waits))}` : 'no queue time recorded') +
    (runs.length > 0 ? `, running up to ${formatDurationMs(Math.max(...runs))}` : '') +
    (hosts.size > 0 ? `; run on ${[...hosts].map(([host, n]) => `${host} (${n})`).join(', ')}` : '') +
    `; ${retried.length} of ${through.length} needed more than one attempt` +
    (retried.length > 0 ? ` (${retried.map((imp) => imp.attempts?.map((a) => a.outcome).join(' then ')).join('; ')})` : '') +
    '.'
  );
}
