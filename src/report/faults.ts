// The report's fault section: a transports x faults table (outcome and time to detect, colour-coded),
// the findings, and the sentences computed from the cases. Pure: returns markdown.
import { cell } from '../format/markdown.js';
import { faultCellText, faultMatrix, faultSentences, formatDetectMs, PROMPT_DETECT_MS } from '../results/fault-facts.js';
import type { FaultsResult } from '../results/schema.js';
import { flags } from './commands.js';

const FAULTS_OPTIONS = [
  { key: 'transports', flag: 'transports' },
  { key: 'faults', flag: 'faults' },
  { key: 'timeoutMs', flag: 'timeout', toFlag: (ms: number) => ms / 1000 },
  { key: 'quick', flag: 'quick' },
];

/** The command that reproduces a faults result. */
export function faultsCommand(result: FaultsResult): string {
  const args = flags(result.config, FAULTS_OPTIONS);
  return args.length > 0 ? `npm run faults -- ${args.join(' ')}` : 'npm run faults';
}

function timeoutMsOf(result: FaultsResult): number | null {
  return typeof result.config.timeoutMs === 'number' ? result.config.timeoutMs : null;
}

/** Rows transports, columns faults; — where a fault does not apply (or was not run). */
export function faultTable(result: FaultsResult): string {
  const { transports, faults, at } = faultMatrix(result.cases);
  if (transports.length === 0) return 'No fault case was run.';
  const header = ['transport', ...faults];
  const rows = transports.map((t) => [t, ...faults.map((f) => {
    const c = at(t, f);
    return c ? cell(faultCellText(c)) : '—';
  })]);
  return [header, header.map(() => '---'), ...rows].map((r) => `| ${r.join(' | ')} |`).join('\n');
}

/** Every case whose outcome was not the sound one, with what the caller saw. */
export function faultFindings(result: FaultsResult): string {
  const findings = result.cases.filter((c) => c.finding);
  if (findings.length === 0) return 'No findings: every case ended the way a sound harness should.';
  return findings
    .map((c) => `- **${c.transport}, ${c.fault}**: expected ${c.expected}, observed ${c.observed}${c.message ? `: ${cell(c.message.slice(0, 200))}` : ''}`)
    .join('\n');
}

export function faultsSection(result: FaultsResult | undefined): string {
  if (!result) return 'No faults result (`npm run faults`).';
  const errored = result.state === 'errored' ? [`**The faults run errored**: ${cell(result.error ?? 'no message')}; the cases below ran before it.`] : [];
  const timeoutMs = timeoutMsOf(result);
  const findings = result.cases.filter((c) => c.finding).length;
  return [
    ...errored,
    `Each fault injected into a fresh peer and a fresh caller process; per cell: what the caller saw, and the time from the fault to its error. ` +
      `🟢 as expected, noticed within ${formatDetectMs(PROMPT_DETECT_MS)}; 🟡 as expected, but noticed only later${timeoutMs !== null ? ` (the exchange timeout was ${formatDetectMs(timeoutMs)})` : ''}; ` +
      `🔴 a finding: another outcome than a sound harness gives, the caller died, an exchange was lost or something was left behind. ` +
      `— = does not apply (protocol faults need a wire format of the transport's own; the queue's peer is behind its broker). ` +
      `A worker thread shares the caller's process, so where a process is sent SIGKILL it is ended with worker.terminate(), and where a process stops (SIGSTOP) it blocks itself (Atomics.wait). ` +
      `${result.cases.length} cases, findings: ${findings}. Measured on ${result.env.node}.`,
    faultTable(result),
    '### What the faults show',
    faultSentences(result.cases, timeoutMs).map((s) => `- ${cell(s)}`).join('\n'),
    '### Findings',
    faultFindings(result),
  ].join('\n\n');
}
