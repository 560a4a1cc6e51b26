import { TransportError } from '../transports/types.js';

/** The sweep was told to stop (SIGINT/SIGTERM): not a result, so runSweep rethrows it. */
export class SweepInterrupted extends Error {
  /** The abort reason (the CLI's InterruptedError names the signal), rethrown once results are written. */
  constructor(readonly reason?: unknown) {
    super('sweep interrupted');
    this.name = 'SweepInterrupted';
  }
}

/**
 * Settles like `promise`, or rejects with a TransportError('timeout') after `ms`, or with
 * SweepInterrupted when `signal` aborts. The sweep's own bound, so a transport that never answers
 * (and never times itself out) still ends as a `timeout` instead of hanging the whole sweep.
 */
export async function withDeadline<T>(promise: Promise<T>, ms: number, what: string, signal?: AbortSignal): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  const bound = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new TransportError('timeout', `${what}: no answer within ${ms} ms`)), ms);
    onAbort = () => reject(new SweepInterrupted(signal?.reason));
    if (signal?.aborted) onAbort();
    else signal?.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([promise, bound]);
  } finally {
    clearTimeout(timer);
    if (onAbort) signal?.removeEventListener('abort', onAbort);
  }
}
