import { diffStations } from '../workload/index.js';
import type { RunImport } from './import-job.js';

/** The import runs right here, on the HTTP process's only thread: nothing else is served meanwhile. */
export const runInline: RunImport = async (job) => {
  const diff = diffStations(job.baseline, job.incoming, job.workPerRecord);
  return {
    counts: diff.counts,
    changedRecords: diff.changedRecords.length,
    bytesToWorker: 0,
    bytesFromWorker: 0,
    workerPid: process.pid,
  };
};
