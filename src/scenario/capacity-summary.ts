// The capacity part of the end-of-run summary: a table of both closed-loop phases and sentences
// computed from them. Pure: results in, text out.
import { formatDurationMs, formatNumber, formatPercent } from '../format/numbers.js';
import { textTable } from '../format/text-table.js';
import { capacityFacts, type HttpThreadFacts } from '../results/facts.js';
import type { Capacity, CompletedScenarioResult } from '../results/schema.js';
import { median } from './busy.js';

function capacityRow(name: string, phase: Capacity): string[] {
  const l = phase.closedLoopLatencyMs;
  return [
    name,
    String(phase.requests),
    formatNumber(phase.rps),
    formatDurationMs(l.p50),
    formatDurationMs(l.p99),
    formatDurationMs(l.max),
    String(phase.errors),
    String(phase.timeouts),
    String(phase.non2xx),
    `${phase.loadGeneratorCpuMs} ms`,
  ];
}

/** Both capacity phases as a table; null when they were not measured. */
export function capacityTable(result: CompletedScenarioResult): string | null {
  if (!result.capacity) return null;
  const { idle, duringImports } = result.capacity;
  return textTable(
    [`capacity (closed loop, ${idle.connections} conn.)`, 'requests', 'req/s', 'p50', 'p99', 'max', 'errors', 'timeouts', 'non-2xx', 'load generator CPU'],
    [capacityRow('idle', idle), capacityRow('during imports', duringImports)],
  );
}

/**
 * Where the capacity went, from the HTTP threads' CPU time: how much CPU they got in each phase and
 * how many requests they answered per CPU-second of it. On a machine with few cores the import's
 * process takes CPU from the HTTP thread even when nothing blocks it; this says which loss it was.
 */
export function httpThreadSentence(facts: HttpThreadFacts, cores: number): string {
  const cpu = (value: number): string => value.toFixed(2);
  const base =
    `HTTP thread CPU: ${cpu(facts.idleCores)} cores idle, ${cpu(facts.duringImportsCores)} during imports; per CPU-second it answered ` +
    `${formatNumber(facts.idlePerCpuSecond)} requests idle and ${formatNumber(facts.duringImportsPerCpuSecond)} during imports (${formatPercent(facts.perCpuSecondKept)}).`;
  if (facts.perCpuSecondKept < 0.5) return `${base} The CPU it got went to the import, not to requests.`;
  if (facts.lostCpuNotEfficiency) {
    return `${base} The capacity lost is CPU time the thread did not get (the import's process and the load generator share the machine's ${cores} cores), not work added to each request.`;
  }
  return base;
}

/** " (at idle priority)" where the imports left the HTTP process below its priority (--import-priority). */
function priorityNote(result: CompletedScenarioResult): string {
  const priority = result.config.importPriority;
  if (priority === 'idle') return ' (at idle priority)';
  return priority === 'low' ? ' (at nice 19)' : '';
}

/**
 * What the capacity kept cost the imports: how long those that finished inside the closed loop took,
 * against the latency phase's (light traffic). The one still running when the loop ends is awaited
 * and runs on without load, so its duration is left out: it would understate the cost. An import
 * below the server's priority runs on what the server leaves.
 */
function importPace(result: CompletedScenarioResult): string | null {
  const phase = result.capacity?.duringImports;
  const ok = phase?.imports.filter((imp) => imp.ok) ?? [];
  if (!phase || ok.length === 0) return null;
  const within = ok.filter((imp) => imp.startedAtMs + imp.durationMs <= phase.durationMs);
  const lightMs = median(result.imports.filter((imp) => imp.ok).map((imp) => imp.durationMs));
  const light = lightMs === null ? '' : `; under light traffic one took ${formatDurationMs(lightMs)}`;
  const withinMs = median(within.map((imp) => imp.durationMs));
  if (withinMs === null) {
    const first = ok[0]!;
    const pastMs = first.startedAtMs + first.durationMs - phase.durationMs;
    return `No import finished within the ${formatDurationMs(phase.durationMs)} closed loop (the first ended ${formatDurationMs(pastMs)} after it${light}).`;
  }
  return `Imports that finished within the closed loop: ${within.length}, a median of ${formatDurationMs(withinMs)} each${light}.`;
}

/** What the capacity phases say, in sentences. */
export function capacityConclusions(result: CompletedScenarioResult): string[] {
  const facts = capacityFacts(result);
  if (!facts || !result.capacity) {
    return result.config.capacityS === 0 ? ['Capacity: not measured (--capacity 0).'] : [];
  }
  const lines = [
    `Capacity (autocannon, closed loop on ${facts.connections} connections): ${formatNumber(facts.idleRps)} req/s idle, ` +
      `${formatNumber(facts.duringImportsRps)} req/s while imports ran back to back${priorityNote(result)}: ${formatPercent(facts.keptShare)} of its idle capacity.`,
  ];
  const pace = importPace(result);
  if (pace) lines.push(pace);
  if (facts.httpThread) lines.push(httpThreadSentence(facts.httpThread, result.env.cores));
  if (facts.stuckOnBusyProcess) {
    const { stuck, onBusyProcess } = facts.stuckOnBusyProcess;
    lines.push(
      `${stuck} of the busy worker's ${onBusyProcess} keep-alive connections (of ${facts.connections}) got no answer for the whole import: ` +
        'a connection stays with the worker that accepted it.',
    );
  }
  const failed = result.capacity.duringImports.imports.filter((imp) => !imp.ok);
  if (failed.length > 0) lines.push(`${failed.length} import(s) of the capacity phase failed: ${failed[0]?.error ?? 'no message'}.`);
  lines.push(
    `The load generator (autocannon, on this machine) used up to ${formatPercent(facts.loadGeneratorCpuShare)} of its ${result.env.cores} cores ` +
      'in a capacity phase: it competes with the server for them.',
  );
  return lines;
}
