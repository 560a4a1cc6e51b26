import { describe, expect, it } from 'vitest';
import { queueScaleSection, verdict } from '../../src/report/queue-scale.js';
import { completedScenario } from './builders.js';

describe('the queue scale section', () => {
  it('a table of imports per minute and a sentence computed from it', () => {
    const result = completedScenario('fork-send');
    result.scenario = 'queue';
    result.env.cores = 2;
    result.scale = {
      records: 100_000,
      workPerRecord: 5000,
      placement: 'redis-key',
      points: [
        { workers: 1, concurrency: 4, imports: 8, completed: 8, spanMs: 40_000, importsPerMinute: 12 },
        { workers: 2, concurrency: 4, imports: 8, completed: 8, spanMs: 38_000, importsPerMinute: 12.6 },
      ],
    };
    const text = queueScaleSection(result);
    expect(text.split('\n').slice(2, 6)).toEqual([
      '| local worker processes | imports each runs at once | completed | span ms | imports / minute |',
      '| --- | --- | --- | --- | --- |',
      '| 1 | 4 | 8 / 8 | 40000 | **12.0** |',
      '| 2 | 4 | 8 / 8 | 38000 | **12.6** |',
    ]);
    expect(text).toContain(
      '2 workers complete about as many imports as 1 (1.05x): one worker running 4 imports at once already keeps all 2 cores of this machine busy',
    );
  });

  it('says what scaled, what did not, and where the figure is missing', () => {
    expect(verdict(10, 19, 8, 4)).toMatch(/^2 workers complete 1.90x the imports of 1: the workers share this machine's 8 cores\. On N hosts/);
    expect(verdict(10, 7, 2, 4)).toMatch(/^2 workers complete fewer imports than 1 \(0.70x; more threads than cores only add switching\): one worker running 4/);
    expect(queueScaleSection(undefined)).toBe('No queue result. Run `npm run scenario queue -- --scale` (the bench does) for imports per minute with 1 and 2 local worker processes.');
    expect(queueScaleSection(completedScenario('fork-send'))).toMatch(/^The queue result has no scale figure\./);
  });
});
