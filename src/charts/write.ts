// Renders every chart of the report into one directory and returns the links REPORT.md shows.
// Charts live in <results dir>/charts/, next to the results they are drawn from (committed together).
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ReportInput } from '../report/load.js';
import type { ChartLink } from '../report/report.js';
import { SCENARIO_IDS, orderIds } from './palette.js';
import { eventLoopChart, latencyPercentilesChart, throughputChart } from './scenario-charts.js';
import { roundTripChart, sweepThroughputChart } from './sweep-charts.js';
import { timelineChart } from './timeline-chart.js';

interface PlannedChart {
  file: string;
  title: string;
  scenario?: string;
  render: () => Buffer;
}

export function planCharts(input: ReportInput): PlannedChart[] {
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
  for (const id of orderIds(scenarios.keys(), SCENARIO_IDS)) {
    const result = scenarios.get(id);
    if (result && (result.timeline?.length ?? 0) > 0) {
      plan.push({ file: `timeline-${id}.png`, title: `${id}: latency over time`, scenario: id, render: () => timelineChart(result) });
    }
  }
  return plan;
}

/** Replace chartsDir's contents with the charts; links are relative to reportDir. */
export async function writeCharts(input: ReportInput, chartsDir: string, reportDir: string): Promise<ChartLink[]> {
  // Stale charts (a scenario that lost its timeline) must not linger next to fresh ones.
  await mkdir(chartsDir, { recursive: true });
  for (const name of await readdir(chartsDir)) {
    if (name.endsWith('.png')) await rm(path.join(chartsDir, name));
  }
  const links: ChartLink[] = [];
  for (const chart of planCharts(input)) {
    await writeFile(path.join(chartsDir, chart.file), chart.render());
    const link = path.relative(reportDir, path.join(chartsDir, chart.file)).split(path.sep).join('/');
    links.push({ path: link, title: chart.title, ...(chart.scenario ? { scenario: chart.scenario } : {}) });
  }
  return links;
}
