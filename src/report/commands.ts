// The exact command that reproduces a result, rebuilt from its resolved config (the `config` of the
// results file: src/commands/scenario.ts and src/commands/sweep-options.ts resolve their resolved options).
// Options that do not change the figures (--json, --out, --host, --port) are left out.
import type { ScenarioResult, SweepResult } from '../results/schema.js';

interface OptionMap {
  /** Key in the resolved config. */
  key: string;
  /** CLI flag, without dashes. */
  flag: string;
  /** From the config's unit to the flag's unit. */
  toFlag?: (value: number) => number;
}

const SCENARIO_OPTIONS: OptionMap[] = [
  { key: 'durationS', flag: 'duration' },
  { key: 'warmupS', flag: 'warmup' },
  { key: 'rate', flag: 'rate' },
  { key: 'connections', flag: 'connections' },
  { key: 'records', flag: 'records' },
  { key: 'imports', flag: 'imports' },
  { key: 'concurrency', flag: 'concurrency' },
  { key: 'changes', flag: 'changes' },
  { key: 'workPerRecord', flag: 'work' },
  { key: 'workers', flag: 'workers' },
  { key: 'reconnect', flag: 'reconnect' },
  { key: 'pool', flag: 'pool' },
  { key: 'importTimeoutS', flag: 'import-timeout' },
  { key: 'childHeapMb', flag: 'child-heap-mb' },
  { key: 'capacityS', flag: 'capacity' },
  { key: 'capacityConnections', flag: 'capacity-connections' },
  // worker-pool's, kept in config.workerPool
  { key: 'handoff', flag: 'handoff' },
  { key: 'maxQueue', flag: 'max-queue' },
];

const SWEEP_OPTIONS: OptionMap[] = [
  { key: 'transports', flag: 'transports' },
  { key: 'sizesBytes', flag: 'sizes' },
  { key: 'maxSizeBytes', flag: 'max-size' },
  { key: 'payload', flag: 'payload' },
  { key: 'repeat', flag: 'repeat' },
  { key: 'timeoutMs', flag: 'timeout', toFlag: (ms) => ms / 1000 },
  { key: 'childHeapMb', flag: 'child-heap-mb' },
  { key: 'quick', flag: 'quick' },
];

export function flags(config: Record<string, unknown>, options: OptionMap[]): string[] {
  const out: string[] = [];
  for (const { key, flag, toFlag } of options) {
    const value = config[key];
    if (value === undefined || value === null || value === false) continue;
    if (value === true) out.push(`--${flag}`);
    else if (Array.isArray(value)) out.push(`--${flag} ${value.map(String).join(',')}`);
    else if (typeof value === 'number') out.push(`--${flag} ${String(toFlag ? toFlag(value) : value)}`);
    else if (typeof value === 'string') out.push(`--${flag} ${value}`);
  }
  return out;
}

function command(script: string, args: string[]): string {
  return args.length > 0 ? `npm run ${script} -- ${args.join(' ')}` : `npm run ${script}`;
}

export function scenarioCommand(result: ScenarioResult): string {
  const pool = result.config.workerPool;
  const args = flags({ ...result.config, ...(typeof pool === 'object' && pool !== null ? pool : {}) }, SCENARIO_OPTIONS);
  return `npm run scenario ${result.scenario}${args.length > 0 ? ` -- ${args.join(' ')}` : ''}`;
}

export function sweepCommand(result: SweepResult): string {
  return command('sweep', flags(result.config, SWEEP_OPTIONS));
}

export function reportCommand(resultsDirLabel: string): string {
  return command('report', resultsDirLabel === 'results' ? [] : [`--results ${resultsDirLabel}`]);
}
