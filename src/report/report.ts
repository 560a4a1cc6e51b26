// The generated section of REPORT.md, as one string. Pure: the same input (and time) gives the same
// text, so regenerating from committed results changes only the "generated at" line.
import { scenarioIds } from '../../scenarios/index.js';
import { formatSize } from '../format/numbers.js';
import { orderIds } from '../format/order.js';
import type { NodeResults, RunResults } from '../results/run-results.js';
import { byVersionSection, measuredOn, type VersionResults } from './by-version.js';
import { claimData, claimsTable, judgeAll, machine, method, summary } from './sections.js';
import { beyondSection } from './beyond.js';
import { capacityMethod } from './capacity.js';
import { queueScaleSection } from './queue-scale.js';
import { settingsWarning } from './settings.js';
import { faultsSection } from './faults.js';
import { failureTable, firstRoundTripTable, NOISY_MARK, roundTripTable, scenarioTable, sweepTable } from './tables.js';
import type { SweepResult } from '../results/schema.js';
import { SWEEP_MALLOC_TUNABLES } from '../sweep/malloc.js';
import { NOISY_MARGIN_OF_ERROR } from '../sweep/stats.js';

export interface ChartLink {
  /** Relative to REPORT.md, forward slashes. */
  path: string;
  title: string;
  /** Set for a chart of one scenario. */
  scenario?: string;
  /** Which series of per-scenario charts it belongs to (a chart of one scenario without one is a timeline). */
  series?: 'timeline' | 'capacity';
}

export interface ReportOptions {
  /** How the results directory is named in commands and paths (e.g. "results"). */
  resultsDirLabel: string;
  generatedAt: Date;
  charts: ChartLink[];
}

function chartsSection(input: RunResults, charts: ChartLink[]): string {
  const shared = charts.filter((c) => !c.scenario).map((c) => `### ${c.title}\n\n![${c.title}](${c.path})`);
  const ids = orderIds([...scenarioIds(), ...input.scenarios.keys()], scenarioIds());
  const perScenario = (series: 'timeline' | 'capacity', missing: string) =>
    ids.map((id) => {
      const chart = charts.find((c) => c.scenario === id && (c.series ?? 'timeline') === series);
      if (chart) return `![${chart.title}](${chart.path})`;
      const result = input.scenarios.get(id)?.result;
      const why = !result ? 'no result' : result.state === 'errored' ? `errored: ${result.error}` : series === 'capacity' ? 'not measured' : result.state;
      return `- ${id}: no ${missing} (${why})`;
    });
  return [
    ...shared,
    '### Latency over time, import windows shaded',
    ...perScenario('timeline', 'timeline'),
    '### Capacity per second, import windows shaded',
    ...perScenario('capacity', 'capacity chart'),
  ].join('\n\n');
}

/** Which run the report shows: "run `<id>` (the files in `results/<id>/`)". */
function runLine(input: RunResults, resultsDirLabel: string): string {
  if (input.runId === null) return `\`${resultsDirLabel}/\`, which holds no run`;
  return `run \`${input.runId}\` (the files in \`${resultsDirLabel}/${input.runId}/\`)`;
}

/** "Node v22.23.3" of a major's results (its folder's major when none records one). */
function nodeLabel(results: NodeResults): string {
  const nodes = [...results.scenarios.values(), ...(results.sweep ? [results.sweep] : [])].map((l) => l.result.env.node);
  return [...new Set(nodes)].join(' and ') || `Node ${results.major}`;
}

function byVersion(input: RunResults): string | null {
  const versions: VersionResults[] = input.byNode.map((n) => {
    const data = claimData(n);
    return { node: nodeLabel(n), scenarios: data.scenarios, sweep: data.sweep, verdicts: judgeAll(data), faults: Boolean(n.faults) };
  });
  const quick = input.byNode.some((n) => n.sweep?.result.config.quick === true);
  return byVersionSection(versions, `npm run bench -- ${quick ? '--quick ' : ''}--node ${input.byNode.map((n) => n.major).join(',')}`);
}

/** "Measured on Node v20.20.2." for the line above a set of figures; empty when there are none. */
function measuredLine(results: readonly { name: string; node: string }[]): string {
  const on = measuredOn(results);
  return on ? ` Measured on ${on}.` : '';
}

/**
 * Under which allocator setting the sweep's figures were made (config.mallocTunables, from
 * sweep/malloc.ts), and whether the peers collected before each large sample (peerCollectFromBytes):
 * together they decide whether a sample from 1 MiB up paid for fresh pages.
 */
