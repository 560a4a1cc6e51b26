import { isFailedPoint, type SweepPoint, type SweepTransportResult } from '../results/schema.js';
import type { Transport } from '../transports/types.js';
import { KeptPeer } from './kept-peer.js';
import { PointRun, peerOptions } from './measure.js';
import { mergeRounds, roundRule, wantsAnotherRound, type PointRound } from './rounds.js';
import type { PayloadKind } from './payload.js';
import type { CpuPlacement } from './placement.js';
import type { ExchangePhase, SamplingRule } from './sampler.js';

export interface SweepOptions {
  sizesBytes: number[];
  payload: PayloadKind;
  sampling: SamplingRule;
  timeoutMs: number;
  childHeapMb?: number;
  queuePlacement?: 'job-data' | 'redis-key';
  /** Beyond timeoutMs before the sweep itself calls an exchange a timeout (default 1000 ms). */
  graceMs?: number;
  /** Where the sweep's peers run (placement.ts); the caller pins its own process and restores it. */
  placement?: CpuPlacement | null;
  signal?: AbortSignal;
}

/** What a progress display listens to; the sweep itself prints nothing. */
export type SweepEvent =
  | { type: 'point-start'; transport: string; sizeBytes: number }
  /** Before each exchange of a point; `samples` taken so far. Thousands per second at small sizes. */
  | { type: 'exchange'; transport: string; sizeBytes: number; phase: ExchangePhase; samples: number }
  | { type: 'point-done'; transport: string; point: SweepPoint };

function skipped(sizeBytes: number): SweepPoint {
  // Not measured: no sampling fields at all.
  return { sizeBytes, state: 'skipped', roundTripMs: null, mbPerS: null, senderMaxBlockMs: null, peakRssBytes: null };
}

/**
 * Every size on every transport. Sizes are the outer loop so all transports see a size at about the
 * same time (same machine load). Below the rule's keptPeerBelowBytes each transport's samples come
 * from one kept peer (sampler.ts), and the transports take turns, each for a slice of the rule's
 * turnSliceMs at a time, so a slow spell of the host falls on all of them rather than on the one
 * being measured; every point's cold exchange, on a fresh peer of its own, comes first, in transport
 * order. From there up (and without turnSliceMs) one transport's point after another, each on its
 * fresh peer; with the rule's freshPeerRounds, in rounds of new fresh peers (rounds.ts), each point
 * recorded once its rounds are done (or, on an interrupt, with the rounds it had, marked
 * `roundsCut` where it was due more). A transport's first failure is its failure point: its larger
 * sizes are `skipped`, and the other transports go on. Throws only SweepInterrupted.
 */
