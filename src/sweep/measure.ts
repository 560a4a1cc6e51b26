import { performance } from 'node:perf_hooks';
import type { SweepPoint } from '../results/schema.js';
import type { Job, PeerOptions, Transport, TransportPeer } from '../transports/types.js';
import { classifyFailure, type Failure } from './classify.js';
import { SweepInterrupted, withDeadline } from './deadline.js';
import type { KeptPeer } from './kept-peer.js';
import { closePeer, startPeer } from './peer-life.js';
import type { CpuPlacement } from './placement.js';
import { collectGarbage, collectGarbageSettled } from '../transports/common/gc.js';
import { describeMismatch, describePayload } from './integrity.js';
import { makePayload, payloadDigest, type PayloadKind } from './payload.js';
import { processPeakRssBytes, resetPeakRss } from '../transports/common/peak-rss.js';
import { startProbe } from './probe.js';
import { Sampler, type ExchangePhase, type SamplingRule } from './sampler.js';
import { isNoisy, mbPerSecond, relativeMarginOfError, roundTripStats } from './stats.js';

const ECHO: Job = { kind: 'echo' };
const COLLECT: Job = { kind: 'collect' };
const COLLECT_PAYLOAD = { kind: 'bytes', bytes: Buffer.alloc(1) } as const;
/**
 * From this size on, a full GC before every sample, outside the timed part, in the sweeping process
 * and (SamplingRule.peerCollectFromBytes, the same size in both rules) in the peer, by a 'collect'
 * exchange: one exchange takes milliseconds there, and the previous samples' big buffers would
 * otherwise be collected inside a later sample (and count in its RSS), and a sample's buffers would
 * land in fresh pages or in reused memory by whether the peer's V8 had happened to collect. Measured
 * at 256 MiB without the peer's GC, 5 samples of one point: 220-1354 ms for raw-socket, 284-1500 ms
 * for chunked, the median on either mode by chance (chunked 0.48x raw-socket's MB/s in one full
 * sweep); with it, after the first two exchanges, 97-233 and 105-460 ms. Below it the GC would cost
 * more than the exchange; a point's own small garbage is part of its steady state.
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
  /** Where fresh peers run (placement.ts); absent or null: where the scheduler puts them. */
  placement?: CpuPlacement | null;
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
 * sweep keeps one for this size (kept-peer.ts). In three steps, so the sweep can let the transports
 * of one size take turns (run.ts): open() (the cold exchange), step() (exchanges for a slice of
 * time) until `done`, finish() (the figures). The first failing exchange ends the point with that
 * failure. finish() closes the fresh peer, and the kept one on a failure or when `closeKeptPeer`
 * says this is its last size; abandon() closes the fresh peer of a point that never finishes
 * (interrupt). Each method throws only SweepInterrupted.
 */
export class PointRun {
  private readonly sampler: Sampler;
  private readonly readings: Readings = { maxBlockMs: 0, senderPeakRssBytes: 0, receiverPeakRssBytes: null };
  private failure: Failure | null = null;
  private fresh: TransportPeer | undefined;
  /** The peer the samples come from: the fresh one, or the kept one once the cold exchange is done. */
  private sampled: TransportPeer | undefined;
  /** Whether the sampled peer's peak RSS covers this point only (a fresh peer, or a kept one reset). */
  private receiverPeakIsThisSize = false;
  private readonly bound: number;

  constructor(
    readonly transport: Transport,
    private readonly options: PointOptions,
  ) {
    const kept = options.keptPeer;
    this.sampler = new Sampler(options.sampling, kept ? { exchanges: kept.exchanges, warmupMs: kept.warmupMs } : undefined);
    this.bound = options.timeoutMs + options.graceMs;
  }

  /** The timed samples so far (rounds.ts merges a point's rounds from them). */
  get samplesMs(): readonly number[] {
    return this.sampler.samplesMs;
  }

  /** Failed, or the sampler has all it needs. */
  get done(): boolean {
    return this.failure !== null || this.sampled === undefined || this.sampler.next() === 'done';
  }

