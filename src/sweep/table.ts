import type { SweepPoint, SweepTransportResult } from '../results/schema.js';
import { formatNumber, formatSize } from '../format/numbers.js';

// Renderers return strings and print nothing, so tests read exactly what a user sees.

function cell(point: SweepPoint | undefined): string {
  if (!point) return '';
  if (point.state === 'skipped') return '-';
  if (point.state === 'ok') return `${formatNumber(point.mbPerS)}${point.noisy === true ? '~' : ''}`;
  return point.state;
}

/** Rows transports, columns sizes, cells MB/s or the failure kind; a legend line below. */
export function renderSummaryTable(transports: readonly SweepTransportResult[]): string {
  const sizes = [...new Set(transports.flatMap((t) => t.points.map((p) => p.sizeBytes)))].sort((a, b) => a - b);
  const rows: string[][] = [
    ['MB/s', ...sizes.map(formatSize)],
    ...transports.map((t) => [t.transport, ...sizes.map((size) => cell(t.points.find((p) => p.sizeBytes === size)))]),
  ];
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  const lines = rows.map((row) =>
    row.map((text, column) => (column === 0 ? text.padEnd(widths[column]!) : text.padStart(widths[column]!))).join('  ').trimEnd(),
  );
  lines.push(
    'MB/s = payload size (10^6 bytes) / median warm round-trip time (the payload crosses twice); ~ = noisy (margin of error above ±10 %); - = not tried after the failure point',
  );
  return `${lines.join('\n')}\n`;
}

/** One line per transport: where it first failed and how, or that it never did. */
export function renderFailurePoints(transports: readonly SweepTransportResult[]): string {
  const width = Math.max(0, ...transports.map((t) => t.transport.length));
  const lines = transports.map((t) => {
    const name = t.transport.padEnd(width);
    if (!t.failurePoint) {
      const largest = Math.max(0, ...t.points.map((p) => p.sizeBytes));
      return `  ${name}  no failure up to ${formatSize(largest)}`;
    }
    const { state, sizeBytes, error } = t.failurePoint;
    return `  ${name}  ${state} at ${formatSize(sizeBytes)}${error ? `: ${error.split('\n')[0]}` : ''}`;
  });
  return `Failure points:\n${lines.join('\n')}\n`;
}
