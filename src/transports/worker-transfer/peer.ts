import { parentPort, workerData } from 'node:worker_threads';
import { errorMessage } from '../../format/error.js';
import { runJob } from '../common/jobs.js';
import type { PeerEntry } from '../common/peer-entry.js';
import { lowerThisThread } from '../common/priority.js';
import type { PeerThreadData } from '../common/worker-owner.js';
import { misbehaveInThread, takeFaultForReply } from '../common/peer-fault.js';
import { fromWorkerPayload, toWorkerPayload, workerPayloadBytes, type WorkerReady, type WorkerReply, type WorkerRequest } from './messages.js';

/**
 * Peer side of worker-transfer: runs in the worker thread (started on peer-main.js with argv
 * [worker-transfer], after a `--peer-fault=` in a faults run). It ends with its thread: a dead
 * parent process takes it along.
 */
export const workerTransferPeer: PeerEntry = () => {
  const port = parentPort;
  if (port === null) throw new Error('worker-transfer peer must run as a worker thread');
  // PeerOptions.priority, for this thread only (Linux keeps one per thread): a refusal throws, and the
  // start fails rather than run at a priority its results would misstate.
  const priority = (workerData as PeerThreadData | undefined)?.priority;
  if (priority !== undefined) lowerThisThread(priority);
  port.on('message', (request: WorkerRequest) => {
    const send = (reply: WorkerReply, transfer: ArrayBuffer[] = []): void => port.postMessage(reply, transfer);
    // Null in every normal run; `npm run faults` makes the first request misbehave (common/peer-fault.ts).
    const fault = takeFaultForReply();
    misbehaveInThread(fault, 'received');
    try {
      const requestBytes = workerPayloadBytes(request.payload);
      const result = runJob(request.job, fromWorkerPayload(request.payload));
      // The worker owns what it received: an echo hands the same ArrayBuffer back without a copy.
      const { payload, transfer } = toWorkerPayload(result, true);
      const replyBytes = workerPayloadBytes(payload);
      misbehaveInThread(fault, 'reply-built');
      send({ type: 'reply', id: request.id, payload, requestBytes, replyBytes }, transfer);
    } catch (error) {
      send({ type: 'error', id: request.id, message: errorMessage(error) });
    }
  });
  port.postMessage({ type: 'ready' } satisfies WorkerReady);
};
