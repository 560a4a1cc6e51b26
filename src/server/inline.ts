import { diffStations } from '../workload/index.js';
import type { ServeConfig, ServingHandle } from './contract.js';
import type { RunImport } from './import-job.js';
import { serveApp } from './serve.js';

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

/** One HTTP process that runs every import inline: the talk's first iteration. */
export function serveInline(config: ServeConfig): Promise<ServingHandle> {
  return serveApp(config, runInline);
}
