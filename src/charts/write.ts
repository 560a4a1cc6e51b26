// Renders every chart of the report into one directory and returns the links REPORT.md shows.
// Charts live in <results dir>/charts/, next to the results they are drawn from (committed together).
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { scenarioIds } from '../../scenarios/index.js';
import { orderIds } from '../format/order.js';
import type { RunResults } from '../results/run-results.js';
import { eventLoopChart, latencyPercentilesChart, throughputChart } from './scenario-charts.js';
import { roundTripChart, sweepThroughputChart } from './sweep-charts.js';
import { timelineChart } from './timeline-chart.js';

/** A chart written to disk, as REPORT.md links it. */
export interface WrittenChart {
  /** Relative to the report's directory, forward slashes. */
  path: string;
  title: string;
  /** Set for a chart of one scenario (the timelines). */
  scenario?: string;
}

interface PlannedChart {
  file: string;
  title: string;
  scenario?: string;
  render: () => Buffer;
}

export function planCharts(input: RunResults): PlannedChart[] {
  const scenarios = new Map([...input.scenarios].map(([id, l]) => [id, l.result]));
  const plan: PlannedChart[] = [
    { file: 'latency-percentiles.png', title: 'Light-request latency percentiles', render: () => latencyPercentilesChart(scenarios) },
    { file: 'throughput.png', title: 'Light-request throughput', render: () => throughputChart(scenarios) },
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
      plan.push({ file: `timeline-${id}.png`, title: `${id}: latency over time`, scenario: id, render: () => timelineChart(result) });
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
    links.push({ path: link, title: chart.title, ...(chart.scenario ? { scenario: chart.scenario } : {}) });
  }
  return links;
}
