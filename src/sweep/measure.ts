import { performance } from 'node:perf_hooks';
import { errorMessage } from '../format/error.js';
import type { SweepPoint } from '../results/schema.js';
import type { Job, Transport, TransportPeer } from '../transports/types.js';
import { classifyFailure, type Failure } from './classify.js';
import { SweepInterrupted, withDeadline } from './deadline.js';
import { collectGarbage } from './gc.js';
import { describeMismatch, describePayload } from './integrity.js';
import { makePayload, payloadDigest, type PayloadKind } from './payload.js';
import { processPeakRssBytes } from '../transports/common/peak-rss.js';
import { startProbe } from './probe.js';
import { Sampler, type ExchangePhase, type SamplingRule } from './sampler.js';
import { isNoisy, mbPerSecond, relativeMarginOfError, roundTripStats } from './stats.js';

const ECHO: Job = { kind: 'echo' };
/** How long close() may take before the peer's process is killed outright. */
const CLOSE_DEADLINE_MS = 5_000;
/**
 * From this size on, a full GC before every sample: one exchange takes milliseconds there, and the
 * previous samples' big buffers would otherwise be collected inside a later sample (and count in its
 * sender RSS). Below it the GC would cost more than the exchange; a point's own small garbage is part
 * of its steady state.
 */
const GC_EACH_SAMPLE_FROM_BYTES = 1024 * 1024;

export interface PointOptions {
  sizeBytes: number;
  payload: PayloadKind;
  sampling: SamplingRule;
  /** Per exchange, passed to the transport, which should time out by itself. */
  timeoutMs: number;
  /** Extra time the sweep allows beyond timeoutMs before it calls the exchange a timeout itself. */
  graceMs: number;
  childHeapMb?: number;
  queuePlacement?: 'job-data' | 'redis-key';
  signal?: AbortSignal;
  /** Called before each exchange (progress display), with the samples taken so far. */
  onExchange?: (phase: ExchangePhase, samplesSoFar: number) => void;
}

interface Readings {
  maxBlockMs: number;
  senderPeakRssBytes: number;
  receiverPeakRssBytes: number | null;
}

/**
 * One size on one transport: a fresh peer, its cold first exchange, warm-up, then timed samples
 * until the sampling rule is met; the peer always closed. The first failing exchange ends the point
 * with that failure. Throws only SweepInterrupted.
 */
export async function measurePoint(transport: Transport, options: PointOptions): Promise<SweepPoint> {
  const sampler = new Sampler(options.sampling);
  const readings: Readings = { maxBlockMs: 0, senderPeakRssBytes: 0, receiverPeakRssBytes: null };
  let failure: Failure | null = null;
  let peer: TransportPeer | undefined;
  const bound = options.timeoutMs + options.graceMs;
  try {
    // The previous point's garbage (hundreds of MiB at the large sizes) stays out of this one.
    collectGarbage();
    const starting = transport.start({
      timeoutMs: options.timeoutMs,
      childHeapMb: options.childHeapMb,
      ...(options.queuePlacement ? { queuePlacement: options.queuePlacement } : {}),
      // Room for the echo and any framing: the sweep means to send this size, not to test refusal.
      maxMessageBytes: 2 * options.sizeBytes + 1024 * 1024,
    });
    peer = await withDeadline(starting, bound, `${transport.id} start`, options.signal).catch((error: unknown) => {
      // Gave up waiting (timeout, interrupt): a peer that still comes up later must not be left running.
      starting.then((late) => closePeer(late), () => undefined);
      throw error;
    });
    failure = await runExchanges(peer, options, sampler, readings, bound);
    if (!failure) readings.receiverPeakRssBytes = await receiverPeak(peer, bound, options.signal);
  } catch (error: unknown) {
    if (error instanceof SweepInterrupted) throw error;
    failure = classifyFailure(error);
  } finally {
    const closeError = peer ? await closePeer(peer) : null;
    if (closeError && !failure) failure = { state: 'error', error: closeError };
  }
  return toPoint(options.sizeBytes, sampler, readings, failure);
}

async function runExchanges(peer: TransportPeer, options: PointOptions, sampler: Sampler, readings: Readings, bound: number): Promise<Failure | null> {
  for (let phase = sampler.next(), seed = 1; phase !== 'done'; phase = sampler.next(), seed++) {
    options.onExchange?.(phase, sampler.samplesMs.length);
    const payload = makePayload(options.payload, options.sizeBytes, seed);
    const sentDigest = payloadDigest(payload);
    const sentSummary = describePayload(payload);
    const sampling = phase === 'sample';
    if (sampling && (sampler.samplesMs.length === 0 || options.sizeBytes >= GC_EACH_SAMPLE_FROM_BYTES)) collectGarbage();
    // Event-loop blocking and RSS are read on the samples only: the cold exchange has its own figure.
    const probe = sampling ? startProbe() : null;
    const startedMs = performance.now();
    let reply;
    let endedMs: number;
    try {
      const exchanging = peer.exchange(ECHO, payload);
      reply = (await withDeadline(exchanging, bound, 'echo exchange', options.signal)).reply;
    } finally {
      endedMs = performance.now();
      const reading = probe?.stop();
      if (reading) {
        readings.maxBlockMs = Math.max(readings.maxBlockMs, reading.maxBlockMs);
        readings.senderPeakRssBytes = Math.max(readings.senderPeakRssBytes, reading.peakRssBytes);
      }
    }
    if (payloadDigest(reply) !== sentDigest) return { state: 'corrupted', error: describeMismatch(payload, sentSummary, reply) };
    // Round trip as the caller waits for it: encode, transfer both ways, decode. Same for every transport.
    sampler.record(endedMs - startedMs);
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

function toPoint(sizeBytes: number, sampler: Sampler, readings: Readings, failure: Failure | null): SweepPoint {
  const roundTripMs = roundTripStats(sampler.samplesMs);
  const margin = relativeMarginOfError(sampler.samplesMs);
  const sampling = {
    samples: sampler.samplesMs.length,
    warmupExchanges: sampler.warmupCount,
    firstRoundTripMs: sampler.firstRoundTripMs,
    relativeMarginOfError: margin,
    noisy: isNoisy(margin),
  };
  const peakRssBytes = { sender: readings.senderPeakRssBytes, receiver: readings.receiverPeakRssBytes };
  // No failure means the sampler finished: at least one sample was timed, the probe ran on each.
  if (!failure && roundTripMs) {
    return { sizeBytes, state: 'ok', roundTripMs, mbPerS: mbPerSecond(sizeBytes, roundTripMs.median), senderMaxBlockMs: readings.maxBlockMs, peakRssBytes, ...sampling };
  }
  const { state, error } = failure ?? { state: 'error', error: 'no exchange was timed (a sampling rule of 0 samples)' };
  const probed = readings.senderPeakRssBytes > 0; // false when no sample was taken before the failure
  return {
    sizeBytes,
    state,
    error,
    roundTripMs,
    mbPerS: roundTripMs ? mbPerSecond(sizeBytes, roundTripMs.median) : null,
    senderMaxBlockMs: probed ? readings.maxBlockMs : null,
    peakRssBytes: probed ? peakRssBytes : null,
    ...sampling,
  };
}
