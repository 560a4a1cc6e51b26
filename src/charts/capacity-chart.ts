// Capacity of one scenario second by second: idle (dashed) and during imports (solid), import
// windows shaded, so a freeze shows as lost throughput.
import type { ChartConfiguration, Plugin } from 'chart.js';
import type { ScenarioResult } from '../results/schema.js';
import { TIMELINE_SIZE } from './axes.js';
import { colourOf, withAlpha } from './palette.js';
import { shadeRanges } from './plugins.js';
import { renderPng } from './render.js';

const OK_WINDOW = 'rgba(120, 120, 120, 0.18)';
const FAILED_WINDOW = 'rgba(214, 39, 40, 0.16)';

/** A point in the middle of each second: requests answered in second i are drawn at i + 0.5 s. */
const perSecond = (counts: readonly number[]) => counts.map((n, i) => ({ x: i + 0.5, y: n }));

export function capacityTimelineChart(result: ScenarioResult): Buffer {
  const capacity = result.state === 'completed' ? result.capacity : undefined;
  const colour = colourOf(result.scenario);
  const idle = perSecond(capacity?.idle.rpsPerSecond ?? []);
  const during = perSecond(capacity?.duringImports.rpsPerSecond ?? []);
  const phaseS = Math.max(idle.length, during.length);
  const ranges = (capacity?.duringImports.imports ?? []).map((i) => ({
    from: i.startedAtMs / 1000,
    to: Math.min(phaseS, (i.startedAtMs + i.durationMs) / 1000),
    colour: i.ok ? OK_WINDOW : FAILED_WINDOW,
  }));
  const note = result.state === 'errored' ? `errored: ${result.error}` : capacity ? '' : 'capacity not measured';
  const config: ChartConfiguration<'line'> = {
    type: 'line',
    data: {
      datasets: [
        { label: 'during imports', data: during, borderColor: colour, backgroundColor: colour, borderWidth: 3, pointRadius: 4 },
        { label: 'idle', data: idle, borderColor: withAlpha(colour, 0.6), backgroundColor: withAlpha(colour, 0.6), borderDash: [6, 5], borderWidth: 2, pointRadius: 3 },
      ],
    },
    options: {
      plugins: {
        title: { display: true, text: `${result.scenario}: light requests answered per second (autocannon, closed loop)`, font: { size: 18 } },
        subtitle: { display: note !== '', text: note },
        legend: {
          labels: {
            generateLabels: () => [
              { text: 'during imports', fillStyle: colour, strokeStyle: colour, lineWidth: 3, hidden: false, datasetIndex: 0 },
              { text: 'idle', fillStyle: withAlpha(colour, 0.6), strokeStyle: withAlpha(colour, 0.6), lineWidth: 2, lineDash: [6, 5], hidden: false, datasetIndex: 1 },
              { text: 'import running', fillStyle: OK_WINDOW, strokeStyle: '#999999', lineWidth: 1, hidden: false },
              { text: 'import failed', fillStyle: FAILED_WINDOW, strokeStyle: '#d62728', lineWidth: 1, hidden: false },
            ],
          },
        },
      },
      scales: {
        x: { type: 'linear', min: 0, max: Math.max(1, phaseS), title: { display: true, text: 'time since the capacity phase started (s)' } },
        y: { beginAtZero: true, title: { display: true, text: 'light requests answered in that second' } },
      },
    },
    // The plugin only paints behind the chart area: the same for a line chart as for a scatter one.
    plugins: [shadeRanges(ranges) as unknown as Plugin<'line'>],
  };
  return renderPng(config as ChartConfiguration, TIMELINE_SIZE.widthPx, TIMELINE_SIZE.heightPx);
}
