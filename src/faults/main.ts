import { errorMessage } from '../format/error.js';
import { captureEnv } from '../results/env.js';
import { SCHEMA_VERSION, type FaultCaseResult, type FaultsResult } from '../results/schema.js';
import { newRunId, resultPath, writeJsonAtomic } from '../results/store.js';
import type { Transport } from '../transports/types.js';
import { planCases, type FaultId } from './cases.js';
import { planScenarioCases, runScenarioFault, SCENARIO_FAULTS, type ScenarioFaultId } from './scenario-case.js';
import { runFaults, type FaultEvent } from './run.js';

const isScenarioFault = (fault: string): fault is ScenarioFaultId => Object.hasOwn(SCENARIO_FAULTS, fault);
import { renderFaultTable } from './table.js';

export interface FaultsConfig {
  transports: string[];
  faults: (FaultId | ScenarioFaultId)[];
  timeoutMs: number;
  quick: boolean;
  json: boolean;
}

export interface FaultsIo {
  stdout: { write(text: string): unknown };
  /** One line per case, only when it is a terminal. */
  stderr: { isTTY?: boolean; write(text: string): unknown };
  signal?: AbortSignal;
  runId?: string;
  /** Results directory: the file goes to <outDir>/<runId>/faults.json. */
  outDir: string;
  nodeDir?: string;
}

function progress(stderr: FaultsIo['stderr']): (event: FaultEvent) => void {
  return (event) => {
    if (stderr.isTTY !== true) return;
    if (event.type === 'case-start') stderr.write(`faults ${event.index + 1}/${event.total}: ${event.planned.transport} ${event.planned.fault} ...\n`);
  };
}

/**
 * Runs every applicable fault on every chosen transport and writes results/<run-id>/faults.json,
 * also when interrupted or errored (then rethrows, so the CLI exits non-zero).
 */
export async function runFaultsCommand(config: FaultsConfig, transports: readonly Transport[], io: FaultsIo): Promise<FaultsResult> {
  const runId = io.runId ?? newRunId();
  const startedAt = new Date().toISOString();
  const targets = transports.map((t) => ({ id: t.id, thread: t.thread === true, framed: t.ownWireFormat === true, brokered: t.brokered === true, pooled: t.pooled === true }));
  const planned = planCases(targets, config.faults.filter((f): f is FaultId => !isScenarioFault(f)), config.quick);
  const scenarioCases = planScenarioCases(config.faults, config.quick);
  const cases: FaultCaseResult[] = [];
  let failure: unknown = null;
  try {
    await runFaults(planned, { timeoutMs: config.timeoutMs, ...(io.signal ? { signal: io.signal } : {}) }, progress(io.stderr), cases);
    for (const [index, { scenario, fault }] of scenarioCases.entries()) {
      if (io.signal?.aborted) throw io.signal.reason;
      if (io.stderr.isTTY === true) io.stderr.write(`faults, scenarios ${index + 1}/${scenarioCases.length}: ${scenario} ${fault} ...\n`);
      cases.push(await runScenarioFault(scenario, fault));
    }
  } catch (error: unknown) {
    failure = error;
  }
  const result: FaultsResult = {
    schemaVersion: SCHEMA_VERSION,
    kind: 'faults',
    runId,
    startedAt,
    finishedAt: new Date().toISOString(),
    state: failure === null ? 'completed' : 'errored',
    ...(failure !== null ? { error: errorMessage(failure) } : {}),
    env: captureEnv(),
    config: { ...config },
    cases,
  };
  const file = resultPath(io.outDir, runId, 'faults', io.nodeDir);
  await writeJsonAtomic(file, result);
  if (config.json) io.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  else io.stdout.write(`${renderFaultTable(cases, config.timeoutMs)}wrote ${file}\n`);
  if (failure !== null) throw failure;
  return result;
}
