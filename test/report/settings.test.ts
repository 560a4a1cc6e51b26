import { describe, expect, it } from 'vitest';
import type { ScenarioResult } from '../../src/results/schema.js';
import { settingDifferences, settingsWarning } from '../../src/report/settings.js';

const result = (config: Record<string, unknown>): ScenarioResult => ({
  schemaVersion: 1,
  kind: 'scenario',
  scenario: 'x',
  runId: 'r',
  startedAt: '',
  finishedAt: '',
  state: 'errored',
  error: 'e',
  env: { node: '', v8: '', os: '', cpuModel: '', cores: 2, memoryBytes: 0, gitCommit: null },
  config,
});

const same = { records: 100000, changes: 0.1, workPerRecord: 5000, rate: 50, durationS: 15, imports: 2 };

describe('settings differences between compared scenarios', () => {
  it('is empty when every scenario ran with the same settings', () => {
    const results = new Map([
      ['single-thread', result(same)],
      ['cluster', result({ ...same, workers: 4, reconnect: true })],
    ]);
    expect(settingDifferences(results)).toEqual([]);
    expect(settingsWarning(results)).toBeNull();
  });

  it('names each differing setting and who ran with which value', () => {
    const results = new Map([
      ['single-thread', result(same)],
      ['cluster', result(same)],
      ['node-ipc', result({ ...same, records: 20000, durationS: 5 })],
    ]);
    expect(settingDifferences(results)).toEqual([
      'records: 100000 (single-thread, cluster), 20000 (node-ipc)',
      'durationS: 15 (single-thread, cluster), 5 (node-ipc)',
    ]);
    expect(settingsWarning(results)).toContain('- records: 100000 (single-thread, cluster), 20000 (node-ipc)');
  });
});
