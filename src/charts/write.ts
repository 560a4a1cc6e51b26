// Renders every chart of the report into one directory and returns the links REPORT.md shows.
// Charts live in <results dir>/charts/, next to the results they are drawn from (committed together).
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { scenarioIds } from '../../scenarios/index.js';
import { orderIds } from '../format/order.js';
import type { RunResults } from '../results/run-results.js';
import { capacityTimelineChart } from './capacity-chart.js';
import { capacityChart, eventLoopChart, latencyPercentilesChart } from './scenario-charts.js';
import { roundTripChart, sweepThroughputChart } from './sweep-charts.js';
import { timelineChart } from './timeline-chart.js';

/** A chart written to disk, as REPORT.md links it. */
export interface WrittenChart {
  /** Relative to the report's directory, forward slashes. */
  path: string;
  title: string;
  /** Set for a chart of one scenario. */
  scenario?: string;
  /** Which series of per-scenario charts it belongs to. */
  series?: 'timeline' | 'capacity';
}

interface PlannedChart {
  file: string;
  title: string;
  scenario?: string;
  series?: 'timeline' | 'capacity';
  render: () => Buffer;
}

export function planCharts(input: RunResults): PlannedChart[] {
  const scenarios = new Map([...input.scenarios].map(([id, l]) => [id, l.result]));
  const plan: PlannedChart[] = [
    { file: 'latency-percentiles.png', title: 'Light-request latency percentiles', render: () => latencyPercentilesChart(scenarios) },
    { file: 'capacity.png', title: 'Capacity: idle vs during imports', render: () => capacityChart(scenarios) },
    { file: 'event-loop.png', title: 'Event-loop delay of the serving processes', render: () => eventLoopChart(scenarios) },
  ];
  const sweep = input.sweep?.result;
  if (sweep) {
    plan.push(
      { file: 'sweep-round-trip.png', title: 'Sweep: round trip vs message size', render: () => roundTripChart(sweep) },
      { file: 'sweep-throughput.png', title: 'Sweep: MB/s vs message size', render: () => sweepThroughputChart(sweep) },
    );
  }
  for (const id of orderIds(scenarios.keys(), scenarioIds())) {
    const result = scenarios.get(id);
    if (result && (result.timeline?.length ?? 0) > 0) {
      plan.push({ file: `timeline-${id}.png`, title: `${id}: latency over time`, scenario: id, series: 'timeline', render: () => timelineChart(result) });
    }
  }
  for (const id of orderIds(scenarios.keys(), scenarioIds())) {
    const result = scenarios.get(id);
    if (result?.state === 'completed' && result.capacity) {
      plan.push({ file: `capacity-${id}.png`, title: `${id}: capacity per second`, scenario: id, series: 'capacity', render: () => capacityTimelineChart(result) });
    }
  }
  return plan;
}

/** Replace chartsDir's contents with the charts; links are relative to reportDir. */
export async function writeCharts(input: RunResults, chartsDir: string, reportDir: string): Promise<WrittenChart[]> {
  // Stale charts (a scenario that lost its timeline) must not linger next to fresh ones.
  await mkdir(chartsDir, { recursive: true });
  for (const name of await readdir(chartsDir)) {
    if (name.endsWith('.png')) await rm(path.join(chartsDir, name));
  }
  const links: WrittenChart[] = [];
  for (const chart of planCharts(input)) {
    await writeFile(path.join(chartsDir, chart.file), chart.render());
    const link = path.relative(reportDir, path.join(chartsDir, chart.file)).split(path.sep).join('/');
    links.push({ path: link, title: chart.title, ...(chart.scenario ? { scenario: chart.scenario } : {}), ...(chart.series ? { series: chart.series } : {}) });
  }
  return links;
}