  /** A fresh peer and its cold exchange; on a kept size that peer is closed and the kept one readied. */
  async open(): Promise<void> {
    const { options } = this;
    await this.guard(async () => {
      // The previous point's garbage (hundreds of MiB at the large sizes) stays out of this one.
      collectGarbage();
      this.fresh = await startPeer(this.transport, peerOptions(options, options.sizeBytes), this.bound, options.signal, options.placement);
      const failure = await runExchanges(this.fresh, options, this.sampler, this.readings, this.bound, 'cold');
      if (failure) return failure;
      if (!options.keptPeer) {
        this.sampled = this.fresh;
        this.receiverPeakIsThisSize = true;
        return null;
      }
      const closeError = await closePeer(this.fresh);
      this.fresh = undefined;
      if (closeError) return { state: 'error', error: closeError };
      const peer = await options.keptPeer.get(this.bound, options.signal);
      const inProcess = peer.pid === process.pid;
      // Where the peak cannot be reset it covers the peer's whole life, not this size: not shown.
      this.receiverPeakIsThisSize = inProcess || (await resetPeakRss(peer.pid));
      this.sampled = peer;
      return null;
    });
  }

  /** Warm-up and samples for about `sliceMs` (at least one exchange), or until done. */
  async step(sliceMs: number): Promise<void> {
    const peer = this.sampled;
    if (this.done || !peer) return;
    const kept = this.options.keptPeer;
    const exchangesBefore = this.sampler.warmupCount + this.sampler.samplesMs.length;
    const warmupMsBefore = this.sampler.warmupMs;
    try {
      await this.guard(() => runExchanges(peer, this.options, this.sampler, this.readings, this.bound, 'done', performance.now() + sliceMs));
    } finally {
      if (kept) {
        kept.exchanges += this.sampler.warmupCount + this.sampler.samplesMs.length - exchangesBefore;
        kept.warmupMs += this.sampler.warmupMs - warmupMsBefore;
      }
    }
  }

  /** The point's figures, its peers closed as the class comment says. Call once, when `done`. */
  async finish(): Promise<SweepPoint> {
    const { options } = this;
    const kept = options.keptPeer;
    try {
      const peer = this.sampled;
      if (!this.failure && peer && this.receiverPeakIsThisSize) {
        await this.guard(async () => {
          this.readings.receiverPeakRssBytes = await receiverPeak(peer, this.bound, options.signal);
          return null;
        });
      }
    } finally {
      const closeError = await this.abandon();
      if (closeError && !this.failure) this.failure = { state: 'error', error: closeError };
      // After a failure the transport's larger sizes are skipped: its kept peer has no more use.
      const keptError = kept && (this.failure || options.closeKeptPeer) ? await kept.close() : null;
      if (keptError && !this.failure) this.failure = { state: 'error', error: keptError };
    }
    return toPoint(options.sizeBytes, this.sampler, this.readings, this.failure);
  }

  /** Closes the point's fresh peer if it is still open; what went wrong, or null. */
  async abandon(): Promise<string | null> {
    const fresh = this.fresh;
    this.fresh = undefined;
    if (this.sampled === fresh) this.sampled = undefined;
    return fresh ? closePeer(fresh) : null;
  }

  /** Runs `work`; its failure, or an error it throws, becomes the point's failure (an interrupt is rethrown). */
  private async guard(work: () => Promise<Failure | null>): Promise<void> {
    try {
      this.failure ??= await work();
    } catch (error: unknown) {
      if (error instanceof SweepInterrupted) throw error;
      this.failure ??= classifyFailure(error);
    }
  }
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

/**
 * Exchanges on `peer` as the sampler says, until it is done, or (`until` 'cold') past its cold
 * exchange, or (at least one exchange made) once the clock passes `sliceEndsMs`.
 */
async function runExchanges(
  peer: TransportPeer,
  options: PointOptions,
  sampler: Sampler,
  readings: Readings,
  bound: number,
  until: 'cold' | 'done',
  sliceEndsMs = Infinity,
): Promise<Failure | null> {
  let exchanged = false;
  for (let phase = sampler.next(); phase !== 'done' && (until === 'done' || phase === 'cold'); phase = sampler.next()) {
    if (exchanged && performance.now() >= sliceEndsMs) break;
    exchanged = true;
    const seed = sampler.warmupCount + sampler.samplesMs.length + 1;
    options.onExchange?.(phase, sampler.samplesMs.length);
    const payload = makePayload(options.payload, options.sizeBytes, seed);
    const sentDigest = payloadDigest(payload);
    const sentSummary = describePayload(payload);
    const sampling = phase === 'sample';
    if (sampling && options.sizeBytes >= (options.sampling.peerCollectFromBytes ?? Infinity)) {
      await withDeadline(peer.exchange(COLLECT, COLLECT_PAYLOAD), bound, 'peer garbage collection', options.signal);
    }
    if (sampling && (sampler.samplesMs.length === 0 || options.sizeBytes >= GC_EACH_SAMPLE_FROM_BYTES)) await collectGarbageSettled();
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
