import path from 'node:path';
import type { CommandModule } from 'yargs';
import { FAULT_IDS } from '../faults/cases.js';
import { SCENARIO_FAULTS, type ScenarioFaultId } from '../faults/scenario-case.js';
import { runFaultsCommand, type FaultsConfig } from '../faults/main.js';
import { projectRoot } from '../paths.js';
import { newRunId, nodeDirName } from '../results/store.js';
import { getTransport, transportIds } from '../transports/registry.js';
import { checkOutputDir } from './locations.js';
import { abortOnSignals } from './signals.js';
import { parseChoiceList, parseNumber, resolveRunId } from './usage.js';

interface FaultsArgs {
  transports?: unknown;
  faults?: unknown;
  timeout?: unknown;
  quick?: boolean;
  json?: boolean;
  out?: unknown;
  runId?: unknown;
  byNode?: boolean;
}

/** Checks every option before anything starts; a bad one throws a UsageError naming it (exit 2). */
const ALL_FAULTS = [...FAULT_IDS, ...(Object.keys(SCENARIO_FAULTS) as ScenarioFaultId[])];

export function resolveFaultsOptions(args: FaultsArgs): FaultsConfig {
  const quick = args.quick === true;
  return {
    transports: args.transports === undefined ? [...transportIds] : parseChoiceList('transports', args.transports, transportIds),
    faults: args.faults === undefined ? [...ALL_FAULTS] : parseChoiceList('faults', args.faults, ALL_FAULTS),
    // The hang cases wait for it: short, so the whole matrix stays in minutes.
    timeoutMs: 1000 * (args.timeout === undefined ? (quick ? 2 : 5) : parseNumber('timeout', args.timeout, { min: 0.5, max: 60 })),
    quick,
    json: args.json === true,
  };
}

export const faultsCommand: CommandModule<object, FaultsArgs> = {
  command: 'faults',
  describe: 'what each transport does when its peer dies, hangs or lies: outcome and time to detect per fault; writes results/<run-id>/faults.json',
  builder: (y) =>
    y
      .option('transports', { type: 'string', describe: `comma-separated, default all: ${transportIds.join(', ')}` })
      .option('faults', { type: 'string', describe: `comma-separated, default all that apply: ${ALL_FAULTS.join(', ')} (the last two on scenarios' servers under light traffic)` })
      .option('timeout', { type: 'string', describe: 'seconds allowed per exchange: a hung peer is noticed after it (default 5; 2 with --quick)' })
      .option('quick', { type: 'boolean', describe: 'one case per kind of fault (killed, hang, exit, protocol, memory, thread exit; import process dies, Redis dies), each on a different transport where it can', default: false })
      .option('json', { type: 'boolean', describe: 'print only the result document on stdout', default: false })
      .option('out', { type: 'string', describe: 'results directory', default: path.join(projectRoot, 'results'), defaultDescription: 'results/ at the project root' })
      .option('run-id', { type: 'string', hidden: true })
      .option('by-node', { type: 'boolean', default: false, hidden: true, describe: 'write into <run-id>/node-<major>/ (bench --node)' })
      .example('$0 faults --transports chunked,raw-socket --faults hang,garbage-header', 'two transports, two faults'),
  handler: async (args) => {
    const config = resolveFaultsOptions(args);
    const runId = resolveRunId(args.runId, newRunId);
    const outDir = await checkOutputDir('out', String(args.out ?? path.join(projectRoot, 'results')));
    const interrupt = abortOnSignals();
    try {
      await runFaultsCommand(config, config.transports.map((id) => getTransport(id as (typeof transportIds)[number])), {
        stdout: process.stdout,
        stderr: process.stderr,
        signal: interrupt.signal,
        runId,
        outDir,
        ...(args.byNode === true ? { nodeDir: nodeDirName() } : {}),
      });
    } finally {
      interrupt.dispose();
    }
  },
};
