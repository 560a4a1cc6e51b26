import { diffStations, generateStations } from '../../workload/index.js';
import type { Station } from '../../workload/types.js';
import type { Job, Payload } from '../types.js';
import { collectGarbage } from './gc.js';

// The work every peer does, whatever the transport: pure except for the per-process baseline cache
// and the sweep's 'collect'.

let cachedBaseline: { records: number; seed: number; stations: Station[] } | null = null;

function baselineFor(records: number, seed: number): Station[] {
  // The talk's child read the database itself; regenerating it is deterministic and cheap to cache,
  // so a pooled peer pays for it once.
  if (cachedBaseline === null || cachedBaseline.records !== records || cachedBaseline.seed !== seed) {
    cachedBaseline = { records, seed, stations: generateStations(records, seed) };
  }
  return cachedBaseline.stations;
}

export function runJob(job: Job, payload: Payload): Payload {
  switch (job.kind) {
    case 'echo':
      return payload;
    case 'collect':
      collectGarbage();
      return payload;
    case 'diff': {
      if (payload.kind !== 'records') throw new Error(`job 'diff' needs a 'records' payload, got '${payload.kind}'`);
      const baseline = baselineFor(job.baselineRecords, job.baselineSeed);
      return { kind: 'diff', diff: diffStations(baseline, payload.records, job.workPerRecord) };
    }
  }
}
