// "Beyond the talk": the worker pool (what Node offers today) against the talk's two working
// designs, a process per import (fork-send) and the chunked protocol, on the figures a reader picks
// a design by. Pure: results in, text out; the verdict is computed from the numbers.
import { formatBytes, formatDurationMs, formatMs, formatNumber, formatPercent } from '../format/numbers.js';
import { completed, unresponsiveShare } from '../results/facts.js';
import type { CompletedScenarioResult, ScenarioResult } from '../results/schema.js';
import { classifyResponsiveness, THRESHOLDS } from './verdict.js';

export const POOL = 'worker-pool';
/** The talk's designs that keep the server responsive with a separate process per import. */
export const PROCESS_DESIGNS = ['fork-send', 'chunked'] as const;

/** Within this factor (or this many ms) of the best process design, the pool counts as "as good". */
const AS_GOOD_FACTOR = 1.5;
const AS_GOOD_SLACK_MS = 20;

export interface DesignFigures {
  id: string;
  /** Light requests during imports. */
  p99Ms: number;
  slowShare: number;
  /** Longest HTTP-thread block of a hand-off: median over the completed imports, and the longest. */
  blockMedianMs: number | null;
  blockMaxMs: number | null;
  importMedianMs: number | null;
  /** Where imports queued (the pool): median time from hand-over to the job's start. */
  queuedMedianMs: number | null;
  /** Peak RSS of the HTTP process (worker threads included) plus the largest import child. */
  memoryBytes: number | null;
  importsOk: number;
  importsTotal: number;
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

const defined = (values: (number | undefined)[]): number[] => values.filter((v): v is number => v !== undefined);

export function designFigures(id: string, result: CompletedScenarioResult): DesignFigures {
  const ok = result.imports.filter((imp) => imp.ok);
  const blocks = defined(ok.map((imp) => imp.transferBlockMs));
  const servers = Object.values(result.peakRssBytes ?? {});
  const children = defined(result.imports.map((imp) => imp.peerPeakRssBytes));
  return {
    id,
    p99Ms: result.phases.underLoad.latencyMs.p99,
    slowShare: unresponsiveShare(result.phases.underLoad),
    blockMedianMs: median(blocks),
    blockMaxMs: blocks.length > 0 ? Math.max(...blocks) : null,
    importMedianMs: median(ok.map((imp) => imp.durationMs)),
    queuedMedianMs: median(defined(ok.map((imp) => imp.queuedMs))),
    memoryBytes: servers.length > 0 ? Math.max(...servers) + (children.length > 0 ? Math.max(...children) : 0) : null,
    importsOk: ok.length,
    importsTotal: result.imports.length,
  };
}

const NONE = '—';
const orNone = (value: number | null, format: (v: number) => string): string => (value === null ? NONE : format(value));

/** The pool's size and hand-off, which its figures depend on. */
function settingsNote(result: CompletedScenarioResult): string {
  const pool = result.config.workerPool as { handoff?: string } | undefined;
  return pool?.handoff ? `${String(result.config.workers)} worker(s), ${pool.handoff}` : '';
}

function row(cells: string[]): string {
  return `| ${cells.join(' | ')} |`;
}

export function beyondTable(ids: readonly string[], scenarios: ReadonlyMap<string, ScenarioResult>): string {
  const header = ['design', 'light p99 during imports ms', 'slow or failed', 'HTTP-thread block per import ms (median / max)', 'import s (median)', 'queued ms (median)', 'peak RSS (HTTP process + child)', 'imports ok'];
  const rows = ids.map((id) => {
    const result = scenarios.get(id);
    const done = completed(result);
    if (!done) return [id, result ? `**errored**: ${result.state === 'errored' ? result.error : ''}` : '**no result**', ...header.slice(2).map(() => NONE)];
    const f = designFigures(id, done);
    const note = settingsNote(done);
    return [
      note ? `${id} (${note})` : id,
      formatMs(f.p99Ms),
      formatPercent(f.slowShare),
      f.blockMedianMs === null || f.blockMaxMs === null ? NONE : `${formatMs(f.blockMedianMs)} / ${formatMs(f.blockMaxMs)}`,
      orNone(f.importMedianMs, (ms) => formatNumber(ms / 1000)),
      orNone(f.queuedMedianMs, formatMs),
      orNone(f.memoryBytes, formatBytes),
      `${f.importsOk} / ${f.importsTotal}`,
    ];
  });
  return [row(header), row(header.map(() => '---')), ...rows.map(row)].join('\n');
}

const asGood = (mine: number, best: number): boolean => mine <= Math.max(best * AS_GOOD_FACTOR, best + AS_GOOD_SLACK_MS);

/** "fork-send 41 ms, chunked 38 ms" for one figure of the process designs. */
function others(processes: DesignFigures[], pick: (f: DesignFigures) => number | null, format: (v: number) => string): string {
  return processes.map((f) => `${f.id} ${orNone(pick(f), format)}`).join(', ');
}

/**
 * What to use today, and when a separate process is still the better choice: sentences computed
 * from the figures (null figures are left out of comparisons, and said to be missing).
 */
export function beyondVerdict(pool: DesignFigures | null, processes: DesignFigures[]): string[] {
  if (pool === null) return ['No completed worker-pool result in this run, so no verdict: run `npm run scenario worker-pool`.'];
  if (processes.length === 0) return ['No completed fork-send or chunked result in this run to compare the worker pool with.'];
  const bestP99 = Math.min(...processes.map((f) => f.p99Ms));
  const processBlocks = processes.map((f) => f.blockMaxMs).filter((v): v is number => v !== null);
  const bestBlock = processBlocks.length > 0 ? Math.min(...processBlocks) : null;
  const responsive = classifyResponsiveness(pool.slowShare) === 'responsive';
  const p99AsGood = asGood(pool.p99Ms, bestP99);
  const blockAsGood = bestBlock === null || pool.blockMaxMs === null || asGood(pool.blockMaxMs, bestBlock);
  const ms = (v: number): string => formatDurationMs(v);
  const seconds = (v: number): string => `${formatNumber(v / 1000)} s`;
  const figures =
    `light requests during imports had a p99 of ${ms(pool.p99Ms)} (${others(processes, (f) => f.p99Ms, ms)}), ` +
    `a hand-off blocked the HTTP thread for at most ${orNone(pool.blockMaxMs, ms)} (${others(processes, (f) => f.blockMaxMs, ms)}), ` +
    `an import took ${orNone(pool.importMedianMs, seconds)} at the median (${others(processes, (f) => f.importMedianMs, seconds)})`;
  const lines: string[] = [];
  if (responsive && p99AsGood && blockAsGood) {
    lines.push(`**Use a worker pool today** for CPU work a server must do itself: ${figures}, with no process to start or protocol to maintain.`);
  } else if (!responsive && pool.slowShare <= Math.min(...processes.map((f) => f.slowShare)) && p99AsGood && blockAsGood) {
    // Not responsive by the claims' 1% line, but no separate process did better: saying the pool
    // "did not beat" them would be false on these figures.
    lines.push(
      `**The worker pool did best, but no design kept the server responsive** (at most ${formatPercent(THRESHOLDS.responsiveShare)} of light requests ` +
        `slow or failed): ${formatPercent(pool.slowShare)} of light requests were slow or failed during its imports ` +
        `(${others(processes, (f) => f.slowShare, formatPercent)}); ${figures}.`,
    );
  } else {
    const why = !responsive
      ? `${formatPercent(pool.slowShare)} of light requests were slow or failed during its imports`
      : !p99AsGood
        ? `its light-request p99 was ${ms(pool.p99Ms)} against ${ms(bestP99)} for the best separate process`
        : `its hand-off blocked the HTTP thread for ${orNone(pool.blockMaxMs, ms)} against ${bestBlock === null ? NONE : ms(bestBlock)}`;
    lines.push(
      `**On these numbers the worker pool did not beat a separate process**: ${why} (${figures}). The records cross ` +
        'by structured clone on the HTTP thread; `--handoff bytes` moves them as one buffer instead.',
    );
  }
  const processMemory = processes.map((f) => f.memoryBytes).filter((v): v is number => v !== null);
  const memory =
    pool.memoryBytes === null
      ? "the pool's workers live in the HTTP process"
      : `the pool's workers live in the HTTP process (${formatBytes(pool.memoryBytes)} at peak, ` +
        `${processMemory.length > 0 && pool.memoryBytes > Math.min(...processMemory) ? 'more than' : 'against'} ` +
        `${others(processes, (f) => f.memoryBytes, formatBytes)} for the HTTP process and its child together)`;
  lines.push(
    `**A separate process is still the better choice** when the work must not share the server's fate: ${memory}, ` +
      "a worker's heap limit (`--child-heap-mb`, piscina's resourceLimits) bounds only its JavaScript heap, and a native crash " +
      'or the process running out of memory takes the server down with it; a child process can be given its own memory limit, ' +
      'killed, or moved to another machine.',
  );
  return lines;
}

export function beyondSection(scenarios: ReadonlyMap<string, ScenarioResult>): string {
  const ids = [POOL, ...PROCESS_DESIGNS];
  const figuresOf = (id: string): DesignFigures | null => {
    const done = completed(scenarios.get(id));
    return done ? designFigures(id, done) : null;
  };
  const processes = PROCESS_DESIGNS.map(figuresOf).filter((f): f is DesignFigures => f !== null);
  return [
    'The talk ended in 2017 with a home-made protocol between processes. Today a Node developer reaches for a pool of ' +
      '`worker_threads` (piscina). The same imports, on the same light load: the pool against a process per import ' +
      '(fork-send) and the talk\'s chunked protocol. Queued = from hand-over to the job\'s start (waiting for a free worker, plus the copy into it).',
    beyondTable(ids, scenarios),
    ...beyondVerdict(figuresOf(POOL), processes),
  ].join('\n\n');
}