export async function runSweep(
  transports: readonly Transport[],
  options: SweepOptions,
  onEvent: (event: SweepEvent) => void = () => {},
  // The caller may pass the array to fill, so an interrupted sweep still has what it measured.
  results: SweepTransportResult[] = [],
): Promise<SweepTransportResult[]> {
  results.push(...transports.map((t): SweepTransportResult => ({ transport: t.id, points: [], failurePoint: null })));
  const sizes = [...options.sizesBytes].sort((a, b) => a - b);
  const keptBelowBytes = options.sampling.keptPeerBelowBytes ?? 0;
  const keptSizes = sizes.filter((size) => size < keptBelowBytes);
  const lastKeptSize = keptSizes[keptSizes.length - 1];
  const turnSliceMs = options.sampling.turnSliceMs ?? Infinity;
  // One peer per transport for the small sizes (sampler.ts says why), started on first use.
  const kept = transports.map((t) => (lastKeptSize === undefined ? null : new KeptPeer(t, peerOptions(options, lastKeptSize), options.placement ?? null)));
  const open = new Map<number, PointRun>();
  // From keptBelowBytes up, the rounds each transport's point of the current size has run (rounds.ts).
  const pending = new Map<number, PointRound[]>();
  const record = (index: number, point: SweepPoint): void => {
    const result = results[index]!;
    result.points.push(point);
    if (isFailedPoint(point) && !result.failurePoint) {
      result.failurePoint = { sizeBytes: point.sizeBytes, state: point.state, ...(point.error !== undefined ? { error: point.error } : {}) };
    }
    onEvent({ type: 'point-done', transport: result.transport, point });
  };
  const finish = async (index: number, run: PointRun): Promise<void> => {
    open.delete(index);
    const point = await run.finish();
    const rounds = pending.get(index);
    if (rounds) rounds.push({ point, samplesMs: [...run.samplesMs] });
    else record(index, point);
  };
  // At the end of a size every point has had its rounds; left pending at an interrupt, a point that
  // was due another round is marked as cut short.
  const recordPending = (): void => {
    for (const [index, rounds] of pending) {
      if (rounds.length > 0) record(index, mergeRounds(rounds, wantsAnotherRound(options.sampling, rounds)));
    }
    pending.clear();
  };
  const startPoint = async (index: number, transport: Transport, sizeBytes: number, inRounds: boolean): Promise<PointRun> => {
    onEvent({ type: 'point-start', transport: transport.id, sizeBytes });
    const keptPeer = sizeBytes < keptBelowBytes ? kept[index] : null;
    const run = new PointRun(transport, {
      sizeBytes,
      payload: options.payload,
      sampling: inRounds ? roundRule(options.sampling) : options.sampling,
      timeoutMs: options.timeoutMs,
      graceMs: options.graceMs ?? 1000,
      childHeapMb: options.childHeapMb,
      ...(options.queuePlacement ? { queuePlacement: options.queuePlacement } : {}),
      ...(keptPeer ? { keptPeer, closeKeptPeer: sizeBytes === lastKeptSize } : {}),
      signal: options.signal,
      placement: options.placement ?? null,
      onExchange: (phase, samples) => onEvent({ type: 'exchange', transport: transport.id, sizeBytes, phase, samples }),
    });
    open.set(index, run);
    await run.open();
    return run;
  };
  try {
    for (const sizeBytes of sizes) {
      // Turns at the kept peers' sizes only (sampler.ts says why); rounds from there up.
      const sliceMs = sizeBytes < keptBelowBytes ? turnSliceMs : Infinity;
      const inRounds = sizeBytes >= keptBelowBytes && (options.sampling.freshPeerRounds ?? 1) > 1;
      for (const [index, transport] of transports.entries()) {
        if (results[index]!.failurePoint) {
          record(index, skipped(sizeBytes));
          continue;
        }
        if (inRounds) pending.set(index, []);
        const run = await startPoint(index, transport, sizeBytes, inRounds);
        // Without turns, each point runs to its end before the next transport's starts.
        if (sliceMs === Infinity || run.done) {
          while (!run.done) await run.step(sliceMs);
          await finish(index, run);
        }
      }
      while (open.size > 0) {
        for (const [index, run] of [...open]) {
          await run.step(sliceMs);
          if (run.done) await finish(index, run);
        }
      }
      // The later rounds: every transport that wants one, in transport order, a fresh peer each.
      for (let round = 2; round <= (options.sampling.freshPeerRounds ?? 1) && inRounds; round++) {
        for (const [index, rounds] of pending) {
          if (!wantsAnotherRound(options.sampling, rounds)) continue;
          const run = await startPoint(index, transports[index]!, sizeBytes, true);
          while (!run.done) await run.step(Infinity);
          await finish(index, run);
        }
      }
      recordPending();
    }
  } finally {
    // An interrupt: the points still open close their fresh peers; finish() closed the kept peers
    // after their last size or first failure, and these are the rest. Rounds already run are kept.
    for (const run of open.values()) await run.abandon();
    for (const peer of kept) await peer?.close();
    recordPending();
  }
  return results;
}
