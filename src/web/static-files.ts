// The files the page is made of: src/web/public/ (plain JavaScript, HTML and CSS, served as they
// are) and Chart.js's own browser build from the installed package (never a CDN: the workshop works
// offline and shows the Chart.js version the PNG charts are drawn with).
import { readdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { projectRoot } from '../paths.js';

export interface StaticFile {
  path: string;
  contentType: string;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.ttf': 'font/ttf',
};

export const PUBLIC_DIR = path.join(projectRoot, 'src', 'web', 'public');

/** Chart.js's UMD build (defines the global `Chart`), resolved from the installed package. */
export function chartJsBrowserBuild(): string {
  const require = createRequire(import.meta.url);
  // The package exports only its entry points: find its dist/ from the CommonJS one.
  return path.join(path.dirname(require.resolve('chart.js')), 'chart.umd.min.js');
}

/** The Inter font the PNG charts are drawn with, from its npm package, so the page's charts match them. */
function interFont(weight: '400Regular' | '700Bold'): string {
  const require = createRequire(import.meta.url);
  return path.join(path.dirname(require.resolve('@expo-google-fonts/inter/package.json')), weight, `Inter_${weight}.ttf`);
}

/** URL path to file, listed once at start-up: nothing outside this map is ever read. */
export async function staticFiles(): Promise<Map<string, StaticFile>> {
  const files = new Map<string, StaticFile>();
  for (const name of await readdir(PUBLIC_DIR)) {
    const contentType = CONTENT_TYPES[path.extname(name)];
    if (contentType) files.set(`/${name}`, { path: path.join(PUBLIC_DIR, name), contentType });
  }
  const index = files.get('/index.html');
  if (index) files.set('/', index);
  files.set('/vendor/chart.umd.min.js', { path: chartJsBrowserBuild(), contentType: 'text/javascript; charset=utf-8' });
  files.set('/vendor/inter-400.ttf', { path: interFont('400Regular'), contentType: 'font/ttf' });
  files.set('/vendor/inter-700.ttf', { path: interFont('700Bold'), contentType: 'font/ttf' });
  return files;
}
