import { describe, expect, it } from 'vitest';
import { burn, diffStations, generateStations, makeIncoming, plannedCounts } from '../../src/workload/index.js';

describe('station data set', () => {
  it('is determined by the seed', () => {
    const stations = generateStations(10, 42);
    expect(stations[0]).toEqual({
      id: 1,
      code: 'A00001',
      name: 'Bruck Ost 85',
      lat: 48.14131,
      lon: 10.82859,
      operator: 'Raaberbahn',
      platforms: 4,
      validFrom: '2006-11-14',
      validTo: null,
    });
    expect(stations[9]?.code).toBe('A0000A');
    expect(stations[9]?.name).toBe('Gmünd Nord 71');
    expect(generateStations(10, 42)).toEqual(stations);
    expect(generateStations(10, 43)[0]).not.toEqual(stations[0]);
  });
});

describe('import diff', () => {
  it('classifies a known change set exactly', () => {
    const baseline = generateStations(10, 42);
    const incoming = makeIncoming(baseline, 0.4, 7);
    expect(incoming.map((s) => s.id)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    const diff = diffStations(baseline, incoming, 10);
    expect(diff.counts).toEqual({ added: 1, changed: 2, deleted: 1, unchanged: 7 });
    expect(diff.deletedIds).toEqual([1]);
    expect(diff.changedRecords.map((s) => s.id)).toEqual([2, 10, 11]);
    expect(diff.workChecksum).toBe(3313901280);
  });

  it('matches the planned split of a change share', () => {
    expect(plannedCounts(1000, 0.1)).toEqual({ added: 25, deleted: 25, changed: 50, unchanged: 925 });
    const baseline = generateStations(1000, 2017);
    expect(diffStations(baseline, makeIncoming(baseline, 0.1, 1), 0).counts).toEqual({
      added: 25,
      changed: 50,
      deleted: 25,
      unchanged: 925,
    });
  });

  it('no changes means everything unchanged', () => {
    const baseline = generateStations(50, 1);
    expect(diffStations(baseline, makeIncoming(baseline, 0, 1), 0).counts).toEqual({
      added: 0,
      changed: 0,
      deleted: 0,
      unchanged: 50,
    });
  });

  it('the cost knob is deterministic work', () => {
    expect(burn(100, 1)).toBe(2487880500);
    expect(burn(0, 5)).toBe(5);
  });
});
