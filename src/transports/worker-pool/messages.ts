import type { ImportPriority } from '../common/priority.js';
import { performance } from 'node:perf_hooks';
import v8 from 'node:v8';
import type { DiffResult, Station } from '../../workload/types.js';
import type { Handoff, Job, Payload } from '../types.js';

// What crosses between the HTTP thread and a piscina worker (pool.run's task and the handler's
// return value; piscina adds its own envelope around both):
//   parent -> worker   ping                         start-up: proves the worker loaded this code
//   worker -> parent   pong { threadId }
//   parent -> worker   exchange { job, data, submittedAtMs, fault? }   fault: npm run faults only
//   worker -> parent   reply { data, requestBytes, replyBytes, startedAtMs, finishedAtMs, threadId }
// A task that throws rejects pool.run with the (cloned) error; the worker stays in the pool.
//
// Two hand-offs, the same both ways:
//   clone  the payload object itself: postMessage's structured clone copies it (what pool.run(data)
//          does by default);
//   bytes  one ArrayBuffer in the transfer list: the raw bytes, or the records (or diff) as JSON
//          text. The buffer moves to the other thread instead of being copied; the sender's copy
//          is detached.

export type PoolData =
  /** Structured clone; bytes arrive as a Uint8Array view (a Buffer loses its class on the way). */
  | { form: 'clone'; payload: { kind: 'bytes'; bytes: Uint8Array } | { kind: 'records'; records: Station[] } | { kind: 'diff'; diff: DiffResult } }
  /** One transferred buffer: the payload's bytes, or its records or diff as UTF-8 JSON. */
  | { form: 'bytes'; kind: Payload['kind']; buffer: ArrayBuffer };

export type PoolTask =
  | { type: 'ping' }
  | {
      type: 'exchange';
      job: Job;
      data: PoolData;
      /** When the parent began the hand-over, before encoding (epoch ms, sub-ms precision): queue time starts here. */
      submittedAtMs: number;
      /**
       * `npm run faults` only (PeerOptions.peerFault), on the pool's first exchange: the worker ends
       * itself halfway through the work, after writing the moment to `markerFile`.
       */
      fault?: { fault: PoolFault; markerFile: string };
    };

/**
 * What a pool worker does on a faults run's first task: ends itself halfway through the work
 * (process.exit(1)); blocks its thread for good once it took the task ('stop-on-receive') or built
 * its reply ('stop-mid-reply'), for a hang or to be ended from outside; exits with code 0 with its
 * reply built ('exit-mid-reply').
 */
export const POOL_FAULTS = ['exit-mid-task', 'stop-on-receive', 'stop-mid-reply', 'exit-mid-reply'] as const;
export type PoolFault = (typeof POOL_FAULTS)[number];

export interface PoolPong {
  type: 'pong';
  threadId: number;
}

export interface PoolReply {
  type: 'reply';
  data: PoolData;
  /** Bytes handed over each way: the buffer's length, or the structured clone's serialized size. */
  requestBytes: number;
  replyBytes: number;
  /** When the worker began the job, its data decoded, and ended it (epoch ms, sub-ms, one clock for all threads). */
  startedAtMs: number;
  finishedAtMs: number;
  threadId: number;
}

/** Epoch milliseconds with sub-millisecond precision; comparable across the threads of one process. */
export function epochNowMs(): number {
  return performance.timeOrigin + performance.now();
}

/**
 * The whole ArrayBuffer behind `view` when the caller may give it away (`ownsMemory`) and the view
 * covers all of it; otherwise a copy of exactly the view's bytes. Transferring a pooled or shared
 * ArrayBuffer would detach memory that other Buffers still use.
 */
function movableBuffer(view: Uint8Array, ownsMemory: boolean): ArrayBuffer {
  const whole = ownsMemory && view.byteOffset === 0 && view.byteLength === view.buffer.byteLength && view.buffer instanceof ArrayBuffer;
  if (whole) return view.buffer as ArrayBuffer;
  const copy = new ArrayBuffer(view.byteLength);
  new Uint8Array(copy).set(view);
  return copy;
}

/**
 * A payload in the form of `handoff`, with the buffers to transfer. `ownsMemory`: the caller gives
 * a bytes payload's memory away (it reads as empty afterwards): true for the worker's replies, and
 * for a parent whose caller handed the buffer over; false copies it once first.
 */
export function encodePayload(payload: Payload, handoff: Handoff, ownsMemory: boolean): { data: PoolData; transferList: ArrayBuffer[] } {
  if (handoff === 'clone') return { data: { form: 'clone', payload }, transferList: [] };
  const view = payload.kind === 'bytes' ? payload.bytes : Buffer.from(JSON.stringify(payload.kind === 'records' ? payload.records : payload.diff), 'utf8');
  // JSON text was made here: nobody else holds it, so it moves without a copy when it owns its buffer.
  const buffer = movableBuffer(view, payload.kind === 'bytes' ? ownsMemory : true);
  return { data: { form: 'bytes', kind: payload.kind, buffer }, transferList: [buffer] };
}

export function decodePayload(data: PoolData): Payload {
  if (data.form === 'clone') {
    const { payload } = data;
    if (payload.kind !== 'bytes') return payload;
    const { bytes } = payload;
    return { kind: 'bytes', bytes: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) };
  }
  const bytes = Buffer.from(data.buffer);
  if (data.kind === 'bytes') return { kind: 'bytes', bytes };
  const value: unknown = JSON.parse(bytes.toString('utf8'));
  return data.kind === 'records' ? { kind: 'records', records: value as Station[] } : { kind: 'diff', diff: value as DiffResult };
}

/** Bytes that crossed: a moved buffer's length, or what the structured clone serializes to. */
export function dataBytes(data: PoolData): number {
  return data.form === 'bytes' ? data.buffer.byteLength : v8.serialize(data.payload).length;
}

/**
 * Seconds after which a refused import may find room: one task's typical run, shared by the
 * workers (each finishing frees a queue slot), at least 1 s, and 1 s before any task finished.
 */
export function retryAfterS(recentRunMs: readonly number[], workers: number): number {
  if (recentRunMs.length === 0) return 1;
  const meanMs = recentRunMs.reduce((a, b) => a + b, 0) / recentRunMs.length;
  return Math.max(1, Math.ceil(meanMs / Math.max(1, workers) / 1000));
}

/** What every pool thread is started with (piscina's workerData). */
export interface PoolWorkerData {
  /** PeerOptions.priority: the worker sets it on its own thread as it loads. */
  priority?: ImportPriority;
}
