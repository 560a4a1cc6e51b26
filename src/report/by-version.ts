// The "by Node version" section: one run measured on several Node majors (`bench --node 20,22,24`),
// the figures that answer "does this still hold on my Node?" side by side, one column per version.
// Pure: results in, text out. A run of one version has no such section (null).
import { scenarioIds } from '../../scenarios/index.js';
import { cell } from '../format/markdown.js';
import { formatBytes, formatMs, formatNumber } from '../format/numbers.js';
import { orderIds } from '../format/order.js';
import { completed, firstFailure, largestOk, okPoint, transportOf } from '../results/facts.js';
import type { ScenarioResult, SweepResult } from '../results/schema.js';
import { transportIds as registeredTransportIds } from '../transports/registry.js';
import { CLAIMS } from './claims.js';
import type { ClaimVerdict } from './verdict.js';

/** The results of one Node major in the run. */
export interface VersionResults {
  /** The Node version that made them (`env.node`, e.g. "v22.23.3"), or the folder's major when unknown. */
  node: string;
  scenarios: ReadonlyMap<string, ScenarioResult>;
  sweep: SweepResult | null;
  verdicts: ClaimVerdict[];
  /** Whether this version's folder holds a faults run (bench runs them on the lowest major only). */
  faults?: boolean;
}

const NONE = '—';
const KiB = 1024;
const MiB = 1024 * KiB;
/** The sizes the section compares: a small message, one of the talk's "big" ones, and the largest usual. */
export const COMPARED_SIZES_BYTES = [KiB, MiB, 64 * MiB] as const;

