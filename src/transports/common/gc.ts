import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

let collect: (() => void) | undefined;

/**
 * A full garbage collection of this isolate (process, or worker thread). The sweep runs one before
 * each large sample, outside the timed part, on both sides (the peer's through the 'collect' job,
 * jobs.ts): the previous messages (hundreds of MiB at the large sizes) are freed, so they neither
 * count in this sample's RSS nor land as a GC pause inside its round trip, and its buffers reuse
 * memory the process already has (src/sweep/malloc.ts). Processes run plain `node`, so gc is exposed
 * at run time when it was not exposed on the command line.
 */
export function collectGarbage(): void {
  if (!collect) {
    const exposed = (globalThis as { gc?: () => void }).gc;
    if (exposed) collect = exposed;
    else {
      setFlagsFromString('--expose-gc');
      collect = runInNewContext('gc') as () => void;
    }
  }
  collect();
}

/**
 * collectGarbage, then two turns of the event loop before the caller goes on. The sweep times a
 * sample right after its forced GC, and part of that GC's work still ran after it, inside the timed
 * exchange: most likely the second pass of weak callbacks (which frees the last messages' buffers),
 * which V8 leaves to a task that runs once the event loop turns. Logged in one short sweep (Node 20),
 * 8 of 43 samples at 16 MiB (chunked and raw-socket) took over 13 ms, and each had a collection
 * inside it: 6 in the sweeping process (a weak-callback phase of 3.1-8.1 ms), 2 in the peer. With the
 * turns, 1 of 57 took over 13 ms, and its collection was the peer's.
 */
export async function collectGarbageSettled(): Promise<void> {
  collectGarbage();
  for (let turn = 0; turn < 2; turn++) await new Promise<void>((resolve) => setImmediate(resolve));
}
