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
