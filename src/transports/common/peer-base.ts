import type { ExchangeResult, Job, Payload, PeerOptions, TransportPeer } from '../types.js';
import type { PrivateTempDir } from './temp-dir.js';

/** What a parent-side peer needs from whoever owns its process (ChildOwner) or thread (WorkerOwner). */
export interface PeerOwner {
  readonly pid: number;
  /** Races `work` against the peer's end, a timeout and `signal` (the last two kill the peer). */
  guard<T>(work: Promise<T>, timeoutMs: number, what: string, signal?: AbortSignal): Promise<T>;
  /** Ends the peer and waits until it is gone. Safe to call twice. */
  close(): Promise<void>;
}

/**
 * What every parent-side peer does the same way: its pid, the peak RSS its peer last reported,
 * exchanges bounded by the timeout, one-at-a-time queuing for peers that hold one message at a
 * time, and a close that ends the peer, then removes its temp dir. A transport adds how one
 * exchange runs (`exchange`) and what else it must release (`release`).
 */
export abstract class PeerBase implements TransportPeer {
  readonly pid: number;
  /** Set from each reply or error the peer sends; null until the first. */
  protected lastPeakRssBytes: number | null = null;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    protected readonly owner: PeerOwner,
    protected readonly options: PeerOptions,
    private readonly dir: PrivateTempDir | null = null,
  ) {
    this.pid = owner.pid;
  }

  abstract exchange(job: Job, payload: Payload, signal?: AbortSignal): Promise<ExchangeResult>;

  /**
   * Bounds `work` by the exchange timeout, the peer's end and `signal` (the caller gave up); a
   * timeout or an abort kills the peer, as TransportPeer.exchange promises.
   */
  protected guarded<T>(work: Promise<T>, signal: AbortSignal | undefined, what = `exchange with peer ${this.pid}`): Promise<T> {
    return this.owner.guard(work, this.options.timeoutMs, what, signal);
  }

  /** Starts `exchange` once every earlier one has settled (the peer holds one message at a time). */
  protected oneAtATime<T>(exchange: () => Promise<T>): Promise<T> {
    const result = this.queue.then(exchange);
    this.queue = result.catch(() => undefined);
    return result;
  }

  peerPeakRssBytes(): Promise<number | null> {
    return Promise.resolve(this.lastPeakRssBytes);
  }

  /** Drops what the transport holds besides the peer itself (sockets, servers, pending replies). */
  protected release(): void {}

  async close(): Promise<void> {
    this.release();
    await this.owner.close();
    await this.dir?.remove();
  }
}
