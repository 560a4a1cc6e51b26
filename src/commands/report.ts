// `npm run report -- [--results DIR] [--report FILE]`: charts and REPORT.md from results files only.
import { readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { CommandModule } from 'yargs';
import { writeCharts } from '../charts/write.js';
import { projectRoot } from '../paths.js';
import { loadLatest } from '../results/run-results.js';
import { spliceGenerated } from '../report/markers.js';
import { renderReport } from '../report/report.js';
import { UsageError } from './usage.js';

export interface ReportArgs {
  results: string;
  report: string;
}

async function readIfExists(file: string): Promise<string | null> {
  try {
    return await readFile(file, 'utf8');
  } catch (error: unknown) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

/** Everything the command does, callable from tests and from `bench`. Returns the report's path. */
export async function generateReport(resultsDir: string, reportFile: string, now = new Date()): Promise<string> {
  const input = await loadLatest(resultsDir);
  const reportDir = path.dirname(reportFile);
  const charts = await writeCharts(input, path.join(resultsDir, 'charts'), reportDir);
  // Name the results dir as REPORT.md's reader sees it: relative when it lies below the report.
  const relative = path.relative(reportDir, resultsDir).split(path.sep).join('/');
  const label = relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : resultsDir;
  const generated = renderReport(input, { resultsDirLabel: label, generatedAt: now, charts });
  await writeFile(reportFile, spliceGenerated(await readIfExists(reportFile), generated));
  return reportFile;
}

/** The report file's directory must exist and the path must not be a directory: a usage error otherwise. */
export async function checkReportPath(raw: string): Promise<string> {
  const file = path.resolve(raw);
  const dirOk = await stat(path.dirname(file)).then((s) => s.isDirectory(), () => false);
  const isDir = await stat(file).then((s) => s.isDirectory(), () => false);
  if (!dirOk || isDir) {
    throw new UsageError(`--report must be a file path in an existing directory (got "${raw}"${isDir ? ': a directory' : ': no such directory'})`);
  }
  return file;
}

export const reportCommand: CommandModule<object, ReportArgs> = {
  command: 'report',
  describe: 'render charts and REPORT.md from results files only (latest result of each scenario, latest sweep)',
  builder: (y) =>
    y
      .option('results', { type: 'string', default: 'results', describe: 'results directory (run dirs with JSON files)' })
      .option('report', { type: 'string', default: path.join(projectRoot, 'REPORT.md'), defaultDescription: 'REPORT.md at the project root', describe: 'report file to write (only its generated section is rewritten)' }),
  handler: async (args) => {
    const resultsDir = path.resolve(args.results);
    const isDir = await stat(resultsDir).then((s) => s.isDirectory(), () => false);
    if (!isDir) throw new UsageError(`--results must be a results directory (got "${args.results}": not a directory)`);
    const reportFile = await checkReportPath(args.report);
    const file = await generateReport(resultsDir, reportFile);
    process.stdout.write(`wrote ${path.relative(process.cwd(), file) || file} and charts in ${path.join(path.relative(process.cwd(), resultsDir), 'charts')}\n`);
  },
};
