// Last-resort cleanup: every child process and temp dir this process owns is registered here, so
// SIGINT/SIGTERM or an early exit of the parent never leaves a child or a socket file behind.
// Normal code paths close their resources themselves; this only catches what they could not.

type SyncCleanup = () => void;

const cleanups = new Set<SyncCleanup>();
let installed = false;

function runAll(): void {
  for (const cleanup of [...cleanups]) {
    try {
      cleanup();
    } catch {
      // Best effort: the process is going away, one failing cleanup must not stop the others.
    }
  }
  cleanups.clear();
}

function onSignal(signal: NodeJS.Signals): void {
  runAll();
  process.removeListener(signal, onSignal);
  // Adding a listener replaced Node's default "exit on signal": restore it by re-raising, unless
  // the application installed its own handler (then it decides when to exit).
  if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
}

function install(): void {
  if (installed) return;
  installed = true;
  process.once('exit', runAll);
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
}

/** Registers a synchronous cleanup; returns the function that unregisters it. */
export function registerCleanup(cleanup: SyncCleanup): () => void {
  install();
  cleanups.add(cleanup);
  return () => {
    cleanups.delete(cleanup);
  };
}
