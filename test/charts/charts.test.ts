import { describe, expect, it } from 'vitest';
import { CHART_SIZE, TIMELINE_SIZE } from '../../src/charts/axes.js';
import { colourOf } from '../../src/charts/palette.js';
import { capacityTimelineChart } from '../../src/charts/capacity-chart.js';
import { capacityChart, eventLoopChart, latencyPercentilesChart } from '../../src/charts/scenario-charts.js';
import { roundTripChart, roundTripChartConfig, sweepThroughputChart } from '../../src/charts/sweep-charts.js';
import { timelineChart } from '../../src/charts/timeline-chart.js';
import type { ErroredScenarioResult, ScenarioResult } from '../../src/results/schema.js';
import { RUN_A, RUN_B, completedScenario, fixture, fixtureSweep, fixtureWarmSweep, scenariosOf, sweepWith, transport, KiB, MiB } from '../report/builders.js';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Width and height from the IHDR chunk, which a valid PNG carries first. */
function pngSize(png: Buffer): { widthPx: number; heightPx: number } {
  expect(png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
  expect(png.subarray(12, 16).toString('ascii')).toBe('IHDR');
  return { widthPx: png.readUInt32BE(16), heightPx: png.readUInt32BE(20) };
}

const full = scenariosOf(
  completedScenario('single-thread'),
  completedScenario('cluster', RUN_B),
  completedScenario('fork-send'),
  fixture<ScenarioResult>(RUN_B, 'node-ipc'),
  completedScenario('buffer-zlib', RUN_B),
  completedScenario('chunked', RUN_B),
);

describe('scenario charts', () => {
  it('render to PNGs of the chart size from the fixtures (with one errored scenario)', () => {
    for (const render of [latencyPercentilesChart, capacityChart, eventLoopChart]) {
      expect(pngSize(render(full))).toEqual(CHART_SIZE);
    }
  });
  it('render with no scenario at all', () => {
    for (const render of [latencyPercentilesChart, capacityChart, eventLoopChart]) {
      expect(pngSize(render(scenariosOf()))).toEqual(CHART_SIZE);
    }
  });
  it('draw different pixels for different data', () => {
    expect(capacityChart(full).equals(capacityChart(scenariosOf()))).toBe(false);
  });
  it('draw capacity only for the scenarios that measured it (the others are named as not measured)', () => {
    const withoutCapacity = scenariosOf(...[...full.values()].map((r) => (r.state === 'completed' ? { ...r, capacity: undefined } : r)));
    expect(capacityChart(full).equals(capacityChart(withoutCapacity))).toBe(false);
  });
});

describe('capacity timeline chart', () => {
  it('renders a scenario with capacity, one without (an older result) and an errored one', () => {
    const without = completedScenario('buffer-zlib', RUN_B);
    expect(without.capacity).toBeUndefined();
    for (const result of [completedScenario('single-thread'), without, fixture<ErroredScenarioResult>(RUN_B, 'node-ipc')]) {
      expect(pngSize(capacityTimelineChart(result))).toEqual(TIMELINE_SIZE);
    }
    expect(capacityTimelineChart(completedScenario('single-thread')).equals(capacityTimelineChart(without))).toBe(false);
  });
});

describe('timeline chart', () => {
  it('renders a completed scenario, an errored one without timeline, and an empty timeline', () => {
    const errored = fixture<ErroredScenarioResult>(RUN_B, 'node-ipc');
    const empty = { ...completedScenario('fork-send'), timeline: [], imports: [] };
    for (const result of [completedScenario('cluster', RUN_A), errored, empty]) {
      expect(pngSize(timelineChart(result))).toEqual(TIMELINE_SIZE);
    }
  });
});

describe('sweep charts', () => {
  it('render the fixture sweep (ok points, failure points, skipped sizes)', () => {
    expect(pngSize(roundTripChart(fixtureSweep()))).toEqual(CHART_SIZE);
    expect(pngSize(sweepThroughputChart(fixtureSweep()))).toEqual(CHART_SIZE);
  });
  it('render a sweep where every point failed, and one with no transport', () => {
    const failed = sweepWith(transport('fork-json', [[KiB, 'crashed'], [4 * KiB, 'skipped']]));
    const none = { ...sweepWith(), state: 'errored' as const, error: 'interrupted' };
    for (const sweep of [failed, none]) {
      expect(pngSize(roundTripChart(sweep))).toEqual(CHART_SIZE);
      expect(pngSize(sweepThroughputChart(sweep))).toEqual(CHART_SIZE);
    }
  });
});

describe('round-trip chart band', () => {
  const dataset = (sweep: ReturnType<typeof fixtureWarmSweep>, label: string) =>
    roundTripChartConfig(sweep).data.datasets.find((d) => d.label === label);

  it('shades p10-p90 around each median: the p90 line filled down to the p10 line', () => {
    const sweep = fixtureWarmSweep();
    expect(dataset(sweep, 'raw-socket p90')).toMatchObject({
      fill: '+1',
      data: [{ x: KiB, y: 0.14 }, { x: 64 * KiB, y: 0.55 }, { x: MiB, y: 2.6 }, { x: 64 * MiB, y: 97 }],
    });
    expect(dataset(sweep, 'raw-socket p10')).toMatchObject({
      fill: false,
      data: [{ x: KiB, y: 0.094 }, { x: 64 * KiB, y: 0.39 }, { x: MiB, y: 1.92 }, { x: 64 * MiB, y: 88.1 }],
    });
    const datasets = roundTripChartConfig(sweep).data.datasets;
    // +1 means the next dataset: each p10 follows its p90.
    expect(datasets.findIndex((d) => d.label === 'fork-json p10')).toBe(datasets.findIndex((d) => d.label === 'fork-json p90') + 1);
    expect(dataset(sweep, 'fork-json p90')?.data).toHaveLength(3); // not at its timeout
    expect(pngSize(roundTripChart(sweep))).toEqual(CHART_SIZE);
  });

  it('an older sweep draws its medians without a band, and says so', () => {
    const config = roundTripChartConfig(fixtureSweep());
    expect(config.data.datasets.filter((d) => d.label?.endsWith(' p90')).every((d) => d.data.length === 0)).toBe(true);
    expect(config.options?.plugins?.subtitle).toMatchObject({ display: true, text: 'not in this sweep: worker-pool, queue; no p10-p90 band: this sweep recorded no spread (schemaVersion 1)' });
    expect(dataset(fixtureSweep(), 'raw-socket')?.data).toHaveLength(7);
  });
});

describe('palette', () => {
  it('gives each talk scenario and transport its own colour, shared by same-named ones', () => {
    const ids = ['single-thread', 'cluster', 'fork-send', 'node-ipc', 'buffer-zlib', 'chunked', 'fork-advanced', 'naive-socket', 'worker-transfer', 'raw-socket'];
    expect(new Set(ids.map(colourOf)).size).toBe(ids.length);
    expect(colourOf('fork-json')).toBe(colourOf('fork-send'));
    // An id added later gets a fixed spare colour from its name, none of the ten above.
    expect([colourOf('worker-pool'), colourOf('queue')]).toEqual(['#7b4173', '#8c6d31']);
    expect(ids.map(colourOf)).not.toContain(colourOf('worker-pool'));
  });
});
