// When a sweep point stops exchanging: warm-up first (not recorded), then timed samples until both a
// minimum count and a minimum time are reached (tinybench/mitata style), or a time budget is spent
// (at the largest sizes one exchange takes seconds to tens of seconds: five of them would make the
// sweep last most of an hour for figures a second sample barely moves). Pure: it is told each
// exchange's round trip and says what the next exchange is for; the caller does the exchanging.

export interface SamplingRule {
  /** Warm-up lasts until both this many exchanges on the sampled peer at this size (on a fresh peer
   *  the cold first one included; on a kept peer it was on another peer and does not count)... */
  warmupMinCount: number;
  /** ...and this much round-trip time have passed, */
  warmupMinMs: number;
  /** or until this much warm-up time has passed, whatever the count: at large sizes a single
   *  exchange takes longer than the JIT needs to warm up, and every extra one costs seconds. */
  warmupMaxMs: number;
  /** But past that cap warm-up still goes on to this many exchanges on the sampled peer (the cold one
   *  included)... */
  warmupFloorCount?: number;
  /** ...while the warm-up has taken less than this. Absent (results from before it): no floor. */
  warmupFloorMaxMs?: number;
  /** Sampling lasts until both this many samples... */
  minSamples: number;
  /** ...and this much sampled round-trip time (the sum of the samples), */
  minTimeMs: number;
  /** or until this many samples, whatever the time, */
  maxSamples: number;
  /** or until the samples add up to this much, whatever their count (at least one is always taken).
   *  Absent in results from before it existed: no budget then. */
  maxTimeMs?: number;
  /** Sizes below this are sampled on one peer per transport kept across those sizes (run.ts), each
   *  size's cold first exchange still on a fresh peer of its own. Absent (results from before it, and
   *  the sweep's own tests): every point sampled on its fresh peer. */
  keptPeerBelowBytes?: number;
  /** A kept peer warms up until it has made this many exchanges in all, across sizes... */
  keptPeerWarmupCount?: number;
  /** ...or until this much warm-up time has gone into it, across sizes, whatever the count. */
  keptPeerWarmupMaxMs?: number;
  /** Below keptPeerBelowBytes the transports of one size take turns (run.ts), each exchanging for
   *  about this long at a time (at least one exchange). Absent (results from before it, and most of
   *  the sweep's own tests): one transport's point after another. */
  turnSliceMs?: number;
  /** From this size up the peer, too, collects its garbage before each sample (a 'collect' exchange
   *  outside the timed part, measure.ts says why). Absent (results from before it): only the
   *  sweeping process did. */
  peerCollectFromBytes?: number;
  /** From keptPeerBelowBytes up, a size's points run in this many rounds, each on a fresh peer of
   *  its own (rounds.ts says why)... Absent (results from before it, --quick): one. */
  freshPeerRounds?: number;
  /** ...for the transports whose first round's median was under this; the others keep one round. */
  roundsBelowMs?: number;
}

// Why kept peers, and why the warm-up counts exchanges. Measured here, 4 KiB echo, median per 250
// exchanges of a fresh peer: raw-socket 0.15-0.33 ms up to exchange 2,000-2,250 (about 600 ms), then
// 0.06 ms; chunked 0.15-0.31 ms, then 0.09 ms; fork-json 0.11-0.26 ms, easing to 0.09-0.10 ms by
// 3,000. A warm-up bounded by time (300 ms) sampled every small size mid-compilation, and which
// transport looked faster depended on how far each had got. So each transport warms one peer for
// 3,000 exchanges once and keeps it for the small sizes. A warm peer still slows down at each new
// size, while the JIT recompiles for it: raw-socket on one peer, 1 -> 4 -> 16 -> 64 KiB, took 0.14,
// 0.15-0.19 and 0.57-0.74 ms over the first 250-750 exchanges of each new size, then 0.05, 0.05 and
// 0.14 ms (going back to 4 KiB: 0.06 ms at once). Hence at least 1,000 warm-up exchanges per size,
// within the time cap: large sizes end on the cap, where one exchange is long enough for the JIT's
// part not to matter.
const KEPT_PEER = { keptPeerBelowBytes: 1024 * 1024, keptPeerWarmupCount: 3_000 };

