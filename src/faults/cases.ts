import type { FaultOutcome } from '../results/schema.js';
import type { PeerFault } from '../transports/common/peer-fault.js';

// The fault matrix (docs/design.md, "Faults"), pure: which faults exist, which transports each
// applies to, how each is injected, what a sound harness should answer, and the payload it needs.

export const FAULT_IDS = [
  'kill-mid-transfer',
  'kill-mid-reply',
  'hang',
  'exit-mid-reply',
  'truncated-frame',
  'garbage-header',
  'oversize-announce',
  'length-mismatch',
  'out-of-memory',
  'worker-exit-mid-task',
] as const;
export type FaultId = (typeof FAULT_IDS)[number];

/** Groups for `--quick`: one fault of each kind. */
export const FAULT_KINDS: Record<FaultId, 'killed' | 'hang' | 'exit' | 'protocol' | 'memory' | 'thread-exit'> = {
  'kill-mid-transfer': 'killed',
  'kill-mid-reply': 'killed',
  hang: 'hang',
  'exit-mid-reply': 'exit',
  'truncated-frame': 'protocol',
  'garbage-header': 'protocol',
  'oversize-announce': 'protocol',
  'length-mismatch': 'protocol',
  'out-of-memory': 'memory',
  'worker-exit-mid-task': 'thread-exit',
};

/** One line per fault, for --help, the README and the report. */
export const FAULT_TITLES: Record<FaultId, string> = {
  'kill-mid-transfer': 'peer SIGKILLed while the caller still writes a large request',
  'kill-mid-reply': 'peer SIGKILLed once it has started its reply',
  hang: 'peer stops (SIGSTOP) in the middle of its reply and never resumes',
  'exit-mid-reply': 'peer exits with code 0 in the middle of its reply',
  'truncated-frame': "reply's stream ends inside a frame",
  'garbage-header': 'reply starts with bytes that are no header of the protocol',
  'oversize-announce': 'reply announces (or inflates to) a size above the limit',
  'length-mismatch': "reply's length differs from what its header announced",
  'out-of-memory': 'peer with a 32 MB heap given a large records payload',
  'worker-exit-mid-task': 'pool worker thread ends itself (process.exit(1)) halfway through its task',
};

/**
 * A worker thread (worker-transfer, a worker-pool worker) shares the caller's process: a signal would stop or kill the
 * caller too. What each fault is there instead, said in the table's notes and the README.
 */
export const THREAD_FAULT_TITLES: Partial<Record<FaultId, string>> = {
  'kill-mid-transfer':
    "worker thread ended from outside (worker.terminate(), a thread's SIGKILL: none of its code runs after it) once it has taken the request, before reading it (a transferred request arrives whole: there is no middle of the transfer)",
  'kill-mid-reply': 'worker thread ended from outside (worker.terminate()) with its reply built but not yet posted',
  hang: "worker thread blocks itself for good (Atomics.wait, a thread's SIGSTOP) with its reply built but not yet posted",
  'exit-mid-reply': 'worker thread calls process.exit(0) with its reply built but not yet posted (a posted reply arrives whole)',
};

/** What a transport is, as far as faults go. */
export interface FaultTarget {
  id: string;
  /** A worker thread in the caller's process: it cannot be signalled on its own (cases.ts says what it gets instead). */
  thread: boolean;
  /** Has a wire format of its own that a peer can break (chunked, raw-socket, buffer-zlib). */
  framed: boolean;
  /** Behind a broker (the queue): no fault reaches one exchange's peer. */
  brokered?: boolean;
  /** A pool that replaces a worker that dies (worker-pool). */
  pooled?: boolean;
}

const PROTOCOL_FAULTS: readonly FaultId[] = ['truncated-frame', 'garbage-header', 'oversize-announce', 'length-mismatch'];

/** Whether `fault` can be injected into `target`; otherwise why not (for the table's footnote). */
export function applies(fault: FaultId, target: FaultTarget): true | string {
  if (target.brokered) return 'behind a broker (Redis and a worker process the queue feeds): no fault reaches one exchange\'s peer; the queue scenario\'s tests kill its worker and its Redis';
  if (fault === 'out-of-memory') return true;
  if (fault === 'worker-exit-mid-task') return target.thread && target.pooled === true ? true : 'only a pool of worker threads has a worker that can end itself mid-task';
  if (target.thread && Object.hasOwn(THREAD_FAULT_TITLES, fault)) return true;
  if (target.thread) return 'a worker thread has no wire format of its own (postMessage frames its messages)';
  if (PROTOCOL_FAULTS.includes(fault) && !target.framed) return 'no wire format of its own (Node frames its messages)';
  return true;
}

/** How the runner injects a fault: a signal from outside, and/or a misbehaviour the peer is started with. */
export interface Injection {
  peerFault: PeerFault | null;
  /**
   * Sent by the runner: `afterMs` after the exchange started, or once the peer's marker says it is
   * where the fault belongs (mid-reply, or a thread that has taken the request). A thread is not
   * signalled: it is ended with worker.terminate() ('terminate').
   */
  signal: { name: 'SIGKILL' | 'terminate'; at: { afterMs: number } | 'marker' } | null;
  childHeapMb: number | null;
}

