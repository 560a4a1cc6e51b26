import type { ScenarioArgs } from '../../src/commands/scenario.js';

/** What the command line parses for `scenario <id>`, as the handler gets it: the defaults, then what a test gives. */
export function scenarioArgs(id: string, extra: Partial<ScenarioArgs> = {}): ScenarioArgs {
  return {
    id,
    duration: '15',
    warmup: '2',
    rate: '50',
    records: '1000',
    imports: '2',
    concurrency: '1',
    changes: '0.1',
    work: '0',
    reconnect: false,
    pool: false,
    host: '127.0.0.1',
    port: '0',
    'import-timeout': '300',
    capacity: '5',
    'capacity-connections': '10',
    json: false,
    out: 'results',
    ...extra,
  };
}
