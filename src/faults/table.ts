import { faultCellText, faultMatrix, faultSentences, LEFTOVERS_HEADER, leftoversText } from '../results/fault-facts.js';
import type { FaultCaseResult } from '../results/schema.js';

// The command's output: one line per case (a matrix is too wide for a terminal), then the sentences.
// A renderer: returns the text, prints nothing.

export function renderFaultTable(cases: readonly FaultCaseResult[], timeoutMs: number): string {
  const { transports, faults, at } = faultMatrix(cases);
  const rows = transports.flatMap((transport) =>
    faults.flatMap((fault) => {
      const c = at(transport, fault);
      return c ? [[transport, fault, c.expected, faultCellText(c), leftoversText(c)]] : [];
    }),
  );
  const header = ['transport', 'fault', 'expected', 'observed, time to detect', LEFTOVERS_HEADER];
  const widths = header.map((h, col) => Math.max(h.length, ...rows.map((r) => r[col]!.length)));
  const table = [header, ...rows].map((r) => r.map((text, col) => text.padEnd(widths[col]!)).join('  ').trimEnd()).join('\n');
  const findings = cases.filter((c) => c.finding).length;
  return [
    table,
    '🟢 as expected, noticed within 1 s; 🟡 as expected, noticed only after more than 1 s; 🔴 a finding (other outcome, caller died, exchange lost, leftovers)',
    '',
    `${cases.length} cases, findings: ${findings}.`,
    ...faultSentences(cases, timeoutMs).map((s) => `- ${s}`),
    '',
  ].join('\n');
}
