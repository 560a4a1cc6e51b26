import { TransportError } from '../types.js';

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

  guard<T>(work: Promise<T>, timeoutMs: number, what: string): Promise<T> {
    work.catch(() => undefined); // its rejection is reported through the race below, or irrelevant
    if (this.endError !== null) return Promise.reject(this.endError);
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        done();
        reject(new TransportError('timeout', `${what}: no answer within ${timeoutMs} ms`));
        this.kill();
      }, timeoutMs);
      const onEnd = (error: TransportError): void => {
        done();
        reject(error);
      };
      const done = (): void => {
        clearTimeout(timer);
        this.pending.delete(onEnd);
      };
      this.pending.add(onEnd);
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
