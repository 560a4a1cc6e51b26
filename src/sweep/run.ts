import { isFailedPoint, type SweepPoint, type SweepTransportResult } from '../results/schema.js';
import type { Transport } from '../transports/types.js';
import { KeptPeer } from './kept-peer.js';
import { measurePoint, peerOptions } from './measure.js';
import type { PayloadKind } from './payload.js';
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
 * from one kept peer (sampler.ts), every size's cold exchange from a fresh one. A transport's first
 * failure is its failure point: its larger sizes are `skipped`, and the other transports go on.
 * Throws only SweepInterrupted.
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
  // One peer per transport for the small sizes (sampler.ts says why), started on first use.
  const kept = transports.map((t) => (lastKeptSize === undefined ? null : new KeptPeer(t, peerOptions(options, lastKeptSize))));
  try {
    for (const sizeBytes of sizes) {
      for (const [index, transport] of transports.entries()) {
        const result = results[index]!;
        if (!result.failurePoint) onEvent({ type: 'point-start', transport: transport.id, sizeBytes });
        const keptPeer = sizeBytes < keptBelowBytes ? kept[index] : null;
        const point = result.failurePoint
          ? skipped(sizeBytes)
          : await measurePoint(transport, {
              sizeBytes,
              payload: options.payload,
              sampling: options.sampling,
              timeoutMs: options.timeoutMs,
              graceMs: options.graceMs ?? 1000,
              childHeapMb: options.childHeapMb,
              ...(options.queuePlacement ? { queuePlacement: options.queuePlacement } : {}),
              ...(keptPeer ? { keptPeer, closeKeptPeer: sizeBytes === lastKeptSize } : {}),
              signal: options.signal,
              onExchange: (phase, samples) => onEvent({ type: 'exchange', transport: transport.id, sizeBytes, phase, samples }),
            });
        result.points.push(point);
        if (isFailedPoint(point) && !result.failurePoint) {
          result.failurePoint = {
            sizeBytes,
            state: point.state,
            ...(point.error !== undefined ? { error: point.error } : {}),
          };
        }
        onEvent({ type: 'point-done', transport: transport.id, point });
      }
    }
  } finally {
    // measurePoint closes each kept peer after its last size or first failure; this is for an interrupt.
    for (const peer of kept) await peer?.close();
  }
  return results;
}
