import { formatBytes, formatDurationMs, formatPercent } from '../format/numbers.js';
import { textTable } from '../format/text-table.js';
import type { Phase, ScenarioResult } from '../results/schema.js';
import { capacityTable } from './capacity-summary.js';
import { scenarioConclusions } from './conclusion.js';

const optionalMs = (ms: number | undefined): string => (ms === undefined ? '-' : formatDurationMs(ms));

function phaseRow(name: string, phase: Phase): string[] {
  return [
    name,
    String(phase.requests),
    phase.rps.toFixed(1),
    formatDurationMs(phase.latencyMs.p50),
    formatDurationMs(phase.latencyMs.p99),
    formatDurationMs(phase.latencyMs.max),
    formatDurationMs(phase.maxStallMs),
    formatPercent(phase.slowShare),
    String(phase.errors + phase.timeouts),
  ];
}

/** The end-of-run summary: a table and the conclusions. Returns a string; prints nothing. */
export function renderScenarioSummary(result: ScenarioResult, resultFile: string): string {
  const out: string[] = [`\n${result.scenario} (run ${result.runId})`];
  if (result.state === 'errored') {
    out.push(`ERRORED: ${result.error}`);
    for (const event of result.events ?? []) out.push(`Event: ${event}.`);
    out.push(`Result file: ${resultFile}`);
    return `${out.join('\n')}\n`;
  }
  out.push(
    '',
    textTable(
      ['phase', 'requests', 'req/s', 'p50', 'p99', 'max', 'max stall', '>100 ms', 'errors'],
      [phaseRow('baseline', result.phases.baseline), phaseRow('during imports', result.phases.underLoad)],
    ),
  );
  if (result.imports.length > 0) {
    const queued = result.imports.some((imp) => imp.queuedMs !== undefined);
    // A queue also says how long each import ran on its worker, and what each attempt did.
    const attempts = result.imports.some((imp) => imp.attempts !== undefined);
    out.push(
      '',
      textTable(
        ['import', 'start', 'duration', ...(queued ? ['queued'] : []), ...(attempts ? ['running'] : []), 'to worker', 'from worker', 'worker pid', ...(attempts ? ['attempts'] : []), 'result'],
        result.imports.map((imp, i) => [
          `#${i + 1}`,
          formatDurationMs(imp.startedAtMs),
          formatDurationMs(imp.durationMs),
          ...(queued ? [optionalMs(imp.queuedMs)] : []),
          ...(attempts ? [optionalMs(imp.runningMs)] : []),
          formatBytes(imp.bytesToWorker),
          formatBytes(imp.bytesFromWorker),
          imp.workerPid !== undefined ? String(imp.workerPid) : '-',
          ...(attempts ? [(imp.attempts ?? []).map((a) => `${a.pid}: ${a.outcome}`).join(', ') || '-'] : []),
          imp.ok ? 'ok' : `FAILED: ${imp.error ?? ''}`,
        ]),
      ),
    );
  }
  if (result.scale) {
    out.push(
      '',
      `Scale: ${result.scale.records} records per import, each worker ${result.scale.points[0]?.concurrency ?? '-'} at once`,
      textTable(
        ['local workers', 'imports', 'completed', 'span', 'imports/minute'],
        result.scale.points.map((p) => [String(p.workers), String(p.imports), String(p.completed), formatDurationMs(p.spanMs), p.importsPerMinute.toFixed(1)]),
      ),
    );
  }
  const pids = Object.keys(result.eventLoop);
  if (pids.length > 0) {
    out.push(
      '',
      textTable(
        ['serving pid', 'light requests', 'loop delay p50', 'p99', 'max'],
        pids.map((pid) => {
          const loop = result.eventLoop[pid];
          return [
            pid,
            String(result.phases.underLoad.requestsByPid[pid] ?? 0),
            formatDurationMs(loop?.p50Ms ?? 0),
            formatDurationMs(loop?.p99Ms ?? 0),
            formatDurationMs(loop?.maxMs ?? 0),
          ];
        }),
      ),
    );
  }
  const capacity = capacityTable(result);
  if (capacity) out.push('', capacity);
  out.push('', ...scenarioConclusions(result).map((line) => `- ${line}`), '', `Result file: ${resultFile}`);
  return `${out.join('\n')}\n`;
}
