// `npm run report -- [--results DIR] [--run ID] [--report FILE]`: charts and REPORT.md from the
// results files of one run only.
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { CommandModule } from 'yargs';
import { scenarioIds } from '../../scenarios/index.js';
import { writeCharts } from '../charts/write.js';
import { projectRoot } from '../paths.js';
import { spliceGenerated } from '../report/markers.js';
import { writeHtmlReport } from '../report/html-file.js';
import { renderReport } from '../report/report.js';
import { defaultRun, listRuns, loadRun } from '../results/run-results.js';
import { checkExistingDir, checkOutputFile } from './locations.js';
import { UsageError } from './usage.js';

export interface ReportArgs {
  results: string;
  run?: string;
  report: string;
  html: boolean;
}

/** REPORT.md -> REPORT.html, beside it. */
export function htmlPathFor(reportFile: string): string {
  return path.join(path.dirname(reportFile), `${path.basename(reportFile, path.extname(reportFile))}.html`);
}

async function readIfExists(file: string): Promise<string | null> {
  try {
    return await readFile(file, 'utf8');
  } catch (error: unknown) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

/** The results files a complete run holds: one per registered scenario, and the sweep. */
export const expectedResultNames = (): string[] => [...scenarioIds(), 'sweep', 'faults'];

/** The run named by --run, checked to be a run directory of resultsDir; else the default run. */
export async function chooseRun(resultsDir: string, requested: string | undefined): Promise<string | null> {
  if (requested === undefined) return defaultRun(resultsDir, expectedResultNames());
  const runs = await listRuns(resultsDir);
  if (!runs.includes(requested)) {
    const newest = runs.at(-1);
    throw new UsageError(`--run must name a run directory with results in ${resultsDir} (got "${requested}"${newest ? `; newest: ${newest}` : ': there is none'})`);
  }
  return requested;
}

export interface GenerateOptions {
  /** Which run to show (bench: the run it wrote); default: defaultRun. */
  runId?: string | null;
  now?: Date;
  /** Also write this HTML file: REPORT.md as one self-contained page. */
  htmlFile?: string;
}

/** Everything the command does, callable from tests and from `bench`. Returns the report's path. */
export async function generateReport(resultsDir: string, reportFile: string, { runId, now = new Date(), htmlFile }: GenerateOptions = {}): Promise<string> {
  const input = await loadRun(resultsDir, runId === undefined ? await chooseRun(resultsDir, undefined) : runId);
  const reportDir = path.dirname(reportFile);
  const charts = await writeCharts(input, path.join(resultsDir, 'charts'), reportDir);
  // Name the results dir as REPORT.md's reader sees it: relative when it lies below the report.
  const relative = path.relative(reportDir, resultsDir).split(path.sep).join('/');
  const label = relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : resultsDir;
  const generated = renderReport(input, { resultsDirLabel: label, generatedAt: now, charts });
  await writeFile(reportFile, spliceGenerated(await readIfExists(reportFile), generated));
  if (htmlFile !== undefined) await writeHtmlReport(reportFile, htmlFile, input);
  return reportFile;
}

export const reportCommand: CommandModule<object, ReportArgs> = {
  command: 'report',
  describe: 'render charts and REPORT.md from the results files of one run (default: the most complete run, newest among equals)',
  builder: (y) =>
    y
      .option('results', { type: 'string', default: 'results', describe: 'results directory (run dirs with JSON files)' })
      .option('run', {
        type: 'string',
        requiresArg: true,
        describe: 'run id (a directory in --results) to report on [default: the run holding the most results of every scenario and the sweep, newest among equals]',
      })
      .option('report', { type: 'string', default: path.join(projectRoot, 'REPORT.md'), defaultDescription: 'REPORT.md at the project root', describe: 'report file to write (only its generated section is rewritten)' })
      .option('html', { type: 'boolean', default: false, describe: 'also write REPORT.html beside it: one self-contained file (charts and data inside) that opens offline' })
      .example('$0 report', 'the report of the most complete run (what `bench` wrote)')
      .example('$0 report --run 2026-11-27T08-31-55Z-4b58', 'the report of one named run')
      .example('$0 report --html', 'REPORT.md and REPORT.html'),
  handler: async (args) => {
    // Charts are written into the results directory: it must exist and be writable.
    const resultsDir = await checkExistingDir('results', args.results);
    const reportFile = await checkOutputFile('report', args.report);
    const runId = await chooseRun(resultsDir, args.run);
    const htmlFile = args.html ? htmlPathFor(reportFile) : undefined;
    const file = await generateReport(resultsDir, reportFile, { runId, ...(htmlFile !== undefined ? { htmlFile } : {}) });
    const shown = (f: string): string => path.relative(process.cwd(), f) || f;
    const run = runId === null ? 'no run found' : `run ${runId}`;
    process.stdout.write(
      `wrote ${shown(file)}${htmlFile !== undefined ? ` and ${shown(htmlFile)}` : ''} (${run}) and charts in ${path.join(path.relative(process.cwd(), resultsDir), 'charts')}\n`,
    );
  },
};
