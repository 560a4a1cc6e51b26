import { constants } from 'node:os';
import { InterruptedError } from './usage.js';

/** How often the CLI checks that the process that started it is still there. */
const PARENT_POLL_MS = 250;

export interface Interrupt {
  signal: AbortSignal;
  /** Why the run was interrupted, or null while it was not. */
  received: () => InterruptedError | null;
  /** Interrupt as if `signal` had arrived (a live page's Stop button). */
  interrupt: (signal: NodeJS.Signals) => void;
  dispose: () => void;
}

/**
 * Turns SIGINT/SIGTERM, and the end of the process that started this one, into an abort, so the
 * run's finally blocks stop every process it started before the CLI exits. A second signal while
 * cleaning up is ignored until cleanup ends.
 *
 * The parent matters under npm: `npm run scenario` runs `sh -c "node ..."`, and a SIGTERM to npm
 * reaches that shell, which dies without passing it on; the CLI, orphaned, would measure on for
 * the whole run, holding its port. An orphan is re-parented (to init or a subreaper), so a changed
 * parent pid means the owner is gone. Forked children need no poll: their IPC channel disconnects.
 */
export function abortOnSignals(): Interrupt {
  const controller = new AbortController();
  let received: InterruptedError | null = null;
  const interrupt = (reason: InterruptedError): void => {
    if (received) return;
    received = reason;
    controller.abort(reason);
  };
  const onSignal = (signal: NodeJS.Signals): void => interrupt(new InterruptedError(signal));
  const parentPid = process.ppid;
  const watchParent = setInterval(() => {
    if (process.ppid !== parentPid) interrupt(new InterruptedError('SIGHUP', `interrupted: the parent process ${parentPid} ended`));
  }, PARENT_POLL_MS);
  watchParent.unref();
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    signal: controller.signal,
    received: () => received,
    interrupt: onSignal,
    dispose: () => {
      clearInterval(watchParent);
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}

/** The exit code a shell gives a process ended by `signal`: 128 + its number. */
export function signalExitCode(signal: NodeJS.Signals): number {
  return 128 + (constants.signals[signal] ?? 0);
}

/** Resolves on the next SIGINT or SIGTERM (a view that stays up until the user quits). */
export function nextSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const onSignal = (signal: NodeJS.Signals): void => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      resolve(signal);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}
