// The report's capacity sentences: how much of its idle capacity each design kept during imports,
// and how much of the machine the load generator took. Pure: results in, text out.
import { findScenario, scenarioIds } from '../../scenarios/index.js';
import { formatNumber, formatPercent } from '../format/numbers.js';
import { orderIds } from '../format/order.js';
import { capacityFacts, completed, type CapacityFacts } from '../results/facts.js';
import type { ScenarioResult } from '../results/schema.js';

const NOT_MEASURED = 'not measured';

function measured(results: ReadonlyMap<string, ScenarioResult>): { id: string; facts: CapacityFacts | null }[] {
  return orderIds([...scenarioIds(), ...results.keys()], scenarioIds()).flatMap((id) => {
    const done = completed(results.get(id));
    return done ? [{ id, facts: capacityFacts(done) }] : [];
  });
}

/** The table cell: "idle / during imports (kept)" req/s. */
export function capacityCell(result: ScenarioResult | undefined): string {
  const done = completed(result);
  const facts = done ? capacityFacts(done) : null;
  if (!facts) return NOT_MEASURED;
  const stuck = facts.stuckOnBusyProcess;
  const note = stuck ? `; ${stuck.stuck} of the busy worker's ${stuck.onBusyProcess} connections stuck` : '';
  return `${formatNumber(facts.idleRps)} / ${formatNumber(facts.duringImportsRps)} (${formatPercent(facts.keptShare)}${note})`;
}

function stuckNote(facts: CapacityFacts): string {
  const stuck = facts.stuckOnBusyProcess;
  return stuck ? ` (${stuck.stuck} of the busy worker's ${stuck.onBusyProcess} keep-alive connections stuck)` : '';
}

/** The summary's capacity line, or null when no completed scenario has a result. */
export function capacitySummary(results: ReadonlyMap<string, ScenarioResult>): string | null {
  const rows = measured(results);
  if (rows.length === 0) return null;
  const parts = rows.map(({ id, facts }, i) => {
    if (!facts) return `${id}: ${NOT_MEASURED}`;
    const kept = `${formatPercent(facts.keptShare)}${stuckNote(facts)}`;
    return i === 0 ? `${id} served ${kept} of its idle capacity` : `${id} ${kept}`;
  });
  const connections = [...new Set(rows.flatMap(({ facts }) => (facts ? [facts.connections] : [])))];
  const label = connections.length === 1 ? `autocannon's closed loop on ${connections[0]} connections` : "autocannon's closed loop";
  return `- Capacity (${label}): during imports ${parts.join('; ')}.`;
}

/**
 * Where each design's capacity went during imports, from its HTTP threads' CPU time: the cores they
 * got idle and during imports, and the requests per CPU-second kept. Null when no result recorded it.
 */
export function capacityCpu(results: ReadonlyMap<string, ScenarioResult>): string | null {
  const rows = measured(results).flatMap(({ id, facts }) => (facts?.httpThread ? [{ id, cpu: facts.httpThread }] : []));
  if (rows.length === 0) return null;
  const cores = completed(results.get(rows[0]!.id))?.env.cores ?? 0;
  const parts = rows.map(
    ({ id, cpu }) => `${id} ${cpu.idleCores.toFixed(2)} → ${cpu.duringImportsCores.toFixed(2)} cores, ${formatPercent(cpu.perCpuSecondKept)}`,
  );
  const cpuBound = rows.filter(({ cpu }) => cpu.lostCpuNotEfficiency);
  const reading =
    cpuBound.length > 0
      ? ` For ${cpuBound.map(({ id }) => id).join(', ')} the capacity lost during imports is CPU time the HTTP thread did not get ` +
        `(the import's process, the server and the load generator share ${cores} cores), not work the design adds to each request.`
      : '';
  return (
    `Where the capacity went: the HTTP threads' CPU (from /proc, main threads only), idle → during imports, and the requests per ` +
    `CPU-second they kept: ${parts.join('; ')}.${reading}`
  );
}

const PRIORITY_WORDS: Record<string, string> = {
  normal: "at the server's own priority (as in the talk)",
  low: 'at nice 19',
  idle: 'at idle priority (SCHED_IDLE, only when no other thread wants the CPU)',
};

/**
 * At what priority the imports that leave the HTTP process ran (config.importPriority; results from
 * before the option have none: the server's own). Null when no such scenario measured capacity.
 */
export function importPriority(results: ReadonlyMap<string, ScenarioResult>): string | null {
  const byPriority = new Map<string, string[]>();
  for (const { id, facts } of measured(results)) {
    if (!facts || findScenario(id)?.transport === undefined) continue;
    const given = completed(results.get(id))?.config.importPriority;
    const priority = typeof given === 'string' && given in PRIORITY_WORDS ? given : 'normal';
    byPriority.set(priority, [...(byPriority.get(priority) ?? []), id]);
  }
  if (byPriority.size === 0) return null;
  const parts = [...byPriority].map(([priority, ids]) => `${ids.join(', ')} ${PRIORITY_WORDS[priority]}`);
  const lowered = [...byPriority.keys()].some((priority) => priority !== 'normal');
  const inHttp = ['single-thread', 'cluster'].filter((id) => measured(results).some((row) => row.id === id && row.facts));
  return (
    `Imports that leave the HTTP process ran ${parts.join('; ')}` +
    (lowered ? ', set with `--import-priority`: when the cores run short the OS serves the HTTP thread first, and the import gets what is left.' : '.') +
    (inHttp.length > 0 ? ` ${inHttp.join(' and ')} import${inHttp.length === 1 ? 's' : ''} in an HTTP process, at its priority.` : '')
  );
}

/** The method section's capacity paragraph: how it is measured and what the load generator cost. */
export function capacityMethod(results: ReadonlyMap<string, ScenarioResult>): string {
  const rows = measured(results).flatMap(({ id, facts }) => (facts ? [{ id, facts }] : []));
  const how =
    'Capacity: after the latency phases, autocannon (public API, closed loop: each connection sends its next light request as soon as ' +
    'the previous one is answered) runs once idle and once while imports run back to back; its latencies are closed-loop and not comparable ' +
    'with the open-loop figures above.';
  if (rows.length === 0) return `${how} No result measured it.`;
  const busiest = rows.reduce((a, b) => (b.facts.loadGeneratorCpuShare > a.facts.loadGeneratorCpuShare ? b : a));
  const cores = completed(results.get(busiest.id))?.env.cores ?? 0;
  const cpu = capacityCpu(results);
  const priority = importPriority(results);
  return (
    `${how} The load generator runs on the same machine: it used up to ${formatPercent(busiest.facts.loadGeneratorCpuShare)} ` +
    `of its ${cores} cores (${busiest.id}), CPU the server could not use, so every capacity figure is a lower bound.` +
    (priority ? ` ${priority}` : '') +
    (cpu ? `\n\n${cpu}` : '')
  );
}
