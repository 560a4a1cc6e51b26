import { burn } from './cost.js';
import type { DiffResult, Station } from './types.js';

function sameStation(a: Station, b: Station): boolean {
  return (
    a.code === b.code &&
    a.name === b.name &&
    a.lat === b.lat &&
    a.lon === b.lon &&
    a.operator === b.operator &&
    a.platforms === b.platforms &&
    a.validFrom === b.validFrom &&
    a.validTo === b.validTo
  );
}

/** The import job: classify every incoming record against the baseline ("database"). */
export function diffStations(baseline: readonly Station[], incoming: readonly Station[], workPerRecord: number): DiffResult {
  const byId = new Map<number, Station>();
  for (const station of baseline) byId.set(station.id, station);
  const seen = new Set<number>();
  const changedRecords: Station[] = [];
  let added = 0;
  let changed = 0;
  let unchanged = 0;
  let workChecksum = 0;
  for (const station of incoming) {
    workChecksum = (workChecksum + burn(workPerRecord, station.id)) >>> 0;
    const existing = byId.get(station.id);
    seen.add(station.id);
    if (existing === undefined) {
      added++;
      changedRecords.push(station);
    } else if (sameStation(existing, station)) {
      unchanged++;
    } else {
      changed++;
      changedRecords.push(station);
    }
  }
  const deletedIds: number[] = [];
  for (const station of baseline) if (!seen.has(station.id)) deletedIds.push(station.id);
  return {
    counts: { added, changed, deleted: deletedIds.length, unchanged },
    changedRecords,
    deletedIds,
    workChecksum,
  };
}
