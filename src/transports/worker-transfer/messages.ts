import v8 from 'node:v8';
import type { DiffResult, Station } from '../../workload/types.js';
import type { Job, Payload } from '../types.js';

// Messages between the parent and the worker-transfer worker (postMessage):
//   worker -> parent   ready                                 once its modules are loaded
//   parent -> worker   request { id, job, payload }
//   worker -> parent   reply { id, payload, ... }  or  error { id, message }  (a request it cannot
//                      run is answered with an error; the worker stays ready)
// Bytes travel as an ArrayBuffer in the transfer list: ownership moves, the bytes are not copied.

export type WorkerPayload =
  | { kind: 'bytes'; buffer: ArrayBuffer }
  | { kind: 'records'; records: Station[] }
  | { kind: 'diff'; diff: DiffResult };

export interface WorkerRequest {
  type: 'request';
  id: number;
  job: Job;
  payload: WorkerPayload;
}

export type WorkerReply =
  | { type: 'reply'; id: number; payload: WorkerPayload; requestBytes: number; replyBytes: number }
  | { type: 'error'; id: number; message: string };

/** Sent once the worker's modules are loaded and it listens: start-up ends here, not at 'online'. */
export interface WorkerReady {
  type: 'ready';
}

/** The payload and its transfer list. A Buffer is copied once into an ArrayBuffer of its own size
 * unless it already owns all of one: transferring a pooled or shared ArrayBuffer would detach memory
 * that other Buffers (or the caller) still use. */
export function toWorkerPayload(payload: Payload, ownsMemory: boolean): { payload: WorkerPayload; transfer: ArrayBuffer[] } {
  if (payload.kind !== 'bytes') return { payload, transfer: [] };
  const { bytes } = payload;
  const whole = ownsMemory && bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer;
  const buffer = whole ? (bytes.buffer as ArrayBuffer) : copyToArrayBuffer(bytes);
  return { payload: { kind: 'bytes', buffer }, transfer: [buffer] };
}

function copyToArrayBuffer(bytes: Buffer): ArrayBuffer {
  const buffer = new ArrayBuffer(bytes.byteLength);
  new Uint8Array(buffer).set(bytes);
  return buffer;
}

export function fromWorkerPayload(payload: WorkerPayload): Payload {
  return payload.kind === 'bytes' ? { kind: 'bytes', bytes: Buffer.from(payload.buffer) } : payload;
}

/** Bytes handed over: a transferred buffer's length, or the structured clone's serialized size. */
export function workerPayloadBytes(payload: WorkerPayload): number {
  return payload.kind === 'bytes' ? payload.buffer.byteLength : v8.serialize(payload).length;
}
