import { performance } from 'node:perf_hooks';
import { errorMessage } from '../format/error.js';
import type { SweepPoint } from '../results/schema.js';
import type { Job, Transport, TransportPeer } from '../transports/types.js';
import { classifyFailure, type Failure } from './classify.js';
import { SweepInterrupted, withDeadline } from './deadline.js';
import { collectGarbage } from './gc.js';
import { describeMismatch, describePayload } from './integrity.js';
import { makePayload, payloadDigest, type PayloadKind } from './payload.js';
import { processPeakRssBytes } from '../transports/shared/peak-rss.js';
import { startProbe } from './probe.js';
import { mbPerSecond, spread } from './stats.js';

const ECHO: Job = { kind: 'echo' };
/** How long close() may take before the peer's process is killed outright. */
const CLOSE_DEADLINE_MS = 5_000;

export interface PointOptions {
  sizeBytes: number;
  payload: PayloadKind;
  repeat: number;
  /** Per exchange, passed to the transport, which should time out by itself. */
  timeoutMs: number;
  /** Extra time the sweep allows beyond timeoutMs before it calls the exchange a timeout itself. */
  graceMs: number;
  childHeapMb?: number;
  signal?: AbortSignal;
  /** Called before each repeat (progress display). */
  onRepeat?: (repeatIndex: number) => void;
}

interface Samples {
  roundTripsMs: number[];
  maxBlockMs: number;
  senderPeakRssBytes: number;
  receiverPeakRssBytes: number | null;
}

/**
 * One size on one transport: a fresh peer, `repeat` echo exchanges on it, the peer always closed.
 * The first failing repeat ends the point with that failure. Throws only SweepInterrupted.
 */
export async function measurePoint(transport: Transport, options: PointOptions): Promise<SweepPoint> {
  const samples: Samples = { roundTripsMs: [], maxBlockMs: 0, senderPeakRssBytes: 0, receiverPeakRssBytes: null };
  let failure: Failure | null = null;
  let peer: TransportPeer | undefined;
  const bound = options.timeoutMs + options.graceMs;
  try {
    const starting = transport.start({
      timeoutMs: options.timeoutMs,
      childHeapMb: options.childHeapMb,
      // Room for the echo and any framing: the sweep means to send this size, not to test refusal.
      maxMessageBytes: 2 * options.sizeBytes + 1024 * 1024,
    });
    peer = await withDeadline(starting, bound, `${transport.id} start`, options.signal).catch((error: unknown) => {
      // Gave up waiting (timeout, interrupt): a peer that still comes up later must not be left running.
      starting.then((late) => closePeer(late), () => undefined);
      throw error;
    });
    failure = await runRepeats(peer, options, samples, bound);
    if (!failure) samples.receiverPeakRssBytes = await receiverPeak(peer, bound, options.signal);
  } catch (error: unknown) {
    if (error instanceof SweepInterrupted) throw error;
    failure = classifyFailure(error);
  } finally {
    const closeError = peer ? await closePeer(peer) : null;
    if (closeError && !failure) failure = { state: 'error', error: closeError };
  }
  return toPoint(options.sizeBytes, samples, failure);
}

async function runRepeats(peer: TransportPeer, options: PointOptions, samples: Samples, bound: number): Promise<Failure | null> {
  for (let r = 0; r < options.repeat; r++) {
    options.onRepeat?.(r);
    const payload = makePayload(options.payload, options.sizeBytes, r + 1);
    const sentDigest = payloadDigest(payload);
    const sentSummary = describePayload(payload);
    collectGarbage();
    const probe = startProbe();
    const startedMs = performance.now();
    let reply;
    try {
      reply = (await withDeadline(peer.exchange(ECHO, payload), bound, 'echo exchange', options.signal)).reply;
    } finally {
      const reading = probe.stop();
      samples.maxBlockMs = Math.max(samples.maxBlockMs, reading.maxBlockMs);
      samples.senderPeakRssBytes = Math.max(samples.senderPeakRssBytes, reading.peakRssBytes);
    }
    // Round trip as the caller waits for it: encode, transfer both ways, decode. Same for every transport.
    const roundTripMs = performance.now() - startedMs;
    if (payloadDigest(reply) !== sentDigest) return { state: 'corrupted', error: describeMismatch(payload, sentSummary, reply) };
    samples.roundTripsMs.push(roundTripMs);
  }
  return null;
}

/** The peer process's own peak RSS; for an in-process peer (worker-transfer), what the transport reports. */
async function receiverPeak(peer: TransportPeer, bound: number, signal?: AbortSignal): Promise<number | null> {
  if (peer.pid !== process.pid) {
    const kernelPeakBytes = await processPeakRssBytes(peer.pid);
    if (kernelPeakBytes !== null) return kernelPeakBytes;
  }
  if (!peer.peerPeakRssBytes) return null;
  return withDeadline(peer.peerPeakRssBytes(), bound, 'peer peak RSS', signal);
}

/** Closes the peer; if close fails or hangs, kills its process so none is left behind. Returns what went wrong. */
async function closePeer(peer: TransportPeer): Promise<string | null> {
  try {
    await withDeadline(peer.close(), CLOSE_DEADLINE_MS, 'close');
    return null;
  } catch (error: unknown) {
    if (peer.pid !== process.pid) {
      try {
        process.kill(peer.pid, 'SIGKILL');
      } catch {
        // already gone: nothing left to clean up
      }
    }
    return `close failed: ${errorMessage(error)}`;
  }
}

function toPoint(sizeBytes: number, samples: Samples, failure: Failure | null): SweepPoint {
  const roundTripMs = spread(samples.roundTripsMs);
  const peakRssBytes = { sender: samples.senderPeakRssBytes, receiver: samples.receiverPeakRssBytes };
  // No failure means every repeat (at least one) was timed; the probe ran on each.
  if (!failure && roundTripMs) {
    return { sizeBytes, state: 'ok', roundTripMs, mbPerS: mbPerSecond(sizeBytes, roundTripMs.median), senderMaxBlockMs: samples.maxBlockMs, peakRssBytes };
  }
  const { state, error } = failure ?? { state: 'error', error: 'no exchange was timed (repeat 0)' };
  const probed = samples.senderPeakRssBytes > 0; // false when the peer failed before the first exchange
  return {
    sizeBytes,
    state,
    error,
    roundTripMs,
    mbPerS: roundTripMs ? mbPerSecond(sizeBytes, roundTripMs.median) : null,
    senderMaxBlockMs: probed ? samples.maxBlockMs : null,
    peakRssBytes: probed ? peakRssBytes : null,
  };
}
