import { errorMessage } from '../format/error.js';
import type { PeerOptions, Transport, TransportPeer } from '../transports/types.js';
import { SweepInterrupted, withDeadline } from './deadline.js';
import type { CpuPlacement } from './placement.js';

/** How long close() may take before the peer's process is killed outright. */
const CLOSE_DEADLINE_MS = 5_000;

/**
 * Starts a peer within `boundMs`, on the peers' CPU where the sweep places its processes
 * (placement.ts). A start the sweep gave up on (timeout, interrupt) is still closed when it finishes
 * later, and a peer that could not be placed is closed: no peer is left running.
 */
export async function startPeer(
  transport: Transport,
  options: PeerOptions,
  boundMs: number,
  signal?: AbortSignal,
  placement?: CpuPlacement | null,
): Promise<TransportPeer> {
  const threadsBefore = placement?.snapshot();
  const starting = transport.start(options);
  const peer = await withDeadline(starting, boundMs, `${transport.id} start`, signal).catch((error: unknown) => {
    starting.then((late) => closePeer(late), () => undefined);
    throw error;
  });
  if (placement && threadsBefore) {
    try {
      placement.pinPeer(peer, threadsBefore);
    } catch (error: unknown) {
      await closePeer(peer);
      // Ctrl-C reaches the whole process group, taskset included: an interrupt, not the transport's failure.
      if (await interruptedMeanwhile(error, signal)) throw new SweepInterrupted(signal!.reason);
      throw new Error(`${transport.id}: could not place the peer on CPU ${placement.plan.peerCpu}: ${errorMessage(error)}`);
    }
  }
  return peer;
}

/** Closes the peer; if close fails or hangs, kills its process so none is left behind. Returns what went wrong. */
export async function closePeer(peer: TransportPeer): Promise<string | null> {
  try {
    await withDeadline(peer.close(), CLOSE_DEADLINE_MS, 'close');
    return null;
  } catch (error: unknown) {
    if (peer.pid !== process.pid) {
      try {
        process.kill(peer.pid, 'SIGKILL');
      } catch {
        // already gone: nothing left to clean up
      }
    }
    return `close failed: ${errorMessage(error)}`;
  }
}

/** Whether `error` is a command killed by SIGINT/SIGTERM and `signal` aborts within 200 ms (its handler runs after the sync call). */
export async function interruptedMeanwhile(error: unknown, signal: AbortSignal | undefined): Promise<boolean> {
  const killedBy = (error as { signal?: unknown } | null)?.signal;
  if (!signal || (killedBy !== 'SIGINT' && killedBy !== 'SIGTERM')) return false;
  for (let waitedMs = 0; !signal.aborted && waitedMs < 200; waitedMs += 10) await new Promise((resolve) => setTimeout(resolve, 10));
  return signal.aborted;
}
