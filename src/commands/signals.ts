import { InterruptedError } from './usage.js';

/**
 * Turns SIGINT/SIGTERM into an abort, so the run's finally blocks stop every process it started
 * before the CLI exits. A second signal while cleaning up is ignored until cleanup ends.
 */
export function abortOnSignals(): { signal: AbortSignal; received: () => NodeJS.Signals | null; dispose: () => void } {
  const controller = new AbortController();
  let received: NodeJS.Signals | null = null;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (received) return;
    received = signal;
    controller.abort(new InterruptedError(signal));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    signal: controller.signal,
    received: () => received,
    dispose: () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}
