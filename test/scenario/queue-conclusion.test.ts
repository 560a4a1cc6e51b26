import { describe, expect, it } from 'vitest';
import type { ImportRecord } from '../../src/results/schema.js';
import { queueRunLine } from '../../src/scenario/conclusion.js';

const imported = (attempts: ImportRecord['attempts'], extra: Partial<ImportRecord> = {}): ImportRecord => ({
  startedAtMs: 0,
  durationMs: 1,
  bytesToWorker: 1,
  bytesFromWorker: 1,
  ok: true,
  attempts,
  ...extra,
});

describe('the queue conclusion', () => {
  it('says how long imports waited and ran, where, and which were retried', () => {
    const first = { host: 'a', pid: 1, startedAtEpochMs: 0, outcome: 'lost' as const };
    const second = { host: 'b', pid: 2, startedAtEpochMs: 0, outcome: 'completed' as const };
    expect(
      queueRunLine([
        imported([second], { workerHost: 'b', queuedMs: 40, runningMs: 2500 }),
        imported([first, second], { workerHost: 'b', queuedMs: 5200, runningMs: 2400 }),
      ]),
    ).toBe('Through the queue: queued up to 5200 ms, running up to 2500 ms; run on b (2); 1 of 2 needed more than one attempt (lost then completed).');
    expect(queueRunLine([{ ...imported(undefined) }])).toBeNull();
  });
});