export function sweepMemorySentence(sweep: SweepResult): string {
  const tunables = sweep.config.mallocTunables;
  const peerCollectFromBytes = (sweep.config.sampling as { peerCollectFromBytes?: unknown } | undefined)?.peerCollectFromBytes;
  if (typeof tunables === 'string') {
    return (
      `Memory: the sweep's processes ran with \`GLIBC_TUNABLES=${tunables}\`` +
      (tunables === SWEEP_MALLOC_TUNABLES ? " (glibc's malloc keeps what it frees: no chunk of its own mmap'd, the heap never trimmed)" : '') +
      ', so a timed sample reuses memory its process already has and measures the transport; what fresh memory costs shows in the cold first round trip.' +
      (typeof peerCollectFromBytes === 'number'
        ? ` From ${formatSize(peerCollectFromBytes)} up both processes collected their garbage before each sample, the peer by a 'collect' exchange outside the timed part.`
        : sweep.config.quick === true
          ? " With --quick, the warm-up ends before a peer's V8 has collected its first large messages: from 1 MiB up its peers still took some fresh pages."
          : '')
    );
  }
  if (tunables === null) {
    return "Memory: glibc's default allocator settings (the sweep was not started by `npm run sweep`, `bench` or the workshop): from 1 MiB up a sample may or may not pay for fresh pages, by what the allocator gave back before it.";
  }
  return 'Memory: allocator settings not recorded (a sweep from before they were).';
}

/**
 * Where the sweep's processes ran (config.cpuPlacement, from sweep/placement.ts): each end of an
 * exchange on a CPU of its own, the same two for every transport, or wherever the scheduler put them.
 */
export function sweepCpuSentence(sweep: SweepResult): string {
  const plan = sweep.config.cpuPlacement as { sweeperCpu?: unknown; peerCpu?: unknown } | null | undefined;
  if (plan && typeof plan.sweeperCpu === 'number' && typeof plan.peerCpu === 'number') {
    return (
      `CPUs: the sweeping process ran on CPU ${plan.sweeperCpu} and every peer on CPU ${plan.peerCpu} (pinned with taskset; of a worker-thread peer its own thread, ` +
      "the process's shared V8 helpers staying with the sweep; the queue's Redis on the sweep's CPU), so both ends of an exchange ran side by side on CPUs of their own, the same two for every transport: left to the scheduler, a fresh process drew a speed it kept, and two transports' peers at one size could differ by that draw."
    );
  }
  if (plan === null) return 'CPUs: wherever the scheduler put the processes (`--no-pin-cpus`, one CPU, or no taskset): two transports\' peers at one size may differ by where each happened to run.';
  return 'CPUs: placement not recorded (a sweep from before it was): the processes ran wherever the scheduler put them.';
}

/**
 * Which peer a size's samples came from, by the sweep's recorded rule (config.sampling; sampler.ts):
 * one kept per transport across the small sizes, or a fresh one per size (every sweep before kept
 * peers); and whether the transports of a small size took turns (turnSliceMs) or came one after another.
 */
export function sweepSamplingSentence(sweep: SweepResult): string {
  const rule = sweep.config.sampling as
    | { keptPeerBelowBytes?: unknown; keptPeerWarmupCount?: unknown; keptPeerWarmupMaxMs?: unknown; turnSliceMs?: unknown }
    | undefined;
  const below = rule?.keptPeerBelowBytes;
  const then = 'warms up unrecorded, then samples until a minimum count and a minimum time';
  if (typeof below !== 'number') return `Each size runs on a fresh peer, ${then}.`;
  const size = formatSize(below);
  const slice = rule?.turnSliceMs;
  const turns =
    typeof slice === 'number'
      ? ` Below ${size} the transports of one size took turns, ${slice} ms of exchanges each at a time, so a slow spell of the machine fell on all of them.`
      : '';
  const count = (value: unknown): string => (typeof value === 'number' ? value.toLocaleString('en-US') : String(value));
  const rounds = (rule as { freshPeerRounds?: unknown } | undefined)?.freshPeerRounds;
  const gateMs = (rule as { roundsBelowMs?: unknown } | undefined)?.roundsBelowMs;
  const inRounds =
    typeof rounds === 'number' && rounds > 1
      ? ` From ${size} up a size ran in ${rounds} rounds: every transport on a fresh peer, then again on a new fresh peer each, ` +
        `those whose first round took ${typeof gateMs === 'number' ? `under ${count(gateMs)} ms an exchange` : 'any time'}; ` +
        "their figures are over every round's samples pooled (the time minima shared among the rounds, so a faster round adds more samples) and none of them rests on one process's draw; the slower points rest on one peer."
      : '';
  return (
    `Below ${size} each transport's samples come from one peer kept across those sizes, warmed once for up to ` +
    `${count(rule?.keptPeerWarmupCount)} exchanges (at most ${count(rule?.keptPeerWarmupMaxMs)} ms): a fresh peer's JIT takes thousands of ` +
    `exchanges to settle; from ${size} up each size runs on a fresh peer. Either way the sampled peer ${then}; ` +
    `each size's cold figure is the first exchange of a peer started for it.${turns}${inRounds}`
  );
}

