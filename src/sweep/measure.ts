import { performance } from 'node:perf_hooks';
import type { SweepPoint } from '../results/schema.js';
import type { Job, PeerOptions, Transport, TransportPeer } from '../transports/types.js';
import { classifyFailure, type Failure } from './classify.js';
import { SweepInterrupted, withDeadline } from './deadline.js';
import type { KeptPeer } from './kept-peer.js';
import { closePeer, startPeer } from './peer-life.js';
import { collectGarbage } from './gc.js';
import { describeMismatch, describePayload } from './integrity.js';
import { makePayload, payloadDigest, type PayloadKind } from './payload.js';
import { processPeakRssBytes, resetPeakRss } from '../transports/common/peak-rss.js';
import { startProbe } from './probe.js';
import { Sampler, type ExchangePhase, type SamplingRule } from './sampler.js';
import { isNoisy, mbPerSecond, relativeMarginOfError, roundTripStats } from './stats.js';

const ECHO: Job = { kind: 'echo' };
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
  /** The transport's peer kept across sizes, to sample this size on (the cold exchange stays on a fresh peer). */
  keptPeer?: KeptPeer;
  /** This is the kept peer's last size: close it after the point. */
  closeKeptPeer?: boolean;
  /** Called before each exchange (progress display), with the samples taken so far. */
  onExchange?: (phase: ExchangePhase, samplesSoFar: number) => void;
}

interface Readings {
  maxBlockMs: number;
  senderPeakRssBytes: number;
  receiverPeakRssBytes: number | null;
}

/**
 * One size on one transport: a fresh peer for its cold first exchange; warm-up, then timed samples
 * until the sampling rule is met, on that same fresh peer, or on the transport's kept peer where the
 * sweep keeps one for this size (kept-peer.ts). The fresh peer is always closed, the kept one on a
 * failure or when `closeKeptPeer` says this is its last size. The first failing exchange ends the
 * point with that failure. Throws only SweepInterrupted.
 */
export async function measurePoint(transport: Transport, options: PointOptions): Promise<SweepPoint> {
  const kept = options.keptPeer;
  const sampler = new Sampler(options.sampling, kept ? { exchanges: kept.exchanges, warmupMs: kept.warmupMs } : undefined);
  const readings: Readings = { maxBlockMs: 0, senderPeakRssBytes: 0, receiverPeakRssBytes: null };
  let failure: Failure | null = null;
  let fresh: TransportPeer | undefined;
  const bound = options.timeoutMs + options.graceMs;
  try {
    // The previous point's garbage (hundreds of MiB at the large sizes) stays out of this one.
    collectGarbage();
    fresh = await startPeer(transport, peerOptions(options, options.sizeBytes), bound, options.signal);
    if (!kept) {
      failure = await runExchanges(fresh, options, sampler, readings, bound, 'done');
      if (!failure) readings.receiverPeakRssBytes = await receiverPeak(fresh, bound, options.signal);
    } else {
      failure = await runExchanges(fresh, options, sampler, readings, bound, 'cold');
      const closeError = failure ? null : await closePeer(fresh);
      if (!failure) fresh = undefined;
      if (closeError) failure = { state: 'error', error: closeError };
      if (!failure) failure = await sampleOnKeptPeer(kept, options, sampler, readings, bound);
    }
  } catch (error: unknown) {
    if (error instanceof SweepInterrupted) throw error;
    failure = classifyFailure(error);
  } finally {
    const closeError = fresh ? await closePeer(fresh) : null;
    if (closeError && !failure) failure = { state: 'error', error: closeError };
    // After a failure the transport's larger sizes are skipped: its kept peer has no more use.
    const keptError = kept && (failure || options.closeKeptPeer) ? await kept.close() : null;
    if (keptError && !failure) failure = { state: 'error', error: keptError };
  }
  return toPoint(options.sizeBytes, sampler, readings, failure);
}

/** What a peer is started with; room for the echo and any framing: the sweep means to send this size, not to test refusal. */
export function peerOptions(options: Pick<PointOptions, 'timeoutMs' | 'childHeapMb' | 'queuePlacement'>, largestSizeBytes: number): PeerOptions {
  return {
    timeoutMs: options.timeoutMs,
    childHeapMb: options.childHeapMb,
    ...(options.queuePlacement ? { queuePlacement: options.queuePlacement } : {}),
    maxMessageBytes: 2 * largestSizeBytes + 1024 * 1024,
  };
}

/** Warm-up and samples on the kept peer; its peak RSS reset first, so the receiver figure is this size's. */
async function sampleOnKeptPeer(kept: KeptPeer, options: PointOptions, sampler: Sampler, readings: Readings, bound: number): Promise<Failure | null> {
  const peer = await kept.get(bound, options.signal);
  const inProcess = peer.pid === process.pid;
  const peakReset = !inProcess && (await resetPeakRss(peer.pid));
  const exchangesBefore = sampler.warmupCount + sampler.samplesMs.length;
  const warmupMsBefore = sampler.warmupMs;
  let failure: Failure | null;
  try {
    failure = await runExchanges(peer, options, sampler, readings, bound, 'done');
  } finally {
    kept.exchanges += sampler.warmupCount + sampler.samplesMs.length - exchangesBefore;
    kept.warmupMs += sampler.warmupMs - warmupMsBefore;
  }
  // Where the peak could not be reset it covers the peer's whole life, not this size: not shown.
  if (!failure && (inProcess || peakReset)) readings.receiverPeakRssBytes = await receiverPeak(peer, bound, options.signal);
  return failure;
}

/** Exchanges on `peer` as the sampler says, until it is done, or (`until` 'cold') past its cold exchange. */
async function runExchanges(peer: TransportPeer, options: PointOptions, sampler: Sampler, readings: Readings, bound: number, until: 'cold' | 'done'): Promise<Failure | null> {
  for (let phase = sampler.next(); phase !== 'done' && (until === 'done' || phase === 'cold'); phase = sampler.next()) {
    const seed = sampler.warmupCount + sampler.samplesMs.length + 1;
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
