// The CLI side of the workshop's IPC: a run started by the workshop (`--emit-events`) forwards its
// runner's events to the parent process. Sends are asynchronous; flush() before the CLI exits so the
// last events (an import ending, the server stopping) are not lost with the process.
import type { RunEvent, RunEventMessage } from './wire.js';

export interface ParentForwarder {
  send(event: RunEvent): void;
  flush(): Promise<void>;
}

/** null when this process has no IPC channel to a parent (not started by the workshop). */
export function forwardToParent(): ParentForwarder | null {
  if (typeof process.send !== 'function') return null;
  const pending = new Set<Promise<void>>();
  return {
    send(event) {
      if (!process.connected) return;
      const sent = new Promise<void>((resolve) => {
        // A parent that went away is not this run's failure: drop the event.
        process.send?.({ type: 'ipc-lab:run-event', event } satisfies RunEventMessage, undefined, {}, () => resolve());
      });
      pending.add(sent);
      void sent.then(() => pending.delete(sent));
    },
    async flush() {
      await Promise.all([...pending]);
    },
  };
}
