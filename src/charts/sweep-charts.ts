// Sweep charts: round-trip time and MB/s against message size, one line per transport, log-log.
// The round-trip chart shades each transport's p10-p90 band around its median (sweeps from schema 3
// on). Each failure point is marked with a cross at its size (at the height of the transport's last
// intact round trip) and labelled with its failure kind.
import type { ChartConfiguration } from 'chart.js';
import { orderIds } from '../format/order.js';
import type { OkSweepPoint, SweepResult, SweepTransportResult } from '../results/schema.js';
import { firstFailure } from '../results/facts.js';
import { transportIds } from '../transports/registry.js';
import { CHART_SIZE, logAxis, sizeAxis } from './axes.js';
import { REFERENCE_TRANSPORT, colourOf, withAlpha } from './palette.js';
import { pointLabels, type PointLabel } from './plugins.js';
import { renderPng } from './render.js';

function ordered(sweep: SweepResult): SweepTransportResult[] {
  return orderIds(sweep.transports.map((t) => t.transport), transportIds).flatMap((id) => sweep.transports.filter((t) => t.transport === id));
}

/** The intact sizes of a transport with a positive value (a log axis has no room for 0). */
/** The ok points' values by size; a value an older file lacks (undefined) is left out. */
function okSeries(t: SweepTransportResult, value: (p: OkSweepPoint) => number | undefined) {
  return [...t.points]
    .sort((a, b) => a.sizeBytes - b.sizeBytes)
    .flatMap((p) => {
      const y = p.state === 'ok' ? value(p) : undefined;
      return y !== undefined && y > 0 ? [{ x: p.sizeBytes, y }] : [];
    });
}

function allSizes(sweep: SweepResult): number[] {
  return sweep.transports.flatMap((t) => t.points.map((p) => p.sizeBytes));
}

function missingNote(sweep: SweepResult): string {
  const absent = transportIds.filter((id) => !sweep.transports.some((t) => t.transport === id));
  const notes = [...(sweep.state === 'errored' ? [`sweep errored: ${sweep.error ?? ''}`] : []), ...(absent.length > 0 ? [`not in this sweep: ${absent.join(', ')}`] : [])];
  return notes.join('; ');
}

function lineStyle(id: string) {
  const reference = id === REFERENCE_TRANSPORT;
  return { borderColor: colourOf(id), backgroundColor: colourOf(id), borderWidth: reference ? 4 : 2, borderDash: reference ? [10, 5] : [], pointRadius: 4 };
}

/** Legend entries that only draw (bands, failure crosses) end with one of these. */
const UNLISTED_SUFFIXES = [' failure', ' p90', ' p10'];

/**
 * The p10-p90 band of one transport: its p90 line filled down to its p10 line, both invisible.
 * Empty for an older sweep, which recorded no spread.
 */
function band(t: SweepTransportResult) {
  const colour = withAlpha(colourOf(t.transport), 0.2);
  const edge = { borderWidth: 0, pointRadius: 0, borderColor: colour, backgroundColor: colour };
  return [
    { label: `${t.transport} p90`, data: okSeries(t, (p) => p.roundTripMs.p90), fill: '+1', ...edge },
    { label: `${t.transport} p10`, data: okSeries(t, (p) => p.roundTripMs.p10), fill: false, ...edge },
  ];
}

/** The round-trip chart's Chart.js configuration: medians, p10-p90 bands, failures marked and labelled. */
export function roundTripChartConfig(sweep: SweepResult): ChartConfiguration<'line'> {
  const transports = ordered(sweep);
  const lines = transports.map((t) => ({ label: t.transport, data: okSeries(t, (p) => p.roundTripMs.median), ...lineStyle(t.transport) }));
  const bands = transports.flatMap(band);
  const allY = lines.flatMap((l) => l.data.map((d) => d.y));
  const floorY = allY.length > 0 ? Math.min(...allY) : 1;
  const labels: PointLabel[] = [];
  const markers = transports.flatMap((t, i) => {
    const failure = firstFailure(t);
    if (!failure) return [];
    const y = lines[i]?.data.at(-1)?.y ?? floorY;
    labels.push({ x: failure.sizeBytes, y, text: `${t.transport}: ${failure.state}`, colour: colourOf(t.transport) });
    return [{ label: `${t.transport} failure`, data: [{ x: failure.sizeBytes, y }], borderColor: colourOf(t.transport), backgroundColor: colourOf(t.transport), pointStyle: 'crossRot' as const, pointRadius: 11, borderWidth: 4, showLine: false }];
  });
  const spreadNote = bands.some((b) => b.data.length > 0) ? '' : `no p10-p90 band: this sweep recorded no spread (schemaVersion ${sweep.schemaVersion})`;
  const subtitle = [missingNote(sweep), spreadNote].filter((note) => note !== '').join('; ');
  return {
    type: 'line',
    data: { datasets: [...lines, ...markers, ...bands] },
    options: {
      plugins: {
        title: { display: true, text: 'Sweep: warm round trip vs message size (median, band p10-p90; × = first failure)', font: { size: 18 } },
        subtitle: { display: subtitle !== '', text: subtitle },
        legend: { position: 'right', labels: { filter: (item) => !UNLISTED_SUFFIXES.some((suffix) => item.text.endsWith(suffix)) } },
      },
      scales: { x: sizeAxis(allSizes(sweep)), y: logAxis('round trip, median of warm samples (ms, log scale)') },
    },
    plugins: [pointLabels(labels)],
  };
}

/** Round-trip time vs message size, log-log, as PNG. */
export function roundTripChart(sweep: SweepResult): Buffer {
  return renderPng(roundTripChartConfig(sweep) as ChartConfiguration, CHART_SIZE.widthPx, CHART_SIZE.heightPx);
}

/** MB/s vs message size, raw-socket drawn thick and dashed as the reference. */
export function sweepThroughputChart(sweep: SweepResult): Buffer {
  const lines = ordered(sweep).map((t) => ({
    label: t.transport === REFERENCE_TRANSPORT ? `${t.transport} (reference)` : t.transport,
    data: okSeries(t, (p) => p.mbPerS),
    ...lineStyle(t.transport),
  }));
  const config: ChartConfiguration<'line'> = {
    type: 'line',
    data: { datasets: lines },
    options: {
      plugins: {
        title: { display: true, text: `Sweep: warm throughput vs message size (${REFERENCE_TRANSPORT} = Unix socket, length prefix, read in place)`, font: { size: 18 } },
        subtitle: { display: missingNote(sweep) !== '', text: missingNote(sweep) },
        legend: { position: 'right' },
      },
      scales: { x: sizeAxis(allSizes(sweep)), y: logAxis('throughput (MB/s, log scale)') },
    },
  };
  return renderPng(config as ChartConfiguration, CHART_SIZE.widthPx, CHART_SIZE.heightPx);
}
