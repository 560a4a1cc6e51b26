import { writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

// The misbehaving peer of `npm run faults` (docs/design.md, "Faults"): a peer started with a fault
// misbehaves that way on its first reply, so the parent side's handling of a peer that dies, hangs
// or lies can be measured. Only the faults runner sets it (PeerOptions.peerFault); a normal run
// never has one, and it travels as an explicit argument, never through the environment.

/** What a peer started with a fault does instead of (or while) answering its first request. */
export const PEER_FAULTS = [
  /**
   * Starts writing its reply, then stops itself (SIGSTOP): a hang mid-reply. A worker thread
   * (worker-transfer) builds its reply and blocks its own thread for good before posting it.
   */
  'stop-mid-reply',
  /**
   * Thread peers (worker-transfer): on taking the request, before reading it, the thread blocks for
   * good; the runner then ends it from outside (worker.terminate(), a thread's SIGKILL).
   */
  'stop-on-receive',
  /**
   * Starts writing its reply, then exits with code 0. A worker thread builds its reply and calls
   * process.exit(0) before posting it (a posted message arrives whole: there is no middle of it).
   */
  'exit-mid-reply',
  /** Framed transports: the reply's stream ends inside a frame. */
  'truncated-frame',
  /** Framed transports: the reply starts with bytes that are no header of the protocol. */
  'garbage-header',
  /** Framed transports: the reply announces (or inflates to) a size above the receiver's limit. */
  'oversize-announce',
  /** Framed transports: the reply's length differs from what its header announced. */
  'length-mismatch',
  /**
   * Pooled thread peers (worker-pool): the worker given the first task ends itself
   * (process.exit(1), which ends only that thread) halfway through the task's work.
   */
  'exit-mid-task',
] as const;
export type PeerFault = (typeof PEER_FAULTS)[number];

/** Only the framed transports (their own wire format) can be made to send these. */
export type ProtocolFault = Extract<PeerFault, 'truncated-frame' | 'garbage-header' | 'oversize-announce' | 'length-mismatch'>;
export const PROTOCOL_FAULTS: readonly ProtocolFault[] = ['truncated-frame', 'garbage-header', 'oversize-announce', 'length-mismatch'];

/** The peer's argv carries the fault as its first argument, before the transport id. */
const ARG_PREFIX = '--peer-fault=';

export interface PeerFaultSpec {
  fault: PeerFault;
  /**
   * The peer writes the wall-clock moment it misbehaved here (epoch ms, sub-millisecond), so the
   * runner can time the detection from the fault itself and knows the peer is mid-reply.
   */
  markerFile: string;
}

export function peerFaultArgs(spec: PeerFaultSpec | undefined): string[] {
  return spec === undefined ? [] : [`${ARG_PREFIX}${spec.fault}@${spec.markerFile}`];
}

/** Splits a peer's argv into its fault (if the runner gave one) and the rest. */
export function takePeerFault(argv: readonly string[]): { spec: PeerFaultSpec | null; rest: string[] } {
  const [first, ...rest] = argv;
  if (first === undefined || !first.startsWith(ARG_PREFIX)) return { spec: null, rest: [...argv] };
  const value = first.slice(ARG_PREFIX.length);
  const at = value.indexOf('@');
  const fault = value.slice(0, at) as PeerFault;
  if (at < 0 || !PEER_FAULTS.includes(fault)) throw new Error(`peer-main: bad ${first}`);
  return { spec: { fault, markerFile: value.slice(at + 1) }, rest };
}

let active: PeerFaultSpec | null = null;

/** peer-main.ts sets the fault once, before the transport's peer starts. */
export function setPeerFault(spec: PeerFaultSpec | null): void {
  active = spec;
}

/**
 * The fault to commit now, once: the first reply misbehaves. Null in every normal run. The peer
 * calls markFault() at the moment it misbehaves (misbehaveMidReply does).
 */
export function takeFaultForReply(): PeerFault | null {
  if (active === null) return null;
  const { fault, markerFile } = active;
  active = null;
  marker = markerFile;
  return fault;
}

let marker: string | null = null;

/** Writes the moment of the fault (epoch ms) for the runner: the peer misbehaves now. */
export function markFault(): void {
  if (marker !== null) writeFaultMarker(marker);
}

/** The same, from a worker thread (which has no module state of the parent's): into `file`. */
export function writeFaultMarker(file: string): void {
  writeFileSync(file, String(performance.timeOrigin + performance.now()));
}

/**
 * A worker thread's SIGSTOP: blocks this thread for good (Atomics.wait on a word nobody wakes)
 * without using CPU; the process and its other threads go on. worker.terminate() still ends it.
 */
export function stopThisThread(): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
}

/**
 * A worker thread's fault, at the point it has reached: 'received' (the request taken, not yet
 * read) or 'reply-built' (the reply made, not yet posted). Marks the moment, then blocks the thread
 * or exits it with code 0; returns at once in every other case.
 */
export function misbehaveInThread(fault: PeerFault | null, at: 'received' | 'reply-built'): void {
  const now = at === 'received' ? fault === 'stop-on-receive' : fault === 'stop-mid-reply' || fault === 'exit-mid-reply';
  if (!now) return;
  markFault();
  if (fault === 'exit-mid-reply') process.exit(0);
  stopThisThread();
}

/**
 * Called by every peer right after it handed its reply to the channel (most of a large reply is
 * still queued in this process): stop or exit here, mid-reply.
 */
export function misbehaveMidReply(fault: PeerFault | null): void {
  if (fault === 'stop-mid-reply' || fault === 'exit-mid-reply') markFault();
  if (fault === 'stop-mid-reply') process.kill(process.pid, 'SIGSTOP');
  if (fault === 'exit-mid-reply') process.exit(0);
}
