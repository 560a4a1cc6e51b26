import { parentPort } from 'node:worker_threads';
import { errorMessage, runJob } from './peer-jobs.js';
import { fromWorkerPayload, toWorkerPayload, workerPayloadBytes, type WorkerReady, type WorkerReply, type WorkerRequest } from './worker-messages.js';

// Entry point of the worker-transfer worker.

const port = parentPort;
if (port === null) throw new Error('worker-peer must run as a worker thread');

port.on('message', (request: WorkerRequest) => {
  const send = (reply: WorkerReply, transfer: ArrayBuffer[] = []): void => port.postMessage(reply, transfer);
  try {
    const requestBytes = workerPayloadBytes(request.payload);
    const result = runJob(request.job, fromWorkerPayload(request.payload));
    // The worker owns what it received: an echo hands the same ArrayBuffer back without a copy.
    const { payload, transfer } = toWorkerPayload(result, true);
    const replyBytes = workerPayloadBytes(payload);
    send({ type: 'reply', id: request.id, payload, requestBytes, replyBytes }, transfer);
  } catch (error) {
    send({ type: 'error', id: request.id, message: errorMessage(error) });
  }
});

port.postMessage({ type: 'ready' } satisfies WorkerReady);
