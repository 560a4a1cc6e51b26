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
 * sample right after its forced GC, and V8 leaves part of a full GC (the second pass of weak
 * callbacks, which frees the last messages' buffers) to a task that runs once the event loop turns:
 * with the timer started at once, that task ran inside the timed exchange. Logged in one short sweep
 * (Node 20): each of the 8 samples of 43 at 16 MiB (chunked and raw-socket) that took over 13 ms had
 * a collection inside it, 6 of them this one of the sweeping process (3.1-8.1 ms); with the turns,
 * 1 of 57 took over 13 ms, and it had a GC of the peer inside.
 */
export async function collectGarbageSettled(): Promise<void> {
  collectGarbage();
  for (let turn = 0; turn < 2; turn++) await new Promise<void>((resolve) => setImmediate(resolve));
}
