import type { OkSweepPoint, SweepPoint } from '../results/schema.js';
import type { SamplingRule } from './sampler.js';
import { isNoisy, mbPerSecond, relativeMarginOfError, roundTripStats } from './stats.js';

// Why rounds of fresh peers from 1 MiB up. There each point runs on a fresh peer, and a fresh
// process on this machine keeps the speed it starts with: three fresh chunked peers of one 64 MiB
// point had medians of 43.9, 63.2 and 66.1 ms. One peer per point made one sweep's ratio of two
// close transports a comparison of two draws (chunked ÷ raw-socket MB/s below 0.8 in about one ratio
// in six, either transport unchanged); three peers one after another within a point still left each
// point's peers in one stretch of the host's slow spells. So a size's points run in rounds: every
// transport once, on a fresh peer each, then again on a new fresh peer each, and the point's figures
// are over all its rounds' samples. The transports whose first round took long (one exchange over
// roundsBelowMs) keep their one round: a second costs seconds to minutes there, and their figures
// are not compared to a few tens of percent.

/**
 * The rule each round of a size in rounds samples by: the warm-up's time minimum and cap and the
 * samples' minimum time shared out among the rounds, so the extra rounds cost their peers' start and
 * cold exchange rather than a whole point's time each (three rounds made a full sweep 11.0 min here
 * with each round on the whole rule). The counts stay per round: at the sizes where an exchange is
 * long they are what ends a round, and each peer still warms up for at least warmupFloorCount
 * exchanges. The samples' budget (maxTimeMs) stays whole: it binds only the slow points, which keep
 * one round (with it shared, fork-json's 64 MiB point got 3 samples instead of 5).
 */
export function roundRule(rule: SamplingRule): SamplingRule {
  const rounds = rule.freshPeerRounds ?? 1;
  if (rounds <= 1) return rule;
  return {
    ...rule,
    warmupMinMs: rule.warmupMinMs / rounds,
    warmupMaxMs: rule.warmupMaxMs / rounds,
    minTimeMs: rule.minTimeMs / rounds,
  };
}

/** One round of a point: its figures, and the samples behind them. */
export interface PointRound {
  point: SweepPoint;
  samplesMs: readonly number[];
}

/** Whether a point whose rounds so far are these gets another (the rule's rounds and gate). */
export function wantsAnotherRound(rule: SamplingRule, rounds: readonly PointRound[]): boolean {
  const first = rounds[0];
  if (!first || rounds.length >= (rule.freshPeerRounds ?? 1)) return false;
  if (rounds.some((round) => round.point.state !== 'ok')) return false;
  const median = first.point.roundTripMs?.median;
  return median !== undefined && median < (rule.roundsBelowMs ?? Infinity);
}

const median = (values: readonly number[]): number => roundTripStats(values)!.median;

/**
 * One point from its rounds: figures over every round's samples pooled (where the samples' minimum
 * time ends a round, 1-16 MiB, a faster round adds more of them and the median leans its way; the
 * margin of error counts samples, not rounds, so it understates how far the rounds' medians are
 * apart: peerMediansMs shows that), peaks and blocking the largest of
 * any round, the cold figure the first round's (its peer was the first started for this size), and
 * each round's median in `peerMediansMs`. A failed round is the point's failure, with its own figures.
 * `cut`: the sweep was interrupted before the point's rounds were done; an ok point says so
 * (`roundsCut`), so it is not read as one that ran them all.
 */
export function mergeRounds(rounds: readonly PointRound[], cut = false): SweepPoint {
  const first = rounds[0];
  if (!first) throw new Error('mergeRounds: no round');
  const failed = rounds.find((round) => round.point.state !== 'ok');
  if (failed) return failed.point;
  if (rounds.length === 1) return cut ? { ...(first.point as OkSweepPoint), roundsCut: true } : first.point; // ok: checked above
  const samplesMs = rounds.flatMap((round) => round.samplesMs);
  const roundTripMs = roundTripStats(samplesMs)!;
  const margin = relativeMarginOfError(samplesMs);
  const points = rounds.map((round) => round.point as OkSweepPoint); // all ok: checked above
  const receivers = points.map((point) => point.peakRssBytes.receiver);
  return {
    sizeBytes: first.point.sizeBytes,
    state: 'ok',
    roundTripMs,
    mbPerS: mbPerSecond(first.point.sizeBytes, roundTripMs.median),
    senderMaxBlockMs: Math.max(...points.map((point) => point.senderMaxBlockMs)),
    peakRssBytes: {
      sender: Math.max(...points.map((point) => point.peakRssBytes.sender)),
      receiver: receivers.some((bytes) => bytes === null) ? null : Math.max(...(receivers as number[])),
    },
    samples: samplesMs.length,
    warmupExchanges: points.reduce((sum, point) => sum + (point.warmupExchanges ?? 0), 0),
    firstRoundTripMs: points[0]!.firstRoundTripMs ?? null,
    relativeMarginOfError: margin,
    noisy: isNoisy(margin),
    peerMediansMs: rounds.map((round) => median(round.samplesMs)),
    ...(cut ? { roundsCut: true } : {}),
  };
}
