import cluster, { type Worker } from 'node:cluster';
import type { ServeContext, ServerMetrics, ServingHandle } from './contract.js';
import { isControlReply, type ControlReply, type ControlRequest } from './control.js';

const LISTEN_TIMEOUT_MS = 30_000;
const METRICS_TIMEOUT_MS = 30_000;

function waitListening(worker: Worker): Promise<number> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`worker ${worker.process.pid} did not listen within ${LISTEN_TIMEOUT_MS} ms`)), LISTEN_TIMEOUT_MS);
    worker.once('listening', (address) => {
      clearTimeout(timer);
      resolve(address.port);
    });
    worker.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`worker ${worker.process.pid} exited before listening (${signal ?? `code ${code}`})`));
    });
  });
}

/** Ask one worker over its IPC channel; a worker busy with an import answers when it is done. */
function askWorker(worker: Worker, request: ControlRequest & { requestId: number }): Promise<ControlReply | null> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => finish(null), METRICS_TIMEOUT_MS);
    const onMessage = (message: unknown): void => {
      if (isControlReply(message) && 'requestId' in message && message.requestId === request.requestId) finish(message);
    };
    const finish = (reply: ControlReply | null): void => {
      clearTimeout(timer);
      worker.off('message', onMessage);
      worker.off('exit', onExit);
      resolve(reply);
    };
    const onExit = (): void => finish(null);
    worker.on('message', onMessage);
    worker.once('exit', onExit);
    worker.send(request);
  });
}

/**
 * The talk's second iteration: a primary forks one HTTP worker per core. The primary accepts each
 * connection and hands it to a worker round-robin; a keep-alive connection stays with its worker.
 */
export async function serveClusterPrimary({ config, emit }: ServeContext): Promise<ServingHandle> {
  cluster.schedulingPolicy = cluster.SCHED_RR;
  cluster.setupPrimary({ exec: process.argv[1], args: process.argv.slice(2) });
  let closing = false;
  let nextRequestId = 1;

  const onExit = (worker: Worker, code: number | null, signal: string | null): void => {
    if (closing) return;
    const replacement = cluster.fork();
    emit(`worker ${worker.process.pid} died (${signal ?? `exit code ${code}`}); replaced by worker ${replacement.process.pid}`);
  };

  cluster.on('exit', onExit);
  const first = cluster.fork();
  const port = await waitListening(first);
  // Port 0 asks for any free port: the first worker got one, the others share it.
  const rest = Array.from({ length: config.workers - 1 }, () => cluster.fork());
  await Promise.all(rest.map(waitListening));

  const workers = (): Worker[] => Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined);
  const askAll = (type: 'reset-metrics' | 'collect-metrics'): Promise<(ControlReply | null)[]> =>
    Promise.all(workers().map((w) => askWorker(w, { type, requestId: nextRequestId++ })));

  return {
    port,
    pids: workers().map((w) => w.process.pid ?? 0),
    resetMetrics: async () => {
      await askAll('reset-metrics');
    },
    collectMetrics: async () => {
      const metrics: ServerMetrics = { eventLoop: {}, admission: {}, peakRssBytes: {} };
      for (const reply of await askAll('collect-metrics')) {
        if (reply?.type !== 'metrics') continue;
        Object.assign(metrics.eventLoop, reply.eventLoop);
        Object.assign(metrics.admission, reply.admission);
        Object.assign(metrics.peakRssBytes ?? {}, reply.peakRssBytes);
      }
      return metrics;
    },
    close: async () => {
      closing = true;
      cluster.off('exit', onExit);
      await Promise.all(
        workers().map(
          (w) =>
            new Promise<void>((resolve) => {
              if (w.isDead()) return resolve();
              w.once('exit', () => resolve());
              w.kill('SIGTERM');
            }),
        ),
      );
    },
  };
}
