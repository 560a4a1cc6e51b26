import { errorMessage } from '../format/error.js';
import { captureEnv } from '../results/env.js';
import { SCHEMA_VERSION, type SweepResult, type SweepTransportResult } from '../results/schema.js';
import { newRunId, resultPath, writeJsonAtomic } from '../results/store.js';
import type { Transport } from '../transports/types.js';
import type { SweepConfig } from './config.js';
import { SweepInterrupted } from './deadline.js';
import { mallocTunablesInEffect } from './malloc.js';
import { CpuPlacement } from './placement.js';
import { createProgress, type ProgressStream } from './progress.js';
import { runSweep, type SweepEvent } from './run.js';
import { renderFailurePoints, renderSummaryTable } from './table.js';

export interface SweepIo {
  stdout: { write(text: string): unknown };
  /** Progress goes here, only when it is a terminal. */
  stderr: ProgressStream;
  signal?: AbortSignal;
  /** Default: a fresh run id. */
  runId?: string;
  /** Results directory: the file goes to <outDir>/<runId>/sweep.json. */
  outDir: string;
  /** A run of several Node majors writes into this folder of the run (`node-22`). */
  nodeDir?: string;
  /** Also told every sweep event (a live view listens here); must not throw. */
  onEvent?: (event: SweepEvent) => void;
}

/** "interrupted by SIGINT" rather than the sweep's internal wrapper. */
function describeFailure(failure: unknown): string {
  const shown = failure instanceof SweepInterrupted && failure.reason instanceof Error ? failure.reason : failure;
  return errorMessage(shown);
}

/**
 * Runs the sweep and writes results/<run-id>/sweep.json, also when it errors (then rethrows, so the
 * CLI exits 1). Prints the summary table and failure points, or with --json only the document.
 */
export async function runSweepCommand(config: SweepConfig, transports: readonly Transport[], io: SweepIo): Promise<SweepResult> {
  const runId = io.runId ?? newRunId();
  const startedAt = new Date().toISOString();
  const progress = createProgress(io.stderr);
  const measured: SweepTransportResult[] = [];
  let failure: unknown = null;
  // Pinned only when asked (the CLI asks by default) and where the machine allows it (placement.ts).
  const placement = config.pinCpus === true ? CpuPlacement.probe() : null;
  try {
    placement?.start();
    await runSweep(
      transports,
      {
        sizesBytes: config.sizesBytes,
        payload: config.payload,
        sampling: config.sampling,
        timeoutMs: config.timeoutMs,
        ...(config.childHeapMb !== null ? { childHeapMb: config.childHeapMb } : {}),
        queuePlacement: config.queuePlacement,
        placement,
        ...(io.signal ? { signal: io.signal } : {}),
      },
      (event) => {
        progress.onEvent(event);
        io.onEvent?.(event);
      },
      measured,
    );
  } catch (error: unknown) {
    failure = error;
  } finally {
    progress.done();
    try {
      placement?.restore();
    } catch {
      // The figures stand: the sweep runs in a process of its own, whose CPU affinity ends with it.
    }
  }
  const result: SweepResult = {
    schemaVersion: SCHEMA_VERSION,
    kind: 'sweep',
    runId,
    startedAt,
    finishedAt: new Date().toISOString(),
    state: failure === null ? 'completed' : 'errored',
    ...(failure !== null ? { error: describeFailure(failure) } : {}),
    env: captureEnv(),
    // Which allocator settings the figures were made under (see malloc.ts); null: glibc's defaults.
    config: { ...config, mallocTunables: mallocTunablesInEffect(), cpuPlacement: placement ? placement.plan : null },
    transports: measured,
  };
  const file = resultPath(io.outDir, runId, 'sweep', io.nodeDir);
  await writeJsonAtomic(file, result);
  if (config.json) io.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  else io.stdout.write(`${renderSummaryTable(measured)}\n${renderFailurePoints(measured)}\nwrote ${file}\n`);
  // Interrupted: rethrow the signal's own error so the CLI exits 128 + signal number.
  if (failure instanceof SweepInterrupted && failure.reason instanceof Error) throw failure.reason;
  if (failure !== null) throw failure;
  return result;
}
