// Two small inline Chart.js plugins: shaded x-ranges (import windows) behind the data, and text
// labels next to marked points that step down until they no longer overlap each other.
import type { Chart, Plugin } from 'chart.js';

export interface ShadedRange {
  from: number;
  to: number;
  colour: string;
}

export function shadeRanges(ranges: ShadedRange[]): Plugin<'scatter'> {
  return {
    id: 'shadeRanges',
    beforeDatasetsDraw(chart: Chart) {
      const { ctx, chartArea, scales } = chart;
      const x = scales.x;
      if (!x) return;
      ctx.save();
      for (const range of ranges) {
        const left = Math.max(chartArea.left, x.getPixelForValue(range.from));
        const right = Math.min(chartArea.right, x.getPixelForValue(range.to));
        ctx.fillStyle = range.colour;
        ctx.fillRect(left, chartArea.top, Math.max(1, right - left), chartArea.bottom - chartArea.top);
      }
      ctx.restore();
    },
  };
}

export interface PointLabel {
  x: number;
  y: number;
  text: string;
  colour: string;
}

/** Labels placed left of their point (failures sit at the right end of a line), no two overlapping. */
export function pointLabels(labels: PointLabel[]): Plugin<'line'> {
  return {
    id: 'pointLabels',
    afterDatasetsDraw(chart: Chart) {
      const { ctx, scales, chartArea } = chart;
      if (!scales.x || !scales.y) return;
      ctx.save();
      ctx.font = 'bold 14px Inter';
      ctx.textBaseline = 'middle';
      const placed: { top: number; bottom: number; left: number; right: number }[] = [];
      const lineHeightPx = 18;
      for (const label of labels) {
        const px = scales.x.getPixelForValue(label.x);
        const width = ctx.measureText(label.text).width;
        const left = Math.max(chartArea.left + 2, px - width - 14);
        let y = Math.min(chartArea.bottom - lineHeightPx, Math.max(chartArea.top + lineHeightPx, scales.y.getPixelForValue(label.y)));
        const overlaps = (): boolean =>
          placed.some((p) => left < p.right && left + width > p.left && y - lineHeightPx / 2 < p.bottom && y + lineHeightPx / 2 > p.top);
        while (overlaps()) y += lineHeightPx;
        placed.push({ left, right: left + width, top: y - lineHeightPx / 2, bottom: y + lineHeightPx / 2 });
        ctx.fillStyle = 'rgba(255, 255, 255, 0.85)';
        ctx.fillRect(left - 3, y - lineHeightPx / 2, width + 6, lineHeightPx);
        ctx.fillStyle = label.colour;
        ctx.fillText(label.text, left, y);
      }
      ctx.restore();
    },
  };
}
