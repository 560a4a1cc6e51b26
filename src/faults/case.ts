import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { errorMessage } from '../format/error.js';
import type { FaultOutcome } from '../results/schema.js';
import { getTransport, type TransportId } from '../transports/registry.js';
import { TransportError, type Payload, type PeerOptions, type TransportPeer } from '../transports/types.js';
import { generateStations } from '../workload/index.js';
import { FAULTS_MAX_MESSAGE_BYTES, injection, payloadFor, type FaultId } from './cases.js';

// One fault case, run inside its own caller process (case-main.ts): start a fresh peer with the
// fault's injection, run one exchange, inject, and report what the caller saw and when.

export interface CaseSpec {
  transport: TransportId;
  fault: FaultId;
  timeoutMs: number;
  /** A private directory of this case (the runner's), for the peer's fault marker. */
  dir: string;
}

/** What the caller process reports back to the runner (which adds leftovers and its own checks). */
export interface CaseReport {
  observed: FaultOutcome;
  message: string | null;
  exitCode: number | null;
  signal: string | null;
  detectMs: number | null;
  recovered: boolean | null;
  lost: number;
  /** Pids of every peer process this case started (the caller's own pid for a thread). */
  peerPids: number[];
}

/** Beyond the exchange timeout before the caller calls an exchange lost. */
const GRACE_MS = 3000;
const MARKER_POLL_MS = 2;

const nowEpochMs = (): number => performance.timeOrigin + performance.now();
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function makePayload(spec: CaseSpec): Payload {
  const planned = payloadFor(spec.fault, spec.transport);
  return planned.kind === 'bytes' ? { kind: 'bytes', bytes: randomBytes(planned.sizeBytes) } : { kind: 'records', records: generateStations(planned.records, 1) };
}

function digest(payload: Payload): string {
  const hash = createHash('sha256').update(payload.kind);
  if (payload.kind === 'bytes') hash.update(payload.bytes);
  else hash.update(JSON.stringify(payload.kind === 'records' ? payload.records : payload.diff));
  return hash.digest('hex');
}

/** Waits for the peer's marker (it has misbehaved, or is about to); its wall-clock moment, or null if none came. */
export async function waitForMarker(file: string, untilEpochMs: number): Promise<number | null> {
  while (nowEpochMs() < untilEpochMs) {
    if (existsSync(file)) {
      const text = readFileSync(file, 'utf8');
      if (text !== '') return Number(text);
    }
    await sleep(MARKER_POLL_MS);
  }
  return null;
}

type Settled = { ok: true; reply: Payload; atMs: number } | { ok: false; error: unknown; atMs: number } | { ok: null };

/** After the fault: can the caller still get work done (a fresh peer, or the same pool)? */
async function recovers(spec: CaseSpec, failed: TransportPeer, pooled: boolean, peerPids: number[]): Promise<boolean> {
  let peer: TransportPeer | null = pooled ? failed : null;
  try {
    peer ??= await getTransport(spec.transport).start({ timeoutMs: spec.timeoutMs });
    if (peer !== failed) peerPids.push(peer.pid);
    const bytes = Buffer.from('still serving');
    const result = await peer.exchange({ kind: 'echo' }, { kind: 'bytes', bytes });
    return result.reply.kind === 'bytes' && result.reply.bytes.equals(bytes);
  } catch {
    return false;
  } finally {
    if (peer !== failed) await peer?.close();
  }
}

export async function runCase(spec: CaseSpec): Promise<CaseReport> {
  const transport = getTransport(spec.transport);
  const plan = injection(spec.fault, transport.thread === true);
  const markerFile = path.join(spec.dir, 'fault-at');
  const options: PeerOptions = {
    timeoutMs: spec.timeoutMs,
    maxMessageBytes: FAULTS_MAX_MESSAGE_BYTES,
    ...(plan.childHeapMb !== null ? { childHeapMb: plan.childHeapMb } : {}),
    ...(plan.peerFault !== null ? { peerFault: { fault: plan.peerFault, markerFile } } : {}),
  };
  const payload = makePayload(spec);
  const expectedDigest = digest(payload);
  const peer = await transport.start(options);
  const peerPids = [peer.pid];
  try {
    let faultAtMs = nowEpochMs();
    const exchange: Promise<Settled> = peer.exchange({ kind: 'echo' }, payload).then(
      (result) => ({ ok: true, reply: result.reply, atMs: nowEpochMs() }),
      (error: unknown) => ({ ok: false, error, atMs: nowEpochMs() }),
    );
    const deadline = faultAtMs + spec.timeoutMs + GRACE_MS;
    if (plan.signal !== null) {
      if (plan.signal.at === 'marker') {
        const marked = await waitForMarker(markerFile, deadline);
        if (marked !== null) await sleep(MARKER_POLL_MS); // the peer stops itself right after the marker
      } else await sleep(plan.signal.at.afterMs);
      faultAtMs = nowEpochMs();
      if (plan.signal.name === 'terminate') {
        // A thread of this process: a signal would reach the caller too.
        if (peer.terminateThread === undefined) throw new Error(`${spec.transport} has no thread to terminate`);
        peer.terminateThread();
      } else {
        try {
          process.kill(peer.pid, plan.signal.name);
        } catch {
          // already gone: the outcome says how it ended
        }
      }
    }
    const settled = await Promise.race([exchange, sleep(Math.max(0, deadline - nowEpochMs())).then((): Settled => ({ ok: null }))]);
    if (plan.peerFault !== null && plan.signal === null) faultAtMs = (await waitForMarker(markerFile, nowEpochMs() + 100)) ?? faultAtMs;
    const report = describe(settled, expectedDigest, faultAtMs);
    const recovered = report.observed === 'no-answer' ? null : await recovers(spec, peer, transport.pooled === true, peerPids);
    return { ...report, recovered, peerPids };
  } finally {
    await peer.close();
  }
}

function describe(settled: Settled, expectedDigest: string, faultAtMs: number): Omit<CaseReport, 'recovered' | 'peerPids'> {
  const none = { exitCode: null, signal: null, detectMs: null, lost: 0 };
  if (settled.ok === null) return { ...none, observed: 'no-answer', message: 'neither a reply nor an error within the timeout and a grace', lost: 1 };
  if (settled.ok) {
    const intact = digest(settled.reply) === expectedDigest;
    return { ...none, observed: intact ? 'ok' : 'wrong-reply', message: intact ? null : 'the exchange resolved with a reply that differs from the request' };
  }
  const error = settled.error;
  const detectMs = Math.max(0, Math.round((settled.atMs - faultAtMs) * 10) / 10);
  if (!(error instanceof TransportError)) return { ...none, observed: 'error', message: `not a TransportError: ${errorMessage(error)}`, detectMs };
  return { observed: error.kind, message: error.message, exitCode: error.exitCode, signal: error.signal, detectMs, lost: 0 };
}
