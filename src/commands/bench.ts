import { spawn } from 'node:child_process';
import path from 'node:path';
import type { CommandModule } from 'yargs';
import { scenarios } from '../../scenarios/index.js';
import { compiledEntry, projectRoot } from '../paths.js';
import { newRunId } from '../results/store.js';
import { commandEnv } from '../sweep/malloc.js';
import { checkOutputDir, checkOutputFile } from './locations.js';
import { nodeBinary, parseNodeMajors, SUPPORTED_NODE_MAJORS } from './node-versions.js';
import { generateReport } from './report.js';
import { abortOnSignals } from './signals.js';

interface BenchArgs {
  quick: boolean;
  out: string;
  report: string;
  node?: string;
}

interface BenchStep {
  label: string;
  args: string[];
  /** The node binary that runs the step (and so every process it starts). */
  node: string;
  /**
   * With --node, run on the lowest major only (the one the report's main sections show). The faults
   * are behaviour, not speed, and take minutes: three times over would not fit a bench.
   */
  lowestMajorOnly?: boolean;
}

export interface NodeVersion {
  major: number;
  node: string;
}

// --quick: every scenario for 2 s per phase with one import of 20,000 stations, 1 s per capacity
// phase, the quick sweep (up to 1 MiB) and one fault of each kind: the whole bench within 3 minutes on
// 2 cores. Its figures show that every step works, not how the designs compare (1 s of closed loop
// is mostly JIT warm-up): compare on a full bench.
const QUICK_SCENARIO_ARGS = ['--duration', '2', '--warmup', '1', '--records', '20000', '--imports', '1', '--capacity', '1'];

export function benchSteps(quick: boolean, outDir: string, runId: string, node: string = process.execPath): BenchStep[] {
  const common = ['--out', outDir, '--run-id', runId];
  return [
    ...scenarios.map((scenario) => ({
      label: `scenario ${scenario.id}`,
      args: ['scenario', scenario.id, ...(quick ? QUICK_SCENARIO_ARGS : []), ...(scenario.benchArgs?.(quick) ?? []), ...common],
      node,
    })),
    { label: 'sweep', args: ['sweep', ...(quick ? ['--quick'] : []), ...common], node },
    // --quick: one fault of each kind and a 2 s timeout for the hangs.
    { label: 'faults', args: ['faults', ...(quick ? ['--quick'] : []), ...common], node, lowestMajorOnly: true },
  ];
}

/**
 * --node: every step once per major, each writing into node-<major>/ of the run. Interleaved (step 1
 * on every major, then step 2, ...) so whatever else the machine does at a time weighs on every
 * version alike, rather than on the one that happened to run then.
 */
export function stepsByVersion(steps: BenchStep[], versions: NodeVersion[]): BenchStep[] {
  const lowestMajor = Math.min(...versions.map((v) => v.major));
  return steps.flatMap((s) =>
    versions
      .filter((v) => !s.lowestMajorOnly || v.major === lowestMajor)
      .map((v) => ({ label: `node ${v.major}: ${s.label}`, args: [...s.args, '--by-node'], node: v.node })),
  );
}

/** Runs one step as its own CLI process, so each step's processes are ended before the next starts. */
function runStep(step: BenchStep, signal: AbortSignal): Promise<number | null> {
  return new Promise((resolve) => {
    // `node` on PATH is the step's node too, for anything that starts one by name.
    const env = commandEnv(step.args, { ...process.env, PATH: [path.dirname(step.node), process.env.PATH].filter(Boolean).join(path.delimiter) });
    const child = spawn(step.node, [compiledEntry('cli.js'), ...step.args], { stdio: ['ignore', 'inherit', 'inherit'], env });
    const forward = (): void => {
      child.kill('SIGTERM');
    };
    signal.addEventListener('abort', forward, { once: true });
    child.on('close', (code) => {
      signal.removeEventListener('abort', forward);
      resolve(code);
    });
  });
}

export const benchCommand: CommandModule<object, BenchArgs> = {
  command: 'bench',
  describe: 'every scenario, then the sweep, then the faults, then the report (charts + REPORT.md), all in one run id',
  builder: (y) =>
    y
      .option('quick', { type: 'boolean', default: false, describe: 'short phases, the quick sweep and one fault of each kind: under 3 minutes' })
      .option('out', { type: 'string', default: path.join(projectRoot, 'results'), defaultDescription: 'results/ at the project root', describe: 'results directory' })
      .option('report', { type: 'string', default: path.join(projectRoot, 'REPORT.md'), defaultDescription: 'REPORT.md at the project root', describe: 'report file to write' })
      .option('node', {
        type: 'string',
        requiresArg: true,
        describe: `run every step on each of these Node majors (${SUPPORTED_NODE_MAJORS.join(', ')}; the npm registry's node@<major>, installed once into .cache/node/)`,
      })
      .example('$0 bench --quick', 'a complete report (every step, short) in under 3 minutes')
      .example('$0 bench --quick --node 20,22,24', 'the same on three Node majors, compared in the report'),
  handler: async (args) => {
    // Before minutes of measuring, not after.
    const outDir = await checkOutputDir('out', args.out);
    const reportFile = await checkOutputFile('report', args.report);
    const majors = args.node === undefined ? null : parseNodeMajors(args.node);
    const runId = newRunId();
    const onTerminal = Boolean(process.stderr.isTTY);
    const interrupt = abortOnSignals();
    const failed: string[] = [];
    let lastCode: number | null = 0;
    const benchStartMs = performance.now();
    try {
      let steps = benchSteps(args.quick, outDir, runId);
      if (majors) {
        const versions: NodeVersion[] = [];
        for (const major of majors) {
          const node = await nodeBinary(major, interrupt.signal).catch((error: unknown) => {
            throw interrupt.received() ?? error;
          });
          versions.push({ major, node });
        }
        steps = stepsByVersion(steps, versions);
      }
      for (const [index, step] of steps.entries()) {
        if (interrupt.signal.aborted) break;
        const stepStartMs = performance.now();
        if (onTerminal) process.stderr.write(`[bench ${index + 1}/${steps.length + 1}] ${step.label} ...\n`);
        const code = await runStep(step, interrupt.signal);
        lastCode = code;
        if (code !== 0) failed.push(`${step.label} (exit code ${code})`);
        if (onTerminal) {
          const seconds = ((performance.now() - stepStartMs) / 1000).toFixed(0);
          process.stderr.write(`[bench ${index + 1}/${steps.length + 1}] ${step.label} ${code === 0 ? 'done' : 'FAILED'} in ${seconds} s\n`);
        }
      }
      const interrupted = interrupt.received();
      // A step stopped by the signal has said so itself (exit code 128 + n): say it once.
      if (interrupted) throw lastCode !== null && lastCode > 128 ? interrupted.said() : interrupted;
      if (onTerminal) process.stderr.write(`[bench ${steps.length + 1}/${steps.length + 1}] report ...\n`);
      // Failed steps still wrote their (errored) results: the report shows them as such.
      const file = await generateReport(outDir, reportFile, { runId });
      const minutes = ((performance.now() - benchStartMs) / 60_000).toFixed(1);
      process.stdout.write(`\nbench run ${runId}: ${steps.length} steps in ${minutes} min; wrote ${path.relative(process.cwd(), file) || file}\n`);
      if (failed.length > 0) throw new Error(`bench steps failed: ${failed.join(', ')} (their errors are in the report)`);
    } finally {
      interrupt.dispose();
    }
  },
};