export function injection(fault: FaultId, thread = false): Injection {
  if (thread) {
    // A thread's request arrives whole (a transferred buffer, or a clone): it is ended once it has
    // taken it, and stops or exits before posting its reply (a posted reply arrives whole too).
    if (fault === 'kill-mid-transfer') return { peerFault: 'stop-on-receive', signal: { name: 'terminate', at: 'marker' }, childHeapMb: null };
    if (fault === 'kill-mid-reply') return { peerFault: 'stop-mid-reply', signal: { name: 'terminate', at: 'marker' }, childHeapMb: null };
  }
  switch (fault) {
    case 'kill-mid-transfer':
      return { peerFault: null, signal: { name: 'SIGKILL', at: { afterMs: 30 } }, childHeapMb: null };
    case 'kill-mid-reply':
      return { peerFault: 'stop-mid-reply', signal: { name: 'SIGKILL', at: 'marker' }, childHeapMb: null };
    case 'hang':
      return { peerFault: 'stop-mid-reply', signal: null, childHeapMb: null };
    case 'exit-mid-reply':
      return { peerFault: 'exit-mid-reply', signal: null, childHeapMb: null };
    case 'out-of-memory':
      return { peerFault: null, signal: null, childHeapMb: OOM_HEAP_MB };
    case 'worker-exit-mid-task':
      return { peerFault: 'exit-mid-task', signal: null, childHeapMb: null };
    default:
      return { peerFault: fault, signal: null, childHeapMb: null };
  }
}

export const OOM_HEAP_MB = 32;
/** The receiver's limit in a faults run: the oversize faults go above it, every payload stays below. */
export const FAULTS_MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

/** What the caller sends: bytes of a size, or station records (to fill a peer's heap). */
export type FaultPayload = { kind: 'bytes'; sizeBytes: number } | { kind: 'records'; records: number };

const MIB = 1024 * 1024;

export function payloadFor(fault: FaultId, transport: string): FaultPayload {
  // node-ipc's receiver is quadratic in the message size: a few MiB at most.
  const large = transport === 'node-ipc' ? 4 * MIB : 48 * MIB;
  switch (fault) {
    case 'kill-mid-transfer':
      return { kind: 'bytes', sizeBytes: large };
    case 'kill-mid-reply':
    case 'hang':
    case 'exit-mid-reply':
      // Large enough that most of the reply is still queued in the peer when it stops or exits;
      // buffer-zlib gzips random bytes at about 6 MB/s on a busy core: 4 MiB keeps it in the timeout.
      return { kind: 'bytes', sizeBytes: transport === 'node-ipc' || transport === 'buffer-zlib' ? 4 * MIB : 16 * MIB };
    case 'out-of-memory':
      return { kind: 'records', records: 200_000 };
    default:
      return { kind: 'bytes', sizeBytes: MIB };
  }
}

/** What a sound harness answers: the error kind the caller should see (and nothing lost or left). */
export function expectedOutcome(fault: FaultId, transport: string): FaultOutcome {
  switch (fault) {
    case 'kill-mid-transfer':
    case 'kill-mid-reply':
    case 'exit-mid-reply':
    case 'worker-exit-mid-task':
      return 'crashed';
    case 'hang':
      return 'timeout';
    case 'oversize-announce':
      // raw-socket refuses the length prefix too, but cannot skip the message on its stream: the link is dropped.
      return transport === 'raw-socket' ? 'corrupted' : 'refused';
    case 'out-of-memory':
      return 'out-of-memory';
    default:
      return 'corrupted';
  }
}

export interface PlannedCase {
  transport: string;
  fault: FaultId;
}

/**
 * Every applicable (transport, fault) pair, transports in the given order, faults in FAULT_IDS
 * order. `quick`: one case per kind of fault (its first fault), each on the first transport it applies
 * to that no earlier quick case took, so a quick table still shows several transports.
 */
export function planCases(targets: readonly FaultTarget[], faults: readonly FaultId[], quick: boolean): PlannedCase[] {
  const chosen = FAULT_IDS.filter((fault) => faults.includes(fault));
  if (quick) return planQuick(targets, chosen);
  return targets.flatMap((target) => chosen.filter((fault) => applies(fault, target) === true).map((fault) => ({ transport: target.id, fault })));
}

function planQuick(targets: readonly FaultTarget[], chosen: readonly FaultId[]): PlannedCase[] {
  const seenKinds = new Set<string>();
  const used = new Set<string>();
  const cases: PlannedCase[] = [];
  for (const fault of chosen) {
    if (seenKinds.has(FAULT_KINDS[fault])) continue;
    const applicable = targets.filter((target) => applies(fault, target) === true);
    const target = applicable.find((t) => !used.has(t.id)) ?? applicable[0];
    if (!target) continue;
    seenKinds.add(FAULT_KINDS[fault]);
    used.add(target.id);
    cases.push({ transport: target.id, fault });
  }
  return cases;
}
