import { formatSize } from '../format/numbers.js';
import type { SweepEvent } from './run.js';

export interface ProgressStream {
  isTTY?: boolean;
  write(text: string): unknown;
}

/**
 * A one-line progress display (transport, size, phase and sample count, time on this point)
 * rewritten in place twice a second, so a slow exchange visibly ticks and thousands of fast ones
 * cost no terminal writes. Silent unless the stream is a terminal, so piped output carries nothing
 * extra. Listens to sweep events only; the sweep never prints.
 */
export function createProgress(stream: ProgressStream, now: () => number = Date.now) {
  const active = stream.isTTY === true;
  let label = '';
  let phase = '';
  let pointStartedMs = now();
  let timer: NodeJS.Timeout | undefined;
  const draw = (): void => {
    const elapsedS = ((now() - pointStartedMs) / 1000).toFixed(1);
    stream.write(`\r\x1b[Ksweep: ${label}${phase ? ` (${phase})` : ''}  ${elapsedS} s`);
  };
  return {
    onEvent(event: SweepEvent): void {
      if (!active) return;
      if (event.type === 'point-start') {
        pointStartedMs = now();
        label = `${event.transport} ${formatSize(event.sizeBytes)}`;
        phase = '';
        if (!timer) {
          timer = setInterval(draw, 500);
          timer.unref();
        }
        draw();
      } else if (event.type === 'exchange') {
        // The transports of a size take turns (run.ts): the line follows whichever is exchanging.
        label = `${event.transport} ${formatSize(event.sizeBytes)}`;
        phase = event.phase === 'sample' ? `sample ${event.samples + 1}` : event.phase;
      }
    },
    /** Clears the line; call before printing the summary. */
    done(): void {
      if (timer) clearInterval(timer);
      timer = undefined;
      if (active) stream.write('\r\x1b[K');
    },
  };
}
