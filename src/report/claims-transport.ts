// Verdicts of the claims about node-ipc, buffers + zlib and the chunked protocol: the sweep says how
// far each carries a message, the scenario says whether imports of the data set succeeded.
import type { ScenarioResult, SweepTransportResult } from '../results/schema.js';
import { completed, firstFailure, largestOk, okPoint, transportOf } from '../results/facts.js';
import { carriesDataSet, reach, roundTripAtLargest } from './claims-sweep.js';
import { formatBytes, formatMs, formatPercent } from '../format/numbers.js';
import { combineChecks, downgrade, THRESHOLDS as T, type ClaimData, type ClaimVerdict, type Verdict } from './verdict.js';

/** Every import ok: true; any failed: false; no completed scenario (or no import): null. */
export function importsSucceeded(result: ScenarioResult | undefined): boolean | null {
  const done = completed(result);
  if (!done || done.imports.length === 0) return null;
  return done.imports.every((i) => i.ok);
}

export function importsFigure(id: string, result: ScenarioResult | undefined): string {
  if (!result) return `${id} scenario: no result`;
  if (result.state === 'errored') return `${id} scenario: errored (${result.error})`;
  const ok = result.imports.filter((i) => i.ok).length;
  return `${id} scenario: ${ok} of ${result.imports.length} imports ok`;
}

function meanBytesToWorker(result: ScenarioResult | undefined): number | null {
  const done = completed(result);
  const ok = done?.imports.filter((i) => i.ok && i.bytesToWorker > 0) ?? [];
  return ok.length > 0 ? ok.reduce((sum, i) => sum + i.bytesToWorker, 0) / ok.length : null;
}

/** node-ipc works for the data set. */
export function nodeIpcClaim(data: ClaimData): ClaimVerdict {
  const t = transportOf(data.sweep, 'node-ipc');
  const scenario = data.scenarios.get('node-ipc');
  const figures = [reach('node-ipc', t), importsFigure('node-ipc', scenario)];
  const roundTrip = roundTripAtLargest('node-ipc', t);
  if (roundTrip) figures.push(roundTrip);
  return { verdict: combineChecks([carriesDataSet(t), importsSucceeded(scenario)]), figures };
}

// The same data set over a transport without compression, to compare bytes on the wire.
const UNCOMPRESSED = ['node-ipc', 'chunked', 'fork-send'] as const;

/** buffers + zlib make it fit. */
export function zlibClaim(data: ClaimData): ClaimVerdict {
  const t = transportOf(data.sweep, 'buffer-zlib');
  const scenario = data.scenarios.get('buffer-zlib');
  const figures = [reach('buffer-zlib', t), importsFigure('buffer-zlib', scenario)];
  const fits = combineChecks([carriesDataSet(t), importsSucceeded(scenario)]);
  const zlibBytes = meanBytesToWorker(scenario);
  const plain = UNCOMPRESSED.map((id) => ({ id, bytes: meanBytesToWorker(data.scenarios.get(id)) })).find((p) => p.bytes !== null);
  let compresses: boolean | null = null;
  if (zlibBytes !== null && plain?.bytes) {
    compresses = zlibBytes < plain.bytes;
    figures.push(
      `bytes to the worker per import: ${formatBytes(zlibBytes)} with zlib vs ${formatBytes(plain.bytes)} without (${plain.id}) = ${formatPercent(zlibBytes / plain.bytes)}`,
    );
  } else figures.push('bytes on the wire with vs without compression: no data');
  const reference = transportOf(data.sweep, 'node-ipc');
  const common = t && reference ? largestCommonOk(t, reference) : null;
  if (common !== null) {
    const zlibMs = okPoint(t, common)?.roundTripMs.median;
    const plainMs = okPoint(reference, common)?.roundTripMs.median;
    if (zlibMs !== undefined && plainMs !== undefined) {
      figures.push(`round trip at ${formatBytes(common)}: ${formatMs(zlibMs)} ms with zlib vs ${formatMs(plainMs)} ms node-ipc`);
    }
  }
  let verdict: Verdict = fits;
  if (fits === 'holds' && compresses === false) verdict = 'partly';
  return { verdict, figures };
}

function largestCommonOk(a: SweepTransportResult, b: SweepTransportResult): number | null {
  const sizes = a.points.filter((p) => p.state === 'ok' && okPoint(b, p.sizeBytes)).map((p) => p.sizeBytes);
  return sizes.length > 0 ? Math.max(...sizes) : null;
}

/** A size-first chunked protocol works at any size: up to what the machine allows (raw-socket). */
export function chunkedClaim(data: ClaimData): ClaimVerdict {
  const t = transportOf(data.sweep, 'chunked');
  const raw = transportOf(data.sweep, 'raw-socket');
  const scenario = data.scenarios.get('chunked');
  const figures = [reach('chunked', t), reach('raw-socket (reference)', raw), importsFigure('chunked', scenario)];
  if (!t || !t.points.some((p) => p.state !== 'skipped')) return { verdict: 'no data', figures };
  const ok = largestOk(t);
  const failure = firstFailure(t);
  let verdict: Verdict;
  if (!failure) verdict = ok !== null && ok >= T.dataSetBytes ? 'holds' : 'partly';
  else if (!okPoint(raw, failure.sizeBytes)) verdict = 'holds'; // the machine's limit: the reference failed there too
  else verdict = failure.sizeBytes <= T.dataSetBytes ? 'does not hold' : 'partly';
  return { verdict: downgrade(verdict, importsSucceeded(scenario) === false), figures };
}
