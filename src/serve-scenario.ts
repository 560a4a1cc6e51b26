// Entry point of a scenario's server process, forked by the runner (src/scenario/server-process.ts)
// as compiled JavaScript: `node dist/src/serve-scenario.js <scenario-id> <serve-config-json>`.
// Cluster workers run it too. It sits above the server code and the scenario registry, so neither
// has to import the other back.
import cluster from 'node:cluster';
import { findScenario } from '../scenarios/index.js';
import { errorMessage } from './format/error.js';
import type { ServeConfig, ServingHandle } from './server/contract.js';
import { isControlRequest, type ControlReply } from './server/control.js';

const send = (reply: ControlReply): void => {
  if (process.connected) process.send?.(reply);
};

async function main(): Promise<void> {
  const [scenarioId = '', configJson = '{}'] = process.argv.slice(2);
  const scenario = findScenario(scenarioId);
  if (!scenario) throw new Error(`unknown scenario ${scenarioId}`);
  const config = JSON.parse(configJson) as ServeConfig;

  if (cluster.isWorker) {
    if (!scenario.serveWorker) throw new Error(`scenario ${scenarioId} has no cluster worker`);
    await scenario.serveWorker(config);
    return;
  }

  let handle: ServingHandle;
  try {
    handle = await scenario.serve({ config, emit: (message) => send({ type: 'event', message }) });
  } catch (error: unknown) {
    const code = (error as NodeJS.ErrnoException).code;
    send({ type: 'failed', error: errorMessage(error), ...(code ? { code } : {}) });
    process.exit(1);
  }

  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    // Whatever happens while closing, this process ends, and with it every child it owns.
    const hardStop = setTimeout(() => process.exit(1), 10_000);
    hardStop.unref();
    void handle.close().finally(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  process.on('disconnect', stop); // the runner is gone: do not outlive it
  process.on('message', (message: unknown) => {
    if (!isControlRequest(message)) return;
    if (message.type === 'shutdown') return stop();
    if (message.type === 'reset-metrics') {
      void handle.resetMetrics().then(() => send({ type: 'ack', requestId: message.requestId }));
    } else {
      void handle.collectMetrics().then((metrics) => send({ type: 'metrics', requestId: message.requestId, ...metrics }));
    }
  });
  send({ type: 'ready', port: handle.port, pids: handle.pids });
}

main().catch((error: unknown) => {
  send({ type: 'failed', error: errorMessage(error) });
  process.stderr.write(`server: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
