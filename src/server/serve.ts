import type http from 'node:http';
import type { ServeConfig, ServingHandle } from './contract.js';
import { createApp } from './app.js';
import { ImportAdmission } from './admission.js';
import type { RunImport } from './import-job.js';
import { ownPeakRssBytes } from '../transports/common/peak-rss.js';
import { eventLoopSummary, resetEventLoopDelay } from './metrics.js';

export function listen(server: http.Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : port);
    });
  });
}

export function closeServer(server: http.Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections(); // keep-alive load connections would otherwise hold close() open
  });
}

/** One HTTP process that does its imports with `runImport` (inline, or handed to a child). */
export async function serveApp(
  config: ServeConfig,
  runImport: RunImport,
  onClose: () => Promise<void> = async () => {},
): Promise<ServingHandle> {
  const admission = new ImportAdmission(config.maxImports);
  const server = createApp({ stationCount: config.records, runImport, admission });
  const port = await listen(server, config.host, config.port);
  return {
    port,
    pids: [process.pid],
    resetMetrics: async () => resetEventLoopDelay(), // admission counts the whole run
    collectMetrics: async () => ({
      eventLoop: { [process.pid]: eventLoopSummary() },
      admission: { [process.pid]: admission.snapshot() },
      peakRssBytes: { [process.pid]: ownPeakRssBytes() },
    }),
    close: async () => {
      await closeServer(server);
      await onClose();
    },
  };
}
