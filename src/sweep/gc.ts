import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

let collect: (() => void) | undefined;

/**
 * A full garbage collection before each measured exchange, outside the timed part, so the previous
 * transport's garbage (hundreds of MiB at the large sizes) neither counts in this exchange's sender
 * RSS nor lands as a GC pause inside its round trip. `npm run sweep` runs plain `node`, so expose gc
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
