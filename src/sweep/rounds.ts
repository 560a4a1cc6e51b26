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
 * samples' minimum time shared out among the most rounds a point can run (mostRounds), so the extra
 * rounds cost their peers' start and cold exchange rather than a whole point's time each (three
 * rounds made a full sweep 11.0 min here with each round on the whole rule). A point with fewer
 * rounds (one slow enough for only freshPeerRounds) gets less of those times, which matters little:
 * there an exchange takes 30 ms or more, and the counts end its warm-up and samples. The counts stay
 * per round: each peer still warms up for at least warmupFloorCount exchanges and takes at least
 * minSamples. The samples' budget (maxTimeMs) stays whole: it binds only the slow points, which keep
 * one round (with it shared, fork-json's 64 MiB point got 3 samples instead of 5).
 */
export function roundRule(rule: SamplingRule): SamplingRule {
  const rounds = mostRounds(rule);
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

/** The most rounds any point of a size in rounds runs under this rule. */
export function mostRounds(rule: SamplingRule): number {
  return Math.max(rule.freshPeerRounds ?? 1, rule.fastPeerRounds ?? 1);
}

/**
 * How many rounds a point is due, by its first round's median: fastPeerRounds under
 * fastRoundsBelowMs (either absent: no such tier), else freshPeerRounds under roundsBelowMs (absent:
 * no gate), else one.
 */
export function roundsDue(rule: SamplingRule, first: PointRound): number {
  const median = first.point.roundTripMs?.median;
  if (median === undefined) return 1;
  const fresh = rule.freshPeerRounds ?? 1;
  if (rule.fastPeerRounds !== undefined && rule.fastRoundsBelowMs !== undefined && median < rule.fastRoundsBelowMs) {
    return Math.max(rule.fastPeerRounds, fresh);
  }
  return median < (rule.roundsBelowMs ?? Infinity) ? fresh : 1;
}

/** Whether a point whose rounds so far are these gets another (the rule's rounds and gates). */
export function wantsAnotherRound(rule: SamplingRule, rounds: readonly PointRound[]): boolean {
  const first = rounds[0];
  if (!first || rounds.some((round) => round.point.state !== 'ok')) return false;
  return rounds.length < roundsDue(rule, first);
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
