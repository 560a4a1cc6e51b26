// The workshop's runs: one at a time, each a CLI process (child-run.ts), every event relayed to the
// pages through the hub, and the finished ones kept for the session's comparison.
import { startChildRun, type ChildRun, type ChildRunExit } from './child-run.js';
import type { EventHub } from './event-hub.js';
import type { ComparisonRow, RunInfo, RunKind, RunOutcome } from './wire.js';

/** A run checked and ready to start: what the command line will get. */
export interface PreparedRun {
  kind: RunKind;
  target: string;
  runId: string;
  args: string[];
  /** Absolute path of the results file the command writes. */
  resultFile: string;
  /** How the page shows that path (relative to the project when below it). */
  resultFileLabel: string;
}

export type StartReply = { ok: true; run: RunInfo } | { ok: false; status: number; message: string };

export interface SessionState {
  current: RunInfo | null;
  finished: { run: RunInfo; outcome: RunOutcome }[];
}

export interface SessionOptions {
  cliPath: string;
  hub: EventHub;
  /** The comparison row of a scenario's results file; null when it cannot be read. */
  readRow: (resultFile: string) => Promise<ComparisonRow | null>;
}

const INTERRUPT_EXIT_CODES = new Set([130, 143]);

export function outcomeOf(exit: ChildRunExit, stopRequested: boolean, row: ComparisonRow | null): RunOutcome {
  const state = exit.exitCode === 0 ? 'completed' : stopRequested || INTERRUPT_EXIT_CODES.has(exit.exitCode ?? -1) || exit.signal ? 'interrupted' : 'errored';
  const stderrLines = exit.stderr.split('\n').filter((line) => line.trim() !== '');
  return {
    state,
    exitCode: exit.exitCode,
    summaryText: [exit.stdout.trim(), ...stderrLines].filter((part) => part !== '').join('\n'),
    row,
    finishedAt: new Date().toISOString(),
  };
}

export class WorkshopSession {
  private current: { info: RunInfo; child: ChildRun; stopRequested: boolean; finished: Promise<void> } | null = null;
  private readonly finished: { run: RunInfo; outcome: RunOutcome }[] = [];

  constructor(private readonly options: SessionOptions) {}

  state(): SessionState {
    return { current: this.current?.info ?? null, finished: [...this.finished] };
  }

  start(prepared: PreparedRun): StartReply {
    if (this.current) {
      const { info } = this.current;
      return {
        ok: false,
        status: 409,
        message: `a run is in progress (${info.target}, run ${info.runId}, started ${info.startedAt}): one run at a time; stop it or wait for it to end`,
      };
    }
    const info: RunInfo = {
      kind: prepared.kind,
      target: prepared.target,
      runId: prepared.runId,
      args: prepared.args,
      resultFile: prepared.resultFileLabel,
      startedAt: new Date().toISOString(),
    };
    const { hub } = this.options;
    hub.publish({ type: 'run-started', run: info });
    const child = startChildRun(this.options.cliPath, prepared.args, (event) => hub.publish({ type: 'run-event', runId: info.runId, event }));
    const entry = { info, child, stopRequested: false, finished: Promise.resolve() };
    entry.finished = child.done.then(async (exit) => {
      const row = prepared.kind === 'scenario' ? await this.options.readRow(prepared.resultFile) : null;
      const outcome = outcomeOf(exit, entry.stopRequested, row);
      this.finished.push({ run: info, outcome });
      this.current = null;
      hub.publish({ type: 'run-ended', run: info, outcome });
      hub.flush();
    });
    this.current = entry;
    return { ok: true, run: info };
  }

  /** Stop the run in progress; false when none is. */
  stop(): boolean {
    if (!this.current) return false;
    this.current.stopRequested = true;
    this.current.child.stop();
    return true;
  }

  /** Stop whatever runs and wait until it (and everything it started) has ended. */
  async close(): Promise<void> {
    const running = this.current;
    if (!running) return;
    this.stop();
    await running.finished;
  }
}