// Why turns, at the small sizes. Measured one transport after another, small points still disagreed
// from run to run by more than their spread: the host (a VM on 2 cores) has slow spells of seconds,
// and a transport measured during one looked slower (one --quick run had every transport from
// fork-advanced to chunked 3-5x slower at 1 KiB, one full sweep had chunked at 2.4x fork-json's time
// there). Taking turns in slices of 50 ms, every transport of a size sees the same spells; their kept
// peers are alive anyway. Not from 1 MiB up: each point there has a fresh peer holding hundreds of
// MiB, and with turns the others' big exchanges land between its samples (a full sweep with turns at
// every size had chunked's 64 MiB samples over 41-91 ms, raw-socket's over 44-71 ms).
const TURNS = { turnSliceMs: 50 };
// Why the peer collects too: measure.ts (GC_EACH_SAMPLE_FROM_BYTES).
// Why a floor under the warm-up cap: a fresh peer's first exchanges at a large size are slow while its
// memory settles, even with both sides collecting before each. Measured here, raw-socket and chunked
// side by side, 64 MiB: cold 499-552 ms, then 49-219 ms, up to 148 ms for the next two or three,
// mostly 30-45 ms from about the sixth on; 256 MiB: cold 1.1-2.6 s, then 177-646 ms, then mostly
// 100-250 ms. With the 600 ms cap
// alone, the large points' five samples began at the second or third exchange, and chunked came out
// at 0.74x raw-socket's MB/s at 64 MiB, where 30 exchanges each, side by side, gave 0.9-1.0x. Five
// exchanges, unless they take 3 s: a single slow exchange (seconds) is still the whole warm-up.
const WARMUP_FLOOR = { warmupFloorCount: 5, warmupFloorMaxMs: 3_000 };
const PEER_COLLECT = { peerCollectFromBytes: 1024 * 1024 };
// Why rounds: rounds.ts. Three rounds where one exchange takes under 300 ms (raw-socket and chunked
// at every size up to 256 MiB, about 120-200 ms there pinned); the slower points keep one round, so
// the full sweep stays under 10 minutes.
const ROUNDS = { freshPeerRounds: 3, roundsBelowMs: 300 };

/**
 * The default sweep: at least 1,000 warm-up exchanges and 300 ms, at most 600 ms; then at least 5
 * samples and 200 ms; samples stop after 10 s in all (a 7 s exchange gets 2 samples, a 30 s one gets
 * 1: its point says so in `samples`, and its margin of error is unknown rather than small).
 */
export const DEFAULT_SAMPLING: SamplingRule = {
  warmupMinCount: 1_000,
  warmupMinMs: 300,
  // From about 64 KiB up 1,000 exchanges no longer fit, so this cap is every larger point's warm-up
  // and sets much of the sweep's length: 600 ms kept the full sweep at 9.1 min here (10 is the aim).
  warmupMaxMs: 600,
  minSamples: 5,
  minTimeMs: 200,
  maxSamples: 10_000,
  maxTimeMs: 10_000,
  ...KEPT_PEER,
  keptPeerWarmupMaxMs: 1_500,
  ...TURNS,
  ...PEER_COLLECT,
  ...WARMUP_FLOOR,
  ...ROUNDS,
};

/**
 * --quick: the same shape, smaller minima, so the whole quick sweep stays within a minute; and no
 * turns. A quick point is only a few 50 ms slices long, and with turns two --quick runs from a fresh
 * clone put raw-socket at 1.20x and 1.03x fork-json's time at 4 KiB (every transport 2-3x slower in
 * the first), where the same rule without turns had it faster in three runs of three.
 */
