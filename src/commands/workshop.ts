// `npm run workshop -- [--port P] [--host H] [--out DIR]`: the local web app that runs the talk's
// iterations and the sweep from a page and shows them live. Every run is the command line's own
// (`scenario` or `sweep` in a child process), so it validates, writes results and prints exactly
// as typed in a terminal.
import path from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { findScenario, scenarioIds } from '../../scenarios/index.js';
import { compiledEntry, projectRoot } from '../paths.js';
import { newRunId, readResult, resultPath } from '../results/store.js';
import { transportIds } from '../transports/registry.js';
import { buildCatalog, type OptionSpec } from '../web/catalog.js';
import { comparisonRow } from '../web/compare.js';
import { EventHub } from '../web/event-hub.js';
import { isLoopback, newToken } from '../web/security.js';
import { startWorkshopServer } from '../web/server.js';
import { WorkshopSession, type PreparedRun } from '../web/session.js';
import { assertPortFree } from './port.js';
import { QUEUE_PAGE_OPTIONS, resolveQueueSettings, type QueueArgs } from './queue-options.js';
import { resolveImportPriority } from './import-priority.js';
import { displayPath, resolveScenarioConfig, SCENARIO_RUN_OPTIONS } from './scenario.js';
import { SWEEP_OPTION_HELP } from './sweep.js';
import { resolveSweepOptions } from './sweep-options.js';
import { nextSignal } from './signals.js';
import { parseNumber, UsageError } from './usage.js';

interface WorkshopArgs {
  port: string;
  host: string;
  out: string;
}

export const SWEEP_PAGE_OPTIONS: OptionSpec[] = [
  { name: 'transports', kind: 'text', default: '', describe: SWEEP_OPTION_HELP.transports },
  { name: 'sizes', kind: 'text', default: '', describe: SWEEP_OPTION_HELP.sizes },
  { name: 'max-size', kind: 'text', default: '', describe: SWEEP_OPTION_HELP['max-size'] },
  { name: 'repeat', kind: 'number', default: '', describe: SWEEP_OPTION_HELP.repeat },
  { name: 'timeout', kind: 'number', default: '30', describe: SWEEP_OPTION_HELP.timeout },
  { name: 'payload', kind: 'text', default: 'bytes', describe: SWEEP_OPTION_HELP.payload },
  { name: 'quick', kind: 'boolean', default: 'false', pageDefault: 'true', describe: SWEEP_OPTION_HELP.quick },
];

/** A scenario run's options on the page: the command line's, and the queue's own but for where Redis is. */
export const PAGE_SCENARIO_OPTIONS: OptionSpec[] = [...SCENARIO_RUN_OPTIONS, ...QUEUE_PAGE_OPTIONS];

type Options = Record<string, unknown>;

/** The page's options as command-line arguments: only known names, text or true/false values. */
function toArgv(options: Options, specs: OptionSpec[]): { argv: string[]; given: Record<string, string | boolean> } {
  const argv: string[] = [];
  const given: Record<string, string | boolean> = {};
  for (const [name, value] of Object.entries(options)) {
    const spec = specs.find((s) => s.name === name);
    if (!spec) throw new UsageError(`unknown option "${name}"; valid: ${specs.map((s) => s.name).join(', ')}`);
    if (spec.kind === 'boolean') {
      if (typeof value !== 'boolean') throw new UsageError(`--${name} is true or false (got ${JSON.stringify(value)})`);
      given[name] = value;
      if (value) argv.push(`--${name}`);
    } else {
      if (typeof value !== 'string' && typeof value !== 'number') throw new UsageError(`--${name} takes a value (got ${JSON.stringify(value)})`);
      const text = String(value).trim();
      if (text === '') continue; // left empty: the command's default
      given[name] = text;
      argv.push(`--${name}`, text);
    }
  }
  return { argv, given };
}

function asObject(value: unknown, what: string): Options {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new UsageError(`${what} must be a JSON object`);
  return value as Options;
}