function table(header: string[], rows: string[][]): string {
  const line = (cells: string[]): string => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

/** "+12%" / "-30%" from the first version's figure to the last's; — when either is missing. */
export function change(first: number | null, last: number | null): string {
  if (first === null || last === null || first === 0) return NONE;
  const percent = Math.round(((last - first) / first) * 100);
  return `${percent > 0 ? '+' : ''}${percent}%`;
}

function transportIds(versions: readonly VersionResults[]): string[] {
  const present = versions.flatMap((v) => v.sweep?.transports.map((t) => t.transport) ?? []);
  return orderIds(present, registeredTransportIds);
}

function failureCell(sweep: SweepResult | null, id: string): string {
  if (!sweep) return 'no sweep';
  const t = transportOf(sweep, id);
  if (!t) return 'not in this sweep';
  const failure = firstFailure(t);
  if (failure) return `**${failure.state}** at ${formatBytes(failure.sizeBytes)}`;
  const ok = largestOk(t);
  return ok === null ? 'nothing delivered' : `intact up to ${formatBytes(ok)}`;
}

export function failurePointsByVersion(versions: readonly VersionResults[]): string {
  const rows = transportIds(versions).map((id) => [id, ...versions.map((v) => failureCell(v.sweep, id))]);
  return table(['transport', ...versions.map((v) => v.node)], rows);
}

function mbPerS(sweep: SweepResult | null, id: string, sizeBytes: number): number | null {
  return okPoint(transportOf(sweep, id), sizeBytes)?.mbPerS ?? null;
}

/** A point's MB/s, else why there is none: its failure kind, skipped, or not measured (—). */
function throughputCell(sweep: SweepResult | null, id: string, sizeBytes: number): string {
  const value = mbPerS(sweep, id, sizeBytes);
  if (value !== null) return formatNumber(value);
  const point = transportOf(sweep, id)?.points.find((p) => p.sizeBytes === sizeBytes);
  if (!point) return NONE;
  return point.state === 'ok' || point.state === 'skipped' ? point.state : `**${point.state}**`;
}

/** The compared sizes that at least one version's sweep planned (a --quick sweep stops at 16 MiB). */
function comparedSizes(versions: readonly VersionResults[]): number[] {
  const planned = new Set(versions.flatMap((v) => v.sweep?.transports.flatMap((t) => t.points.map((p) => p.sizeBytes)) ?? []));
  return COMPARED_SIZES_BYTES.filter((size) => planned.has(size));
}

export function throughputByVersion(versions: readonly VersionResults[]): string {
  const first = versions[0]!;
  const last = versions[versions.length - 1]!;
  const sizes = comparedSizes(versions);
  const missing = COMPARED_SIZES_BYTES.filter((size) => !sizes.includes(size));
  const note = missing.length > 0 ? `\n\nNot in these sweeps: ${missing.map(formatBytes).join(', ')}.` : '';
  if (sizes.length === 0) return `No sweep measured ${COMPARED_SIZES_BYTES.map(formatBytes).join(', ')}.`;
  const rows = transportIds(versions).flatMap((id) =>
    sizes.map((size) => [
      id,
      formatBytes(size),
      ...versions.map((v) => throughputCell(v.sweep, id, size)),
      change(mbPerS(first.sweep, id, size), mbPerS(last.sweep, id, size)),
    ]),
  );
  return table(['transport', 'size', ...versions.map((v) => `${v.node} MB/s`), `${first.node} → ${last.node}`], rows) + note;
}

/** Longest HTTP-thread block while each import's transfer ran: median over the imports, and the max. */
function blockFigures(result: ScenarioResult | undefined): { medianMs: number; maxMs: number; count: number } | null {
  const blocks = (completed(result)?.imports ?? []).flatMap((i) => (i.ok && i.transferBlockMs !== undefined ? [i.transferBlockMs] : []));
  if (blocks.length === 0) return null;
  const sorted = [...blocks].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const medianMs = sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { medianMs, maxMs: sorted[sorted.length - 1]!, count: sorted.length };
}

function blockCell(result: ScenarioResult | undefined): string {
  if (!result) return 'no result';
  if (result.state === 'errored') return `**errored**: ${cell(result.error)}`;
  const figures = blockFigures(result);
  if (!figures) return NONE;
  const imports = `${figures.count} import${figures.count === 1 ? '' : 's'}`;
  return figures.count === 1 ? `${formatMs(figures.medianMs)} (${imports})` : `${formatMs(figures.medianMs)} / ${formatMs(figures.maxMs)} (${imports})`;
}

/** Scenarios that offload imports over a transport: those whose imports record the HTTP thread's block. */
export function handOffByVersion(versions: readonly VersionResults[]): string | null {
  const present = versions.flatMap((v) => [...v.scenarios.values()]);
  const ids = orderIds(
    present.filter((r) => (r.imports ?? []).some((i) => i.transferBlockMs !== undefined)).map((r) => r.scenario),
    scenarioIds(),
  );
  if (ids.length === 0) return null;
  const first = versions[0]!;
  const last = versions[versions.length - 1]!;
  const rows = ids.map((id) => [
    id,
    ...versions.map((v) => blockCell(v.scenarios.get(id))),
    change(blockFigures(first.scenarios.get(id))?.medianMs ?? null, blockFigures(last.scenarios.get(id))?.medianMs ?? null),
  ]);
  return table(['scenario', ...versions.map((v) => `${v.node} ms`), `${first.node} → ${last.node} (median)`], rows);
}

export function verdictsByVersion(versions: readonly VersionResults[]): string {
  const rows = CLAIMS.map((c, i) => [
    String(i + 1),
    c.claim,
    ...versions.map((v) => {
      const verdict = v.verdicts[i];
      return verdict ? `**${verdict.verdict}**${verdict.figures[0] ? `: ${cell(verdict.figures[0])}` : ''}` : NONE;
    }),
  ]);
  return table(['#', 'claim (the talk)', ...versions.map((v) => v.node)], rows);
}

/**
 * Which Node made a set of results, for the line above their figures: "Node v20.20.2", or when they
 * differ "Node v20.20.2 (cluster, sweep), v24.21.0 (chunked)". Null for no results.
 */
export function measuredOn(results: readonly { name: string; node: string }[]): string | null {
  const byNode = new Map<string, string[]>();
  for (const { name, node } of results) byNode.set(node, [...(byNode.get(node) ?? []), name]);
  if (byNode.size === 0) return null;
  if (byNode.size === 1) return `Node ${[...byNode.keys()][0]!}`;
  return `Node ${[...byNode].map(([node, names]) => `${node} (${[...names].sort().join(', ')})`).join(', ')}`;
}

/**
 * What one version's folder holds, from the files themselves: "8 scenarios, the sweep (completed),
 * the faults". A step a version lacks (cut short, failed to start) is simply not named.
 */
export function ranSteps(version: VersionResults): string {
  const sweepState = version.sweep ? `the sweep${version.sweep.state === 'completed' ? '' : ` (${version.sweep.state})`}` : null;
  const steps = [
    version.scenarios.size > 0 ? `${version.scenarios.size} scenario${version.scenarios.size === 1 ? '' : 's'}` : null,
    sweepState,
    version.faults ? 'the faults' : null,
  ].filter((step): step is string => step !== null);
  return steps.length > 0 ? steps.join(', ') : 'no results';
}

/** The whole section, or null when the run measured fewer than two versions. */
export function byVersionSection(versions: readonly VersionResults[], command: string): string | null {
  if (versions.length < 2) return null;
  const handOff = handOffByVersion(versions);
  return [
    '## By Node version',
    `The same run (\`${command}\`) on ${versions.map((v) => v.node).join(', ')}, each version's results in its own folder (\`node-<major>/\`): ${versions.map((v) => `${v.node} ran ${ranSteps(v)}`).join('; ')}. The sections above show ${versions[0]!.node}. Last column: the change from the first version to the last.`,
    '### The talk\'s claims',
    'Each verdict with its first figure; the rules are those of the claims table above.',
    verdictsByVersion(versions),
    '### Sweep failure points',
    failurePointsByVersion(versions),
    `### Sweep MB/s at ${COMPARED_SIZES_BYTES.map(formatBytes).join(', ')}`,
    'A failure kind in bold where the transfer failed; skipped = not tried after the first failure; — = size not in that sweep.',
    throughputByVersion(versions),
    '### HTTP-thread blocking per import',
    'The longest event-loop block of the HTTP process while an import\'s data crossed the transport: median / max over the imports that succeeded.',
    handOff ?? 'No scenario recorded it.',
  ].join('\n\n');
}
