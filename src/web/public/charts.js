// The page's charts, drawn with Chart.js in the browser. Same font, colours and axes as the PNG
// charts of the report (src/charts/): log latency axes labelled at 1-2-5 steps, message sizes ticked
// at powers of four, import windows shaded grey (red when the import failed).

const OK_WINDOW = 'rgba(120, 120, 120, 0.18)';
const FAILED_WINDOW = 'rgba(214, 39, 40, 0.16)';
// Colours for serving pids after the first (which takes the scenario's own colour).
const PID_COLOURS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#9467bd', '#8c564b', '#e377c2', '#17becf', '#bcbd22', '#7f7f7f'];

Chart.defaults.font.family = 'Inter';
Chart.defaults.font.size = 13;
Chart.defaults.color = '#222222';
Chart.defaults.animation = false;
Chart.defaults.maintainAspectRatio = false;

/** As src/charts/axes.ts: 1, 2, 5 x 10^n, or only powers of ten when the axis spans over 3 decades. */
export function logTickLabel(value, _index, ticks) {
  const v = Number(value);
  const values = (ticks ?? []).map((t) => t.value).filter((t) => t > 0);
  const decades = values.length > 1 ? Math.log10(Math.max(...values) / Math.min(...values)) : 0;
  const mantissa = v / 10 ** Math.floor(Math.log10(v) + 1e-9);
  const oneTwoFive = [1, 2, 5].some((step) => Math.abs(mantissa - step) < 1e-6);
  const powerOfTen = Math.abs(Math.log10(v) - Math.round(Math.log10(v))) < 1e-9;
  if (!(v > 0) || !(decades > 3 ? powerOfTen : oneTwoFive)) return '';
  return v >= 1 ? String(Math.round(v)) : String(Number(v.toPrecision(1)));
}

export function formatBytes(bytes) {
  if (bytes >= 1024 ** 3) return `${(bytes / 1024 ** 3).toFixed(2)} GiB`;
  if (bytes >= 1024 ** 2) return `${(bytes / 1024 ** 2).toFixed(2)} MiB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${bytes} B`;
}

export function withAlpha(hex, alpha) {
  const n = Number.parseInt(hex.slice(1), 16);
  return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
}

function logAxis(title, min, max) {
  return { type: 'logarithmic', min, max, title: { display: true, text: title }, ticks: { callback: logTickLabel, autoSkip: false } };
}

/** Shaded x-ranges (import windows) behind the data and labelled phase starts: reads `view` on every draw. */
function timeDecorations(view) {
  return {
    id: 'timeDecorations',
    beforeDatasetsDraw(chart) {
      const { ctx, chartArea, scales } = chart;
      const x = scales.x;
      ctx.save();
      for (const w of view.importWindows) {
        const to = w.endMs ?? view.nowMs();
        const left = Math.max(chartArea.left, x.getPixelForValue(w.startMs / 1000));
        const right = Math.min(chartArea.right, x.getPixelForValue(to / 1000));
        if (right <= chartArea.left || left >= chartArea.right) continue;
        ctx.fillStyle = w.ok === false ? FAILED_WINDOW : OK_WINDOW;
        ctx.fillRect(left, chartArea.top, Math.max(1, right - left), chartArea.bottom - chartArea.top);
      }
      ctx.strokeStyle = '#999999';
      ctx.fillStyle = '#555555';
      ctx.setLineDash([4, 4]);
      ctx.font = '12px Inter';
      for (const p of view.phaseMarks) {
        const px = x.getPixelForValue(p.tMs / 1000);
        if (px < chartArea.left || px > chartArea.right) continue;
        ctx.beginPath();
        ctx.moveTo(px, chartArea.top);
        ctx.lineTo(px, chartArea.bottom);
        ctx.stroke();
        ctx.fillText(p.label, px + 4, chartArea.top + 12);
      }
      ctx.restore();
    },
  };
}

const timeAxis = (view) => ({
  type: 'linear',
  min: 0,
  max: view.xMaxS(),
  title: { display: true, text: 'time since the run started (s)' },
});

