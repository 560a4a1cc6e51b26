// Markdown tables of the scenarios and the sweep. Pure: results in, text out. A missing or errored
// result gets its row, with the reason, so the table never hides what did not run.
import { scenarioIds } from '../../scenarios/index.js';
import { orderIds } from '../format/order.js';
import { transportIds } from '../transports/registry.js';
import type { Phase, ScenarioResult, SweepPoint, SweepResult } from '../results/schema.js';
import { firstFailure, largestOk, maxEventLoopDelayMs, unresponsiveShare } from '../results/facts.js';
import { formatBytes, formatMs, formatNumber, formatPercent } from '../format/numbers.js';
import { cell } from '../format/markdown.js';
import { capacityCell } from './capacity.js';

const NONE = '—';

function row(cells: string[]): string {
  return `| ${cells.join(' | ')} |`;
}

function table(header: string[], rows: string[][]): string {
  return [row(header), row(header.map(() => '---')), ...rows.map(row)].join('\n');
}

const SCENARIO_HEADER = [
  'scenario',
  'result',
  'baseline p50 / p99 ms',
  'during imports p50 / p99 / max ms',
  'capacity req/s idle / imports (kept)',
  'slow or failed',
  'max stall ms',
  'imports ok',
  'mean import s',
  'max loop delay ms',
];

function baselineCells(phase: Phase | undefined): string[] {
  if (!phase) return [NONE];
  return [`${formatMs(phase.latencyMs.p50)} / ${formatMs(phase.latencyMs.p99)}`];
}

function scenarioRow(id: string, result: ScenarioResult | undefined): string[] {
  const empty = (n: number): string[] => Array.from({ length: n }, () => NONE);
  if (!result) return [id, '**no result**', ...empty(8)];
  if (result.state === 'errored') {
    return [id, `**errored**: ${cell(result.error)}`, ...baselineCells(result.phases?.baseline), ...empty(7)];
  }
  const { baseline, underLoad } = result.phases;
  const ok = result.imports.filter((i) => i.ok);
  const meanImportS = ok.length > 0 ? ok.reduce((sum, i) => sum + i.durationMs, 0) / ok.length / 1000 : null;
  const loopMs = maxEventLoopDelayMs(result);
  const l = underLoad.latencyMs;
  return [
    id,
    'completed',
    ...baselineCells(baseline),
    `${formatMs(l.p50)} / ${formatMs(l.p99)} / ${formatMs(l.max)}`,
    capacityCell(result),
    formatPercent(unresponsiveShare(underLoad)),
    formatMs(underLoad.maxStallMs),
    `${ok.length} / ${result.imports.length}`,
    meanImportS === null ? NONE : formatNumber(meanImportS),
    loopMs === null ? NONE : formatMs(loopMs),
  ];
}

/** One row per scenario of the talk (and any other present), in the talk's order. */
export function scenarioTable(scenarios: ReadonlyMap<string, ScenarioResult>): string {
  const ids = orderIds([...scenarioIds(), ...scenarios.keys()], scenarioIds());
  return table(SCENARIO_HEADER, ids.map((id) => scenarioRow(id, scenarios.get(id))));
}

/** Marks a figure whose margin of error is above ±10 % (see the legend under the table). */
export const NOISY_MARK = '†';

function failedCell(point: SweepPoint): string {
  return point.state === 'skipped' ? 'skipped' : `**${point.state}**`;
}

function mbPerSCell(point: SweepPoint): string {
  if (point.state !== 'ok') return failedCell(point);
  return `${formatNumber(point.mbPerS)}${point.noisy === true ? NOISY_MARK : ''}`;
}

function roundTripCell(point: SweepPoint): string {
  if (point.state !== 'ok') return failedCell(point);
  const { median, p10, p90 } = point.roundTripMs;
  if (p10 === undefined || p90 === undefined || point.samples === undefined) return `${formatMs(median)} (spread not recorded)`;
  // An interrupted sweep's point that did not run all its rounds says so where its n is.
  const cut = point.roundsCut === true ? `, interrupted after ${point.peerMediansMs?.length ?? 1} round(s)` : '';
  return `${formatMs(median)} (${formatMs(p10)}–${formatMs(p90)}) n=${point.samples}${cut}${point.noisy === true ? NOISY_MARK : ''}`;
}

function firstRoundTripCell(point: SweepPoint): string {
  if (point.state === 'skipped') return 'skipped';
  if (point.firstRoundTripMs === undefined) return 'not recorded';
  if (point.firstRoundTripMs === null) return failedCell(point);
  return formatMs(point.firstRoundTripMs);
}

function sweepTransportIds(sweep: SweepResult): string[] {
  return orderIds([...transportIds, ...sweep.transports.map((t) => t.transport)], transportIds);
}

/** Rows transports, columns sizes, each cell what `cellOf` makes of that point. */
function sweepGrid(sweep: SweepResult, cellOf: (point: SweepPoint) => string): string {
  const sizes = [...new Set(sweep.transports.flatMap((t) => t.points.map((p) => p.sizeBytes)))].sort((a, b) => a - b);
  const rows = sweepTransportIds(sweep).map((id) => {
    const t = sweep.transports.find((x) => x.transport === id);
    if (!t) return [`${id} (not in this sweep)`, ...sizes.map(() => NONE)];
    return [id, ...sizes.map((s) => {
      const point = t.points.find((p) => p.sizeBytes === s);
      return point ? cellOf(point) : NONE;
    })];
  });
  return table(['transport', ...sizes.map(formatBytes)], rows);
}

/** Cells MB/s (over the warm median round trip) or the failure kind; noisy figures marked. */
export function sweepTable(sweep: SweepResult): string {
  return sweepGrid(sweep, mbPerSCell);
}

/** Cells the warm round trip: median (p10–p90) ms and the samples behind it. */
export function roundTripTable(sweep: SweepResult): string {
  return sweepGrid(sweep, roundTripCell);
}

/** Cells the first (cold) round trip of each size's fresh peer, ms. */
export function firstRoundTripTable(sweep: SweepResult): string {
  return sweepGrid(sweep, firstRoundTripCell);
}

export function failureTable(sweep: SweepResult): string {
  const rows = sweepTransportIds(sweep).map((id) => {
    const t = sweep.transports.find((x) => x.transport === id);
    if (!t) return [id, 'not in this sweep', NONE, NONE, NONE];
    const ok = largestOk(t);
    const failure = firstFailure(t);
    const intact = ok === null ? 'none' : formatBytes(ok);
    if (!failure) return [id, 'none', NONE, NONE, intact];
    return [id, formatBytes(failure.sizeBytes), failure.state, failure.error ? cell(failure.error) : NONE, intact];
  });
  return table(['transport', 'first failure', 'kind', 'error', 'largest intact'], rows);
}
