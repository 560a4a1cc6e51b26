import { performance } from 'node:perf_hooks';
import path from 'node:path';
import type { CommandModule } from 'yargs';
import { projectRoot } from '../paths.js';
import { newRunId, nodeDirName } from '../results/store.js';
import { runSweepCommand } from '../sweep/main.js';
import { getTransport, transportIds } from '../transports/registry.js';
import { checkOutputDir } from './locations.js';
import { abortOnSignals } from './signals.js';
import { resolveSweepOptions, type SweepArgs } from './sweep-options.js';
import { resolveRunId } from './usage.js';
import type { SweepEvent } from '../sweep/run.js';
import { forwardToParent } from '../web/forward.js';
import { sweepEventFilter } from '../web/sweep-events.js';

/** The options' help, shared with the workshop page's sweep form (src/commands/workshop.ts). */
export const SWEEP_OPTION_HELP = {
  'transports': `comma-separated, default all: ${transportIds.join(', ')}`,
  'sizes': 'comma-separated sizes (1048576, 64KiB, 10MB); default 1 KiB to --max-size in steps of x4, plus 64 KiB +- 1',
  'max-size': 'largest size, up to 1GiB (default 256MiB; 1MiB with --quick)',
  'payload': 'bytes (random) or records (station records, serialized the transport\'s own way)',
  'repeat': 'at least this many timed exchanges per size, after warm-up (default 5; 3 with --quick); sampling also runs for at least 200 ms (50 ms with --quick)',
  'timeout': 'seconds allowed per exchange',
  'pin-cpus': 'run the sweep on one CPU and each peer on another, with taskset (default on where there are 2+ CPUs and taskset; --no-pin-cpus: wherever the scheduler puts them)',
  'quick': 'sizes up to 1 MiB, shorter warm-up and sampling (1 s of samples at most per point): about a minute',
};

// Every value is read as a string and checked by resolveSweepOptions, so "12XB" is a one-line
// usage error naming --sizes (exit 2) before any process starts, never a silent NaN.
export const sweepCommand: CommandModule<object, SweepArgs & { 'emit-events'?: boolean }> = {
  command: 'sweep',
  describe: 'message-size sweep of every transport: MB/s, event-loop blocking, peak RSS, failure points; writes results/<run-id>/sweep.json',
  builder: (y) =>
    y
      .option('transports', { type: 'string', describe: SWEEP_OPTION_HELP['transports'] })
      .option('sizes', { type: 'string', describe: SWEEP_OPTION_HELP['sizes'] })
      .option('max-size', { type: 'string', describe: SWEEP_OPTION_HELP['max-size'] })
      .option('payload', { type: 'string', describe: SWEEP_OPTION_HELP['payload'], default: 'bytes' })
      .option('repeat', { type: 'string', describe: SWEEP_OPTION_HELP['repeat'] })
      .option('timeout', { type: 'string', describe: SWEEP_OPTION_HELP['timeout'], default: '30' })
      .option('child-heap-mb', { type: 'string', describe: 'run the receiving child with --max-old-space-size=MB (a smaller server)' })
      .option('queue-placement', { type: 'string', describe: 'queue: records in job-data or in a redis-key of their own (default redis-key)' })
      .option('quick', { type: 'boolean', describe: SWEEP_OPTION_HELP['quick'], default: false })
      .option('pin-cpus', { type: 'boolean', describe: SWEEP_OPTION_HELP['pin-cpus'], default: true })
      .option('json', { type: 'boolean', describe: 'print only the result document on stdout', default: false })
      .option('out', { type: 'string', describe: 'results directory', default: path.join(projectRoot, 'results'), defaultDescription: 'results/ at the project root' })
      .option('run-id', { type: 'string', hidden: true })
      .option('by-node', { type: 'boolean', default: false, hidden: true, describe: 'write into <run-id>/node-<major>/ (bench --node)' })
      // Set by the workshop, which runs every command as its own process: forward each measured point.
      .option('emit-events', { type: 'boolean', default: false, hidden: true }),
  handler: async (args) => {
    const { config, outDir: resolvedOutDir } = resolveSweepOptions(args, transportIds, path.join(projectRoot, 'results'));
    const runId = resolveRunId(args.runId, newRunId);
    const outDir = await checkOutputDir('out', args.out === undefined ? resolvedOutDir : String(args.out));
    const interrupt = abortOnSignals();
    const forward = args['emit-events'] === true ? forwardToParent() : null;
    const passes = sweepEventFilter(() => performance.now());
    try {
      await runSweepCommand(config, config.transports.map((id) => getTransport(id)), {
        stdout: process.stdout,
        stderr: process.stderr,
        signal: interrupt.signal,
        runId,
        outDir,
        ...(args.byNode === true ? { nodeDir: nodeDirName() } : {}),
        ...(forward ? { onEvent: (event: SweepEvent) => passes(event) && forward.send(event) } : {}),
      });
    } finally {
      interrupt.dispose();
      await forward?.flush();
    }
  },
};
