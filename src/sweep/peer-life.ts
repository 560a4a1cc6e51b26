import { errorMessage } from '../format/error.js';
import type { PeerOptions, Transport, TransportPeer } from '../transports/types.js';
import { withDeadline } from './deadline.js';

/** How long close() may take before the peer's process is killed outright. */
const CLOSE_DEADLINE_MS = 5_000;

/**
 * Starts a peer within `boundMs`. A start the sweep gave up on (timeout, interrupt) is still closed
 * when it finishes later: no peer is left running.
 */
export async function startPeer(transport: Transport, options: PeerOptions, boundMs: number, signal?: AbortSignal): Promise<TransportPeer> {
  const starting = transport.start(options);
  return withDeadline(starting, boundMs, `${transport.id} start`, signal).catch((error: unknown) => {
    starting.then((late) => closePeer(late), () => undefined);
    throw error;
  });
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
