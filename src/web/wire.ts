// Typed messages of the workshop: what a run's CLI process sends the workshop over its IPC channel,
// and what the workshop streams to its pages (server-sent events, JSON).
import type { ScenarioEvent } from '../scenario/events.js';
import type { SweepEvent } from '../sweep/run.js';

export type RunKind = 'scenario' | 'sweep';

/** An event of a running command, as its runner emitted it. */
export type RunEvent = ScenarioEvent | SweepEvent;

/** Child (a CLI run with --emit-events) to the workshop, over the fork's IPC channel. */
export interface RunEventMessage {
  type: 'ipc-lab:run-event';
  event: RunEvent;
}

export function isRunEventMessage(value: unknown): value is RunEventMessage {
  const message = value as Partial<RunEventMessage> | null;
  return message?.type === 'ipc-lab:run-event' && typeof message.event === 'object' && message.event !== null;
}

export interface RunInfo {
  kind: RunKind;
  /** Scenario id, or 'sweep'. */
  target: string;
  runId: string;
  /** The options as the command line got them (after validation). */
  args: string[];
  /** Where the results file is written, relative to the project when below it. */
  resultFile: string;
  startedAt: string;
}

/** One finished scenario run, for the session's comparison table and chart. */
export interface ComparisonRow {
  scenario: string;
  runId: string;
  state: 'completed' | 'errored';
  error?: string;
  durationS: number | null;
  records: number | null;
  baselineP99Ms: number | null;
  underLoadP50Ms: number | null;
  underLoadP99Ms: number | null;
  maxStallMs: number | null;
  slowShare: number | null;
  importsOk: number;
  importsTotal: number;
  maxLoopDelayMs: number | null;
}

export interface RunOutcome {
  /** completed: exit 0; errored: the run failed (its results file says why); interrupted: stopped. */
  state: 'completed' | 'errored' | 'interrupted';
  exitCode: number | null;
  /** What the terminal shows at the end: the command's stdout (summary and sentences), then its error line. */
  summaryText: string;
  /** Scenario runs that wrote a readable results file. */
  row: ComparisonRow | null;
  finishedAt: string;
}

export type WireEvent =
  | { type: 'run-started'; run: RunInfo }
  | { type: 'run-event'; runId: string; event: RunEvent }
  | { type: 'run-ended'; run: RunInfo; outcome: RunOutcome };
