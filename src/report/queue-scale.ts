// The "past one machine" section: the queue's scale figure, and what it means for more hosts. Pure.
import { formatMs, formatNumber } from '../format/numbers.js';
import type { ScenarioResult } from '../results/schema.js';

export function queueScaleSection(result: ScenarioResult | undefined): string {
  const how = 'Run `npm run scenario queue -- --scale` (the bench does) for imports per minute with 1 and 2 local worker processes.';
  if (!result) return `No queue result. ${how}`;
  if (result.state === 'errored') return `The queue scenario errored: ${result.error}. ${how}`;
  const scale = result.scale;
  if (!scale || scale.points.length === 0) return `The queue result has no scale figure. ${how}`;
  const rows = scale.points.map((p) => `| ${p.workers} | ${p.concurrency} | ${p.completed} / ${p.imports} | ${formatMs(p.spanMs)} | **${formatNumber(p.importsPerMinute)}** |`);
  const lines = [
    `Imports of ${scale.records.toLocaleString('en-US')} records (work ${scale.workPerRecord} per record, records in ${scale.placement}) through BullMQ on a private Redis, as many in flight as the workers have slots, after one warm-up job per slot (it starts the slot's thread and builds its baseline):`,
    '',
    '| local worker processes | imports each runs at once | completed | span ms | imports / minute |',
    '| --- | --- | --- | --- | --- |',
    ...rows,
  ];
  const [one, two] = [scale.points.find((p) => p.workers === 1), scale.points.find((p) => p.workers === 2)];
  if (one && two && one.importsPerMinute > 0) lines.push('', verdict(one.importsPerMinute, two.importsPerMinute, result.env.cores, two.concurrency));
  const failed = scale.points.flatMap((p) => p.errors ?? []);
  if (failed.length > 0) lines.push('', `Failed imports: ${failed.join('; ')}`);
  return lines.join('\n');
}

/** What the two figures say, and what they do not: both worker counts share this machine's cores. */
export function verdict(oneWorkerPerMinute: number, twoWorkersPerMinute: number, cores: number, concurrency: number): string {
  const ratio = twoWorkersPerMinute / oneWorkerPerMinute;
  const capped = concurrency >= cores;
  const observed =
    ratio >= 1.5
      ? `2 workers complete ${formatNumber(ratio)}x the imports of 1`
      : ratio >= 0.85
        ? `2 workers complete about as many imports as 1 (${formatNumber(ratio)}x)`
        : `2 workers complete fewer imports than 1 (${formatNumber(ratio)}x; more threads than cores only add switching)`;
  const cap = capped
    ? `one worker running ${concurrency} imports at once already keeps all ${cores} cores of this machine busy, so a second worker on the same machine has no CPU to add`
    : `the workers share this machine's ${cores} cores`;
  return (
    `${observed}: ${cap}. On N hosts each worker brings its own cores, so the figure grows with the hosts ` +
    '(up to about N times one host\'s) until something they share is the limit: Redis (every payload and reply passes through it), ' +
    'the network, or the HTTP process that encodes each import.'
  );
}