/** Checks a start request from the page exactly as the command line checks its options. */
export function prepareRun(body: unknown, outDir: string): PreparedRun {
  const request = asObject(body, 'the request');
  const options = asObject(request.options ?? {}, 'options');
  const runId = newRunId();
  if (request.kind === 'scenario') {
    const id = String(request.scenario ?? '');
    const scenario = findScenario(id);
    if (!scenario) throw new UsageError(`unknown scenario "${id}"; valid ids: ${scenarioIds().join(', ')}`);
    const { argv, given } = toArgv(options, PAGE_SCENARIO_OPTIONS);
    const defaults = Object.fromEntries(SCENARIO_RUN_OPTIONS.filter((o) => o.default !== '').map((o) => [o.name, o.kind === 'boolean' ? o.default === 'true' : o.default]));
    // As the scenario command does: every other check first, the import priority (which runs chrt) last.
    const config = resolveScenarioConfig({ ...defaults, ...given, id, host: '127.0.0.1', port: '0' } as unknown as Parameters<typeof resolveScenarioConfig>[0], () => true);
    if (id === 'queue') resolveQueueSettings({ ...given, id } as QueueArgs, runId, config.concurrency);
    const text = (name: string): string | undefined => (typeof given[name] === 'string' ? given[name] : undefined);
    resolveImportPriority(id, text('import-priority'), text('workers'));
    const resultFile = resultPath(outDir, runId, id);
    return { kind: 'scenario', target: id, runId, args: ['scenario', id, ...argv, '--out', outDir, '--run-id', runId], resultFile, resultFileLabel: displayPath(resultFile) };
  }
  if (request.kind === 'sweep') {
    const { argv, given } = toArgv(options, SWEEP_PAGE_OPTIONS);
    resolveSweepOptions(
      {
        transports: given.transports,
        sizes: given.sizes,
        maxSize: given['max-size'],
        repeat: given.repeat,
        timeout: given.timeout,
        payload: given.payload,
        quick: given.quick === true,
      },
      transportIds,
      outDir,
    );
    const resultFile = resultPath(outDir, runId, 'sweep');
    return { kind: 'sweep', target: 'sweep', runId, args: ['sweep', ...argv, '--out', outDir, '--run-id', runId], resultFile, resultFileLabel: displayPath(resultFile) };
  }
  throw new UsageError('kind must be "scenario" or "sweep"');
}

export const workshopCommand: CommandModule<object, WorkshopArgs> = {
  command: 'workshop',
  describe: 'the live workshop: a local web page that runs the talk\'s iterations and the sweep and shows them as they happen',
  builder: (y) =>
    y
      .option('port', { type: 'string', requiresArg: true, default: '8080', describe: 'port of the page (0: any free port)' })
      .option('host', { type: 'string', requiresArg: true, default: '127.0.0.1', describe: 'address the page binds (keep loopback: whoever has the URL can start runs)' })
      .option('out', { type: 'string', requiresArg: true, default: path.join(projectRoot, 'results'), defaultDescription: 'results/ at the project root', describe: 'directory for the runs\' <run-id>/<id>.json' })
      .example('$0 workshop', 'serve the workshop on http://127.0.0.1:8080/ and print its URL with the token')
      .example('$0 workshop --port 0', 'on any free port') as unknown as Argv<WorkshopArgs>,
  handler: async (args) => {
    const port = parseNumber('port', args.port, { min: 0, max: 65_535, integer: true });
    await assertPortFree(args.host, port);
    const outDir = path.resolve(args.out);
    const hub = new EventHub();
    const session = new WorkshopSession({
      cliPath: compiledEntry('cli.js'),
      hub,
      readRow: async (file) => {
        try {
          const result = await readResult(file);
          return result.kind === 'scenario' ? comparisonRow(result) : null;
        } catch {
          return null; // no file (stopped before it was written) or unreadable: no row, the summary says why
        }
      },
    });
    const token = newToken();
    const server = await startWorkshopServer(
      {
        catalog: buildCatalog('workshop', PAGE_SCENARIO_OPTIONS, SWEEP_PAGE_OPTIONS, transportIds),
        hub,
        state: () => session.state(),
        start: (body) => {
          let prepared: PreparedRun;
          try {
            prepared = prepareRun(body, outDir);
          } catch (error: unknown) {
            if (error instanceof UsageError) return { ok: false, status: 400, message: error.message };
            throw error;
          }
          return session.start(prepared);
        },
        stop: () => session.stop(),
      },
      { host: args.host, port, token },
    );
    if (!isLoopback(args.host)) {
      process.stderr.write(`workshop: bound to ${args.host}, not loopback: anyone who can reach it and has the URL can start runs\n`);
    }
    process.stdout.write(`workshop: open ${server.urlWithToken}\n(results go to ${displayPath(outDir)}/; Ctrl-C stops any run and quits)\n`);
    const signal = await nextSignal();
    process.stderr.write(`workshop: ${signal}: stopping\n`);
    await session.close();
    await server.close();
  },
};
