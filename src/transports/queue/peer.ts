import { errorMessage } from '../../format/error.js';
import { peerArgs, type PeerEntry } from '../common/peer-entry.js';
import { WORKER_ENV, type LocalWorkerConfig, type LocalWorkerMessage } from './messages.js';
import { startQueueWorker } from './worker.js';

// The peer side of the queue: a local worker process (forked through peer-main.ts), the same BullMQ
// worker that `npm run worker` starts on another host, told where Redis is by argv and the password
// by environment. It sends 'ready' once its worker waits for jobs; bad jobs fail that job (BullMQ
// records the reason), a dead parent ends it (peer-main.ts), a timeout is the producer's business.

const send = (message: LocalWorkerMessage): void => {
  if (process.connected) process.send?.(message);
};

export const queuePeer: PeerEntry = (args) => {
  const [configJson] = peerArgs('queue', args, ['worker config']);
  const config = JSON.parse(configJson) as LocalWorkerConfig;
  const password = process.env[WORKER_ENV.password];
  startQueueWorker({
    ...config,
    target: { endpoint: config.endpoint, ...(password ? { password } : {}) },
    // Reconnects on its own; the parent sees a lost Redis itself. stderr keeps the last word for a crash report.
    onError: (error) => process.stderr.write(`queue worker ${process.pid}: ${error.message}\n`),
  }).then(
    () => send({ type: 'ready' }),
    (error: unknown) => {
      send({ type: 'failed', error: errorMessage(error) });
      process.exit(1);
    },
  );
};
