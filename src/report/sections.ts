// The prose-like parts of the generated section: summary, machine, method, claims. Pure.
import { scenarioIds } from '../../scenarios/index.js';
import { orderIds } from '../format/order.js';
import type { Env } from '../results/schema.js';
import { capacitySummary } from './capacity.js';
import { CLAIMS } from './claims.js';
import { reportCommand, scenarioCommand, sweepCommand } from './commands.js';
import { faultsCommand } from './faults.js';
import { completed, firstFailure, unresponsiveShare } from '../results/facts.js';
import { cell } from '../format/markdown.js';
import { formatBytes, formatPercent } from '../format/numbers.js';
import type { RunResults } from '../results/run-results.js';
import type { ClaimData, ClaimVerdict, Verdict } from './verdict.js';

export function claimData(input: Pick<RunResults, 'scenarios' | 'sweep'>): ClaimData {
  return {
    scenarios: new Map([...input.scenarios].map(([id, loaded]) => [id, loaded.result])),
    sweep: input.sweep?.result ?? null,
  };
}

export function judgeAll(data: ClaimData): ClaimVerdict[] {
  return CLAIMS.map((c) => c.judge(data));
}

export function summary(input: RunResults, verdicts: ClaimVerdict[]): string {
  const ids = orderIds([...scenarioIds(), ...input.scenarios.keys()], scenarioIds());
  const results = ids.map((id) => ({ id, result: input.scenarios.get(id)?.result }));
  const ofState = (s: string): string[] => results.filter((r) => (r.result?.state ?? 'missing') === s).map((r) => r.id);
  const list = (xs: string[]): string => (xs.length > 0 ? ` (${xs.join(', ')})` : '');
  const lines = [
    `- Scenarios: ${ofState('completed').length} completed, ${ofState('errored').length} errored${list(ofState('errored'))}, ` +
      `${ofState('missing').length} without a result${list(ofState('missing'))}.`,
  ];
  const shares = results.flatMap((r) => {
    const done = completed(r.result);
    return done ? [{ id: r.id, share: unresponsiveShare(done.phases.underLoad) }] : [];
  });
  if (shares.length > 0) {
    const sorted = [...shares].sort((a, b) => a.share - b.share || a.id.localeCompare(b.id));
    const best = sorted[0]!;
    const worst = sorted[sorted.length - 1]!;
    lines.push(
      `- Light requests slower than 100 ms or failed during imports: from ${formatPercent(best.share)} (${best.id}) ` +
        `to ${formatPercent(worst.share)} (${worst.id}).`,
    );
  }
  const capacity = capacitySummary(new Map(results.flatMap((r) => (r.result ? [[r.id, r.result] as const] : []))));
  if (capacity) lines.push(capacity);
  const sweep = input.sweep?.result;
  if (!sweep) lines.push('- Sweep: no result.');
  else {
    const failures = sweep.transports.flatMap((t) => {
      const f = firstFailure(t);
      return f ? [`${t.transport} at ${formatBytes(f.sizeBytes)} (${f.state})`] : [];
    });
    const state = sweep.state === 'errored' ? ` **errored**: ${cell(sweep.error ?? 'no message')};` : '';
    lines.push(
      `- Sweep:${state} ${sweep.transports.length} transports, ${failures.length} failed: ${failures.length > 0 ? failures.join(', ') : 'none'}.`,
    );
  }
  const faults = input.faults?.result;
  if (faults) {
    const state = faults.state === 'errored' ? ` **errored**: ${cell(faults.error ?? 'no message')};` : '';
    lines.push(`- Faults:${state} ${faults.cases.length} cases, findings: ${faults.cases.filter((c) => c.finding).length} (see Faults).`);
  }
  const count = (v: Verdict): number => verdicts.filter((x) => x.verdict === v).length;
  lines.push(
    `- The talk's claims: ${count('holds')} hold, ${count('partly')} partly, ${count('does not hold')} do not hold, ${count('no data')} without data.`,
  );
  if (input.unreadable.length > 0) lines.push(`- ${input.unreadable.length} results file(s) could not be read: see Method.`);
  return lines.join('\n');
}

const ENV_FIELDS: [keyof Env, string, (e: Env) => string][] = [
  ['node', 'Node.js', (e) => e.node],
  ['v8', 'V8', (e) => e.v8],
  ['os', 'OS', (e) => e.os],
  ['cpuModel', 'CPU', (e) => e.cpuModel],
  ['cores', 'cores', (e) => String(e.cores)],
  ['memoryBytes', 'memory', (e) => formatBytes(e.memoryBytes)],
  ['gitCommit', 'git commit', (e) => e.gitCommit ?? 'unknown'],
];

/** One column per distinct machine description, with the results measured on it. */
export function machine(input: RunResults): string {
  const all = [...[...input.scenarios.values()].map((l) => ({ name: l.result.scenario, env: l.result.env }))];
  if (input.sweep) all.push({ name: 'sweep', env: input.sweep.result.env });
  if (input.faults) all.push({ name: 'faults', env: input.faults.result.env });
  if (all.length === 0) return 'No results: nothing measured.';
  const groups = new Map<string, { env: Env; names: string[] }>();
  for (const { name, env } of all) {
    const key = JSON.stringify(ENV_FIELDS.map(([, , f]) => f(env)));
    const group = groups.get(key) ?? { env, names: [] };
    group.names.push(name);
    groups.set(key, group);
  }
  const columns = [...groups.values()];
  const header = ['', ...columns.map((c) => c.names.sort().join(', '))];
  const rows = ENV_FIELDS.map(([, label, f]) => [label, ...columns.map((c) => cell(f(c.env)))]);
  return [header, header.map(() => '---'), ...rows].map((r) => `| ${r.join(' | ')} |`).join('\n');
}

/** The commands that reproduce every figure, each with the results file it produced. */
export function method(input: RunResults, resultsDirLabel: string): string {
  const ids = orderIds([...scenarioIds(), ...input.scenarios.keys()], scenarioIds());
  const lines = ['```sh', 'npm ci'];
  for (const id of ids) {
    const loaded = input.scenarios.get(id);
    lines.push(loaded ? `${scenarioCommand(loaded.result)}   # ${resultsDirLabel}/${loaded.file}` : `# ${id}: no result`);
  }
  lines.push(input.sweep ? `${sweepCommand(input.sweep.result)}   # ${resultsDirLabel}/${input.sweep.file}` : '# sweep: no result');
  lines.push(input.faults ? `${faultsCommand(input.faults.result)}   # ${resultsDirLabel}/${input.faults.file}` : '# faults: no result');
  lines.push(`${reportCommand(resultsDirLabel)}   # this section and the charts`, '```');
  if (input.unreadable.length > 0) {
    lines.push('', 'Results files that could not be read (not used):', ...input.unreadable.map((u) => `- ${cell(u)}`));
  }
  return lines.join('\n');
}

export function claimsTable(verdicts: ClaimVerdict[]): string {
  const rows = CLAIMS.map((c, i) => {
    const v = verdicts[i]!;
    return `| ${i + 1} | ${c.claim} | ${c.measured} | **${v.verdict}** | ${v.figures.map(cell).join('<br>')} |`;
  });
  const rules = CLAIMS.map((c, i) => `${i + 1}. ${c.rule}`);
  return [
    '| # | claim (the talk) | what is measured | verdict | figures |',
    '| --- | --- | --- | --- | --- |',
    ...rows,
    '',
    'How each verdict is computed (thresholds in src/report/verdict.ts):',
    '',
    ...rules,
  ].join('\n');
}
