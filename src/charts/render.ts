// The one place that turns a Chart.js config into PNG bytes, on @napi-rs/canvas (prebuilt, no system
// libraries). Charts register the Inter font shipped by an npm package, so labels render the same on
// a fresh machine that has no system fonts at all.
import { createRequire } from 'node:module';
import path from 'node:path';
import { createCanvas, GlobalFonts } from '@napi-rs/canvas';
import { Chart, registerables, type ChartConfiguration, type ChartItem } from 'chart.js';

export const FONT_FAMILY = 'Inter';

let ready = false;

function setUp(): void {
  if (ready) return;
  const require = createRequire(import.meta.url);
  const fontDir = path.dirname(require.resolve('@expo-google-fonts/inter/package.json'));
  for (const file of ['400Regular/Inter_400Regular.ttf', '700Bold/Inter_700Bold.ttf']) {
    if (!GlobalFonts.registerFromPath(path.join(fontDir, file), FONT_FAMILY)) {
      throw new Error(`could not register font ${file} from ${fontDir}`);
    }
  }
  Chart.register(...registerables);
  Chart.defaults.font.family = FONT_FAMILY;
  Chart.defaults.font.size = 14;
  Chart.defaults.color = '#222222';
  ready = true;
}

/** Render a chart config to PNG bytes: pure in, bytes out (no animation, no resizing, no DOM). */
export function renderPng(config: ChartConfiguration, widthPx: number, heightPx: number): Buffer {
  setUp();
  const canvas = createCanvas(widthPx, heightPx);
  const ctx = canvas.getContext('2d');
  // Chart.js paints nothing behind the chart: a transparent PNG is unreadable in dark viewers.
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, widthPx, heightPx);
  const chart = new Chart(ctx as unknown as ChartItem, {
    ...config,
    options: { ...config.options, animation: false, responsive: false, devicePixelRatio: 1 },
  } as ChartConfiguration);
  try {
    return canvas.toBuffer('image/png');
  } finally {
    chart.destroy();
  }
}