function sweepSection(sweep: SweepResult, measured: string): string {
  const warmSampled = sweep.schemaVersion >= 3;
  const noisy = `${NOISY_MARK} = noisy: the margin of error of the samples' mean is above ±${NOISY_MARGIN_OF_ERROR * 100} %.`;
  return [
    ...(warmSampled
      ? []
      : [
          `_This sweep predates warm sampling (schemaVersion ${sweep.schemaVersion}): each figure is over a few exchanges of a fresh peer, ` +
            'the cold first one included; spread, sample counts and the cold figure were not recorded._',
        ]),
    `MB/s by message size (payload MB over the median round trip); a failure kind in bold where the transfer failed; skipped = not tried after the transport's first failure; — = size not planned. ${noisy}${measured}`,
    sweepTable(sweep),
    `${sweepMemorySentence(sweep)} ${sweepCpuSentence(sweep)}`,
    '### Round trip, warm',
    `Median round trip in ms, (p10–p90), and n = the timed samples behind it. ${sweepSamplingSentence(sweep)} ${noisy}`,
    roundTripTable(sweep),
    '### First round trip of a fresh peer (cold)',
    'The first exchange on a freshly started peer, in ms: what a server that forks a child per job pays on every job.',
    firstRoundTripTable(sweep),
    '### Failure points',
    failureTable(sweep),
  ].join('\n\n');
}

export function renderReport(input: RunResults, options: ReportOptions): string {
  const verdicts = judgeAll(claimData(input));
  const sweep = input.sweep?.result;
  const scenarioResults = new Map([...input.scenarios].map(([id, l]) => [id, l.result]));
  const warning = settingsWarning(scenarioResults);
  const scenarioNodes = [...scenarioResults.values()].map((r) => ({ name: r.scenario, node: r.env.node }));
  const sweepNodes = sweep ? [{ name: 'sweep', node: sweep.env.node }] : [];
  const versions = byVersion(input);
  return [
    `_Generated by \`npm run report\` from ${runLine(input, options.resultsDirLabel)} at ${options.generatedAt.toISOString()}. ` +
      'Edit outside the generated markers: regenerating rewrites only this section._',
    '## Summary',
    ...(warning ? [warning] : []),
    summary(input, verdicts),
    '## The talk\'s claims against the measurements',
    ...(scenarioNodes.length + sweepNodes.length > 0 ? [`Judged from the results of ${measuredOn([...scenarioNodes, ...sweepNodes])!}.`] : []),
    claimsTable(verdicts),
    '## Scenarios',
    'Light requests (`GET /stations/:id`) at a fixed rate; "slow or failed" = share of light requests during imports slower than 100 ms or failed; max stall = longest time no light request completed; capacity = light requests per second autocannon got answered in its closed loop, idle and while imports ran back to back (kept = during imports / idle).' +
      measuredLine(scenarioNodes),
    scenarioTable(scenarioResults),
    '## Beyond the talk: a worker pool against a separate process',
    beyondSection(scenarioResults),
    '## Charts',
    chartsSection(input, options.charts),
    '## Message-size sweep',
    sweep ? sweepSection(sweep, measuredLine(sweepNodes)) : 'No sweep result.',
    '## Past one machine: the queue',
    queueScaleSection(input.scenarios.get('queue')?.result),
    '## Faults: when the peer dies, hangs or lies',
    faultsSection(input.faults?.result),
    ...(versions ? [versions] : []),
    '## Machine',
    machine(input),
    '## Method: commands that reproduce every figure',
    'Each scenario serves the same HTTP app, measures a baseline of light traffic, then light traffic while imports run; each sweep size has its first, cold exchange on a fresh peer, then an unrecorded warm-up and timed samples until a minimum count and time (the small sizes on a peer kept across them, where the sweep recorded one), every exchange checked by hash.',
    capacityMethod(scenarioResults),
    'Run from a fresh clone:',
    method(input, options.resultsDirLabel),
  ].join('\n\n');
}