/** Light-request latency over time, one colour per serving pid, log axis, import windows shaded. */
export function latencyChart(canvas, view) {
  return new Chart(canvas, {
    type: 'scatter',
    data: { datasets: [] },
    options: {
      parsing: false,
      normalized: true,
      plugins: {
        title: { display: true, text: 'Light-request latency (at its send time), by serving process', font: { size: 16 } },
        legend: {
          labels: {
            generateLabels: (chart) => [
              ...chart.data.datasets.map((d, i) => ({ text: d.label, fillStyle: d.backgroundColor, strokeStyle: d.backgroundColor, lineWidth: 1, hidden: false, datasetIndex: i })),
              { text: 'import running', fillStyle: OK_WINDOW, strokeStyle: '#999999', lineWidth: 1, hidden: false },
              { text: 'import failed', fillStyle: FAILED_WINDOW, strokeStyle: '#d62728', lineWidth: 1, hidden: false },
            ],
          },
        },
      },
      scales: { x: timeAxis(view), y: logAxis('latency (ms, log scale)', 0.1, 10000) },
    },
    plugins: [timeDecorations(view)],
  });
}

/** Event-loop delay of each serving process (from its /metrics, polled), import windows shaded. */
export function loopChart(canvas, view, windowMs) {
  return new Chart(canvas, {
    type: 'line',
    data: { datasets: [] },
    options: {
      parsing: false,
      plugins: { title: { display: true, text: `Event-loop delay of each serving process (longest in the last ${windowMs} ms)`, font: { size: 16 } } },
      scales: { x: timeAxis(view), y: { type: 'linear', min: 0, title: { display: true, text: 'event-loop delay (ms)' } } },
    },
    plugins: [timeDecorations(view)],
  });
}

/** Colour of a serving pid in this run: the scenario's colour first, then a fixed list. */
export function pidColour(pidIndex, scenarioColour) {
  if (pidIndex === 0) return scenarioColour;
  const spare = PID_COLOURS.filter((c) => c.toLowerCase() !== scenarioColour.toLowerCase());
  return spare[(pidIndex - 1) % spare.length];
}

/** Message size axis as in src/charts/axes.ts: log scale, ticks at powers of four. */
function sizeAxis(title) {
  return {
    type: 'logarithmic',
    title: { display: true, text: title },
    afterBuildTicks: (scale) => {
      const ticks = [];
      for (let v = 4 ** Math.floor(Math.log(scale.min) / Math.log(4) + 1e-9); v <= scale.max; v *= 4) if (v >= scale.min) ticks.push({ value: v });
      scale.ticks = ticks;
    },
    ticks: { callback: (value) => formatBytes(Number(value)), autoSkip: false },
  };
}

/** MB/s by message size, one line per transport; failures labelled where they happened. */
export function sweepChart(canvas) {
  const failures = [];
  const chart = new Chart(canvas, {
    type: 'line',
    data: { datasets: [] },
    options: {
      parsing: false,
      plugins: { title: { display: true, text: 'Sweep: MB/s over the warm median round trip, by message size (points appear as they are measured)', font: { size: 16 } }, legend: { position: 'right' } },
      scales: { x: sizeAxis('message size (bytes, log scale)'), y: logAxis('MB/s (log scale)') },
    },
    plugins: [
      {
        id: 'failureLabels',
        afterDatasetsDraw(c) {
          const { ctx, scales } = c;
          ctx.save();
          ctx.font = 'bold 12px Inter';
          for (const f of failures) {
            const px = scales.x.getPixelForValue(f.sizeBytes);
            const py = scales.y.getPixelForValue(f.y);
            ctx.fillStyle = f.colour;
            ctx.fillText(`✕ ${f.state}`, px + 4, py);
          }
          ctx.restore();
        },
      },
    ],
  });
  chart.$failures = failures;
  return chart;
}

/** p99 latency per run of the session, baseline (light) vs during imports (solid), log axis. */
export function comparisonChart(canvas) {
  return new Chart(canvas, {
    type: 'bar',
    data: { labels: [], datasets: [] },
    options: {
      plugins: { title: { display: true, text: 'p99 light-request latency: baseline vs during imports', font: { size: 16 } } },
      scales: { y: logAxis('p99 latency (ms, log scale)') },
    },
  });
}
