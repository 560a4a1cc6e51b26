import { threadId } from 'node:worker_threads';
import { move, transferableSymbol, valueSymbol, workerData } from 'piscina';
import { runJob } from '../common/jobs.js';
import type { PeerEntry } from '../common/peer-entry.js';
import { lowerThisThread } from '../common/priority.js';
import { stopThisThread, writeFaultMarker } from '../common/peer-fault.js';
import type { Payload } from '../types.js';
import { dataBytes, decodePayload, encodePayload, epochNowMs, type PoolPong, type PoolReply, type PoolTask, type PoolWorkerData } from './messages.js';

// PeerOptions.priority, for this thread only (Linux keeps one per thread): the HTTP thread keeps its own.
const priority = (workerData as PoolWorkerData | undefined)?.priority;
if (priority !== undefined) lowerThisThread(priority);

/**
 * Peer side of worker-pool: piscina's task handler. Piscina starts its own worker threads (its
 * worker.js) and loads this file's default export by file name; peer-main.ts never runs it.
 * A job that throws rejects that task only (piscina answers with the error, the worker stays);
 * a worker that dies (out of memory, an uncaught error) is replaced by the pool.
 */
export default function workerPoolTask(task: PoolTask): PoolPong | PoolReply | ReturnType<typeof move> {
  if (task.type === 'ping') return { type: 'pong', threadId };
  if (task.fault?.fault === 'stop-on-receive') stopHere(task.fault.markerFile);
  const request = decodePayload(task.data);
  // The job starts once its data is decoded: queue time (parent side) ends here.
  const startedAtMs = epochNowMs();
  if (task.fault?.fault === 'exit-mid-task') dieMidTask(task, request, task.fault.markerFile);
  const result = runJob(task.job, request);
  const finishedAtMs = epochNowMs();
  // The worker owns what it received: an echo of bytes hands the same ArrayBuffer back, uncopied.
  const { data, transferList } = encodePayload(result, task.data.form, true);
  // Counted outside the queue and run times: for a clone, counting means serializing once more
  // (here, off the HTTP thread), which delays the reply by that much.
  const reply: PoolReply = { type: 'reply', data, requestBytes: dataBytes(task.data), replyBytes: dataBytes(data), startedAtMs, finishedAtMs, threadId };
  // `npm run faults`: the reply is built, not yet handed to piscina.
  if (task.fault?.fault === 'stop-mid-reply') stopHere(task.fault.markerFile);
  if (task.fault?.fault === 'exit-mid-reply') {
    writeFaultMarker(task.fault.markerFile);
    process.exit(0);
  }
  // Piscina's Transferable protocol: the value to send, and what moves with it.
  return transferList.length === 0 ? reply : move({ [transferableSymbol]: transferList, [valueSymbol]: reply });
}

/** `npm run faults`: the moment, then this thread blocked for good (its SIGSTOP); the process goes on. */
function stopHere(markerFile: string): void {
  writeFaultMarker(markerFile);
  stopThisThread();
}

/**
 * `npm run faults`: do half the task's work (half the records of a diff), then end this thread
 * the way a crashing worker does. process.exit in a worker thread ends only that thread.
 */
function dieMidTask(task: Extract<PoolTask, { type: 'exchange' }>, request: Payload, markerFile: string): never {
  const half: Payload = request.kind === 'records' ? { kind: 'records', records: request.records.slice(0, Math.floor(request.records.length / 2)) } : request;
  runJob(task.job, half);
  writeFaultMarker(markerFile);
  process.exit(1);
}

/** The registry asks every transport for a peer entry; piscina starts this one itself. */
export const workerPoolPeer: PeerEntry = () => {
  process.stderr.write('worker-pool peer: piscina starts its workers itself and loads worker-pool/peer.js by file name; it is not run through peer-main\n');
  process.exit(2);
};
