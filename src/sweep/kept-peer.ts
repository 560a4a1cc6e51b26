import type { PeerOptions, Transport, TransportPeer } from '../transports/types.js';
import { closePeer, startPeer } from './peer-life.js';
import type { CpuPlacement } from './placement.js';

/**
 * One transport's peer kept across the small sizes of a sweep (SamplingRule.keptPeerBelowBytes, and
 * sampler.ts for why). Started on first use; the sweep closes it after its last small size, on the
 * transport's first failure, and on interrupt. It counts every exchange it has made and the time it
 * spent warming up, so the sampler knows how warm it is.
 */
export class KeptPeer {
  exchanges = 0;
  /** Of which warm-up, ms: the sampler's bound on warming it (keptPeerWarmupMaxMs) counts across sizes. */
  warmupMs = 0;
  private peer: TransportPeer | null = null;
  private closed = false;

  constructor(
    readonly transport: Transport,
    private readonly options: PeerOptions,
    private readonly placement: CpuPlacement | null = null,
  ) {}

  /** The kept peer, started now if this is its first use. */
  async get(boundMs: number, signal?: AbortSignal): Promise<TransportPeer> {
    if (this.closed) throw new Error(`${this.transport.id}: kept peer used after close`);
    this.peer ??= await startPeer(this.transport, this.options, boundMs, signal, this.placement);
    return this.peer;
  }

  /** Closes it (killing its process if close fails); what went wrong, or null. Safe to call twice. */
  async close(): Promise<string | null> {
    this.closed = true;
    const peer = this.peer;
    this.peer = null;
    return peer ? closePeer(peer) : null;
  }
}
