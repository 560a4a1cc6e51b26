// Latency over time of one scenario, import windows shaded: the freeze made visible.
import type { ChartConfiguration } from 'chart.js';
import type { ScenarioResult } from '../results/schema.js';
import { TIMELINE_SIZE, logAxis, logCeil, logFloor } from './axes.js';
import { colourOf } from './palette.js';
import { shadeRanges } from './plugins.js';
import { renderPng } from './render.js';

const OK_WINDOW = 'rgba(120, 120, 120, 0.18)';
const FAILED_WINDOW = 'rgba(214, 39, 40, 0.16)';

export function timelineChart(result: ScenarioResult): Buffer {
  const points = (result.timeline ?? []).map((p) => ({ x: p.tMs / 1000, y: Math.max(p.latencyMs, 0.01) }));
  const imports = result.imports ?? [];
  const ranges = imports.map((i) => ({ from: i.startedAtMs / 1000, to: (i.startedAtMs + i.durationMs) / 1000, colour: i.ok ? OK_WINDOW : FAILED_WINDOW }));
  const colour = colourOf(result.scenario);
  const note = result.state === 'errored' ? `errored: ${result.error}` : points.length === 0 ? 'no timeline points' : '';
  const config: ChartConfiguration<'scatter'> = {
    type: 'scatter',
    data: { datasets: [{ label: `${result.scenario}: light request (at its send time)`, data: points, backgroundColor: colour, borderColor: colour, pointRadius: 3 }] },
    options: {
      plugins: {
        title: { display: true, text: `${result.scenario}: light-request latency during the import phase`, font: { size: 18 } },
        subtitle: { display: note !== '', text: note },
        legend: {
          labels: {
            generateLabels: () => [
              { text: `${result.scenario}: light request`, fillStyle: colour, strokeStyle: colour, lineWidth: 1, hidden: false, datasetIndex: 0 },
              { text: 'import running', fillStyle: OK_WINDOW, strokeStyle: '#999999', lineWidth: 1, hidden: false },
              { text: 'import failed', fillStyle: FAILED_WINDOW, strokeStyle: '#d62728', lineWidth: 1, hidden: false },
            ],
          },
        },
      },
      scales: {
        x: { type: 'linear', min: 0, title: { display: true, text: 'time since the import phase started (s)' } },
        // At least one decade, so the axis always carries labelled ticks.
        y: logAxis('latency (ms, log scale)', logFloor(points.map((p) => p.y), 1), logCeil(points.map((p) => p.y * 2))),
      },
    },
    plugins: [shadeRanges(ranges)],
  };
  return renderPng(config as ChartConfiguration, TIMELINE_SIZE.widthPx, TIMELINE_SIZE.heightPx);
}
