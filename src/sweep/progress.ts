import type { SweepEvent } from './run.js';
import { formatSize } from '../format/numbers.js';

export interface ProgressStream {
  isTTY?: boolean;
  write(text: string): unknown;
}

/**
 * A one-line progress display (transport, size, repeat, time on this point) rewritten in place,
 * refreshed twice a second so a slow exchange visibly ticks. Silent unless the stream is a terminal,
 * so piped output carries nothing extra. Listens to sweep events only; the sweep never prints.
 */
export function createProgress(stream: ProgressStream, now: () => number = Date.now) {
  const active = stream.isTTY === true;
  let label = '';
  let pointStartedMs = now();
  let timer: NodeJS.Timeout | undefined;
  const draw = (): void => {
    const elapsedS = ((now() - pointStartedMs) / 1000).toFixed(1);
    stream.write(`\r\x1b[Ksweep: ${label}  ${elapsedS} s`);
  };
  return {
    onEvent(event: SweepEvent): void {
      if (!active) return;
      if (event.type === 'point-start') {
        if (event.repeat === 0) pointStartedMs = now();
        label = `${event.transport} ${formatSize(event.sizeBytes)} (repeat ${event.repeat + 1}/${event.repeats})`;
        if (!timer) {
          timer = setInterval(draw, 500);
          timer.unref();
        }
        draw();
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