export const QUICK_SAMPLING: SamplingRule = {
  warmupMinCount: 1_000,
  warmupMinMs: 100,
  // The cap, as above: 150 ms kept --quick at 51-57 s here (250 ms: 61-64 s); 59-63 s once the
  // peer collected before each 1 MiB sample, on a day the machine ran 2-3x slower.
  warmupMaxMs: 150,
  minSamples: 3,
  minTimeMs: 50,
  maxSamples: 10_000,
  maxTimeMs: 1_000,
  ...KEPT_PEER,
  keptPeerWarmupMaxMs: 600,
  ...PEER_COLLECT,
  ...WARMUP_FLOOR,
};

/** What the next exchange is for. `cold` is the fresh peer's very first exchange (also warm-up). */
export type ExchangePhase = 'cold' | 'warm-up' | 'sample';

export class Sampler {
  /** The cold first round trip, once it happened. */
  firstRoundTripMs: number | null = null;
  warmupCount = 0;
  readonly samplesMs: number[] = [];
  /** Warm-up round trips added up, the cold one included. */
  warmupMs = 0;
  private sampledMs = 0;

  /**
   * `keptPeer`: the point samples on a kept peer (SamplingRule.keptPeerBelowBytes) that has made
   * `exchanges` exchanges at earlier sizes, `warmupMs` of them warm-up; the cold exchange is on a
   * fresh peer of its own.
   */
  constructor(
    private readonly rule: SamplingRule,
    private readonly keptPeer?: { exchanges: number; warmupMs: number },
  ) {}

  /** The phase of the next exchange, or 'done' when the point has enough samples. */
  next(): ExchangePhase | 'done' {
    if (this.warmupCount === 0) return 'cold';
    if (this.warmingUp()) return 'warm-up';
    const count = this.samplesMs.length;
    const enough = count >= this.rule.minSamples && this.sampledMs >= this.rule.minTimeMs;
    const budgetSpent = count > 0 && this.rule.maxTimeMs !== undefined && this.sampledMs >= this.rule.maxTimeMs;
    return enough || budgetSpent || count >= this.rule.maxSamples ? 'done' : 'sample';
  }

  /** One exchange's round trip, for the phase next() gave. */
  record(roundTripMs: number): void {
    const phase = this.next();
    if (phase === 'done') throw new Error('Sampler.record after done');
    if (phase === 'sample') {
      this.samplesMs.push(roundTripMs);
      this.sampledMs += roundTripMs;
      return;
    }
    if (phase === 'cold') this.firstRoundTripMs = roundTripMs;
    this.warmupCount += 1;
    this.warmupMs += roundTripMs;
  }

  private warmingUp(): boolean {
    if (this.samplesMs.length > 0) return false;
    // The minima hold for the sampled peer at this size: on a kept peer, the cold exchange (on the
    // point's fresh peer) does not count.
    const count = this.keptPeer ? this.warmupCount - 1 : this.warmupCount;
    const ms = this.keptPeer ? this.warmupMs - (this.firstRoundTripMs ?? 0) : this.warmupMs;
    if (this.keptPeer && this.keptPeerCold(count, ms)) return true;
    if (ms >= this.rule.warmupMaxMs) return count < (this.rule.warmupFloorCount ?? 0) && ms < (this.rule.warmupFloorMaxMs ?? 0);
    return count < this.rule.warmupMinCount || ms < this.rule.warmupMinMs;
  }

  /** The kept peer has not yet made its warm-up count in all, nor spent its warm-up time. */
  private keptPeerCold(countHere: number, msHere: number): boolean {
    const exchanges = this.keptPeer!.exchanges + countHere;
    const warmupMs = this.keptPeer!.warmupMs + msHere;
    return exchanges < (this.rule.keptPeerWarmupCount ?? 0) && warmupMs < (this.rule.keptPeerWarmupMaxMs ?? 0);
  }
}
