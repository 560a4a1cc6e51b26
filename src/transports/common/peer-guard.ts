import { TransportError } from '../types.js';

function abortReason(signal: AbortSignal | undefined): string {
  const reason: unknown = signal?.reason;
  return reason instanceof Error ? reason.message : String(reason ?? 'aborted');
}

/**
 * Bounds exchanges with one peer (process or worker): each guarded exchange rejects on timeout
 * (and the peer is killed: a peer stuck mid-message cannot be trusted with the next one), and
 * every pending exchange rejects at once when the peer ends.
 */
export class PeerGuard {
  private endError: TransportError | null = null;
  private readonly pending = new Set<(error: TransportError) => void>();

  constructor(private readonly kill: () => void) {}

  /** The first end (crash, kill, close) wins; every pending exchange rejects with it. */
  fail(error: TransportError): void {
    if (this.endError === null) this.endError = error;
    for (const reject of [...this.pending]) reject(this.endError);
    this.pending.clear();
  }

  /** Why the peer is no longer usable, or null while it is alive. */
  get ended(): TransportError | null {
    return this.endError;
  }

  /** Races `work` against the peer's end, a timeout and `signal`; the last two kill the peer. */
  guard<T>(work: Promise<T>, timeoutMs: number, what: string, signal?: AbortSignal): Promise<T> {
    work.catch(() => undefined); // its rejection is reported through the race below, or irrelevant
    if (this.endError !== null) return Promise.reject(this.endError);
    return new Promise<T>((resolve, reject) => {
      const stop = (error: TransportError): void => {
        done();
        reject(error);
        this.kill();
      };
      const timer = setTimeout(() => stop(new TransportError('timeout', `${what}: no answer within ${timeoutMs} ms`)), timeoutMs);
      const onAbort = (): void => stop(new TransportError('cancelled', `${what}: cancelled (${abortReason(signal)})`));
      const onEnd = (error: TransportError): void => {
        done();
        reject(error);
      };
      const done = (): void => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        this.pending.delete(onEnd);
      };
      this.pending.add(onEnd);
      if (signal?.aborted) return onAbort();
      signal?.addEventListener('abort', onAbort, { once: true });
      work.then(
        (value) => {
          done();
          resolve(value);
        },
        (error: unknown) => {
          done();
          reject(error);
        },
      );
    });
  }
}
