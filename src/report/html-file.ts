// Writes REPORT.html next to REPORT.md: the Markdown as rendered, every chart it links inlined.
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { renderHtmlReport } from './html.js';
import type { RunResults } from '../results/run-results.js';

/** The results the report shows, as plain JSON (Maps are not JSON). */
function reportData(input: RunResults): unknown {
  return {
    scenarios: Object.fromEntries([...input.scenarios].map(([id, loaded]) => [id, { file: loaded.file, result: loaded.result }])),
    sweep: input.sweep,
    faults: input.faults ?? null,
    unreadable: input.unreadable,
  };
}

export async function writeHtmlReport(reportFile: string, htmlFile: string, input: RunResults): Promise<void> {
  const markdown = await readFile(reportFile, 'utf8');
  const reportDir = path.dirname(reportFile);
  // Read every linked chart up front: the renderer is synchronous and pure.
  const images = new Map<string, string>();
  for (const match of markdown.matchAll(/!\[[^\]]*\]\(([^)\s]+)\)/g)) {
    const src = match[1] ?? '';
    if (images.has(src) || /^[a-z]+:/i.test(src) || !src.endsWith('.png')) continue;
    try {
      images.set(src, `data:image/png;base64,${(await readFile(path.resolve(reportDir, src))).toString('base64')}`);
    } catch (error: unknown) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  const html = renderHtmlReport(markdown, { title: 'ipc-lab: report', image: (src) => images.get(src) ?? null, data: reportData(input) });
  await writeFile(htmlFile, html);
}
