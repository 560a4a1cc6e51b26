// Charts comparing the scenarios: latency percentiles, capacity and event-loop delay, baseline (or idle) vs
// during imports. Pure: results in, PNG bytes out. Scenarios without a completed result keep their
// place on the axis, labelled "(errored)" or "(no result)", so a gap is visible, not hidden.
import type { ChartConfiguration } from 'chart.js';
import { scenarioIds } from '../../scenarios/index.js';
import { orderIds } from '../format/order.js';
import type { CompletedScenarioResult, ScenarioResult } from '../results/schema.js';
import { CHART_SIZE, logAxis, logFloor } from './axes.js';
import { colourOf, withAlpha } from './palette.js';
import { renderPng } from './render.js';

export type Scenarios = ReadonlyMap<string, ScenarioResult>;

interface Slot {
  id: string;
  label: string;
  result: CompletedScenarioResult | undefined;
}

function slots(scenarios: Scenarios): Slot[] {
  return orderIds([...scenarioIds(), ...scenarios.keys()], scenarioIds()).map((id) => {
    const result = scenarios.get(id);
    if (!result) return { id, label: `${id} (no result)`, result: undefined };
    if (result.state === 'errored') return { id, label: `${id} (errored)`, result: undefined };
    return { id, label: id, result };
  });
}

function missingNote(all: Slot[]): string {
  const missing = all.filter((s) => !s.result).map((s) => s.label);
  return missing.length > 0 ? `no data: ${missing.join(', ')}` : '';
}

const PERCENTILES = [
  ['p50', 'p50'],
  ['p90', 'p90'],
  ['p99', 'p99'],
  ['p999', 'p99.9'],
  ['max', 'max'],
] as const;

/** Latency percentiles per scenario: solid during imports, dashed baseline (log ms). */
export function latencyPercentilesChart(scenarios: Scenarios): Buffer {
  const all = slots(scenarios);
  const datasets = all.flatMap((s) => {
    if (!s.result) return [];
    const colour = colourOf(s.id);
    const { baseline, underLoad } = s.result.phases;
    return [
      { label: `${s.id} during imports`, data: PERCENTILES.map(([k]) => underLoad.latencyMs[k]), borderColor: colour, backgroundColor: colour, borderWidth: 3 },
      { label: `${s.id} baseline`, data: PERCENTILES.map(([k]) => baseline.latencyMs[k]), borderColor: withAlpha(colour, 0.6), backgroundColor: withAlpha(colour, 0.6), borderDash: [6, 5], borderWidth: 2 },
    ];
  });
  const config: ChartConfiguration<'line'> = {
    type: 'line',
    data: { labels: PERCENTILES.map(([, label]) => label), datasets },
    options: {
      plugins: {
        title: { display: true, text: 'Light-request latency percentiles: baseline (dashed) vs during imports (solid)', font: { size: 18 } },
        subtitle: { display: missingNote(all) !== '', text: missingNote(all) },
        legend: { position: 'right', labels: { boxWidth: 24 } },
      },
      scales: { x: { title: { display: true, text: 'percentile' } }, y: logAxis('latency (ms, log scale)') },
    },
  };
  return renderPng(config as ChartConfiguration, CHART_SIZE.widthPx, CHART_SIZE.heightPx);
}

function barChart(
  scenarios: Scenarios,
  title: string,
  yAxis: (values: number[]) => object,
  series: { label: string; alpha: number; value: (r: CompletedScenarioResult) => number | null }[],
  /** Completed scenarios that lack this chart's figures, named in the subtitle. */
  lacking?: { label: string; has: (r: CompletedScenarioResult) => boolean },
): Buffer {
  const all = slots(scenarios);
  const without = lacking ? all.filter((slot) => slot.result && !lacking.has(slot.result)).map((slot) => slot.id) : [];
  const note = [missingNote(all), without.length > 0 && lacking ? `${lacking.label}: ${without.join(', ')}` : ''].filter((n) => n !== '').join('; ');
  const values = all.flatMap((slot) => series.map((s) => (slot.result ? s.value(slot.result) : null))).filter((v): v is number => v !== null);
  const datasets = series.map((s) => ({
    label: s.label,
    data: all.map((slot) => (slot.result ? s.value(slot.result) : null)),
    backgroundColor: all.map((slot) => withAlpha(colourOf(slot.id), s.alpha)),
    borderColor: all.map((slot) => colourOf(slot.id)),
    borderWidth: 1,
  }));
  const config: ChartConfiguration<'bar'> = {
    type: 'bar',
    data: { labels: all.map((s) => s.label), datasets },
    options: {
      plugins: {
        title: { display: true, text: title, font: { size: 18 } },
        subtitle: { display: note !== '', text: note },
        // Bars are coloured per scenario; the legend explains the shades with neutral swatches.
        legend: {
          labels: {
            generateLabels: () =>
              series.map((s, i) => ({ text: s.label, fillStyle: withAlpha('#555555', s.alpha), strokeStyle: '#555555', lineWidth: 1, datasetIndex: i, hidden: false })),
          },
        },
      },
      scales: { x: { title: { display: true, text: 'scenario' } }, y: yAxis(values) },
    },
  };
  return renderPng(config as ChartConfiguration, CHART_SIZE.widthPx, CHART_SIZE.heightPx);
}

/**
 * Capacity per scenario: light requests per second autocannon's closed loop got answered, idle vs
 * during imports. (The open-loop phases send a fixed rate, so their req/s is flat by construction.)
 */
export function capacityChart(scenarios: Scenarios): Buffer {
  return barChart(
    scenarios,
    'Capacity: light requests answered per second (autocannon, closed loop), idle vs during imports',
    () => ({ beginAtZero: true, title: { display: true, text: 'light requests per second (req/s)' } }),
    [
      { label: 'idle', alpha: 0.35, value: (r) => r.capacity?.idle.rps ?? null },
      { label: 'during imports', alpha: 1, value: (r) => r.capacity?.duringImports.rps ?? null },
    ],
    { label: 'capacity not measured', has: (r) => r.capacity !== undefined },
  );
}

function worstLoop(r: CompletedScenarioResult, key: 'p50Ms' | 'p99Ms' | 'maxMs'): number | null {
  const values = Object.values(r.eventLoop).map((e) => e[key]);
  return values.length > 0 ? Math.max(...values) : null;
}

/** Event-loop delay of the serving process(es): the worst process of each scenario. */
export function eventLoopChart(scenarios: Scenarios): Buffer {
  return barChart(scenarios, 'Event-loop delay of the serving process(es), worst process per scenario', (values) => logAxis('event-loop delay (ms, log scale)', logFloor(values)), [
    { label: 'p50', alpha: 0.25, value: (r) => worstLoop(r, 'p50Ms') },
    { label: 'p99', alpha: 0.6, value: (r) => worstLoop(r, 'p99Ms') },
    { label: 'max', alpha: 1, value: (r) => worstLoop(r, 'maxMs') },
  ]);
}
