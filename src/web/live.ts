// `npm run scenario <id> -- --live`: the workshop's page for the one run this command makes. The
// run happens in this process as always; the page only listens (start is refused, stop interrupts
// the run as Ctrl-C would).
import type { Catalog } from './catalog.js';
import { EventHub } from './event-hub.js';
import { newToken } from './security.js';
import { startWorkshopServer, type WorkshopServer } from './server.js';
import type { SessionState } from './session.js';
import type { RunEvent, RunInfo, RunOutcome } from './wire.js';

export interface LiveView {
  server: WorkshopServer;
  onEvent(event: RunEvent): void;
  /** The run ended: the page shows its summary; the server stays up until close(). */
  finish(outcome: RunOutcome): void;
  close(): Promise<void>;
}

export async function startLiveView(options: {
  run: RunInfo;
  catalog: Catalog;
  host: string;
  port: number;
  /** The page's Stop button: interrupt the run. */
  onStop: () => void;
}): Promise<LiveView> {
  const hub = new EventHub();
  const state: SessionState = { current: options.run, finished: [] };
  let stopped = false;
  const server = await startWorkshopServer(
    {
      catalog: options.catalog,
      hub,
      state: () => state,
      start: () => ({
        ok: false,
        status: 409,
        message: 'this page shows one command-line run; start runs from the page of `npm run workshop`',
      }),
      stop: () => {
        if (state.current === null || stopped) return false;
        stopped = true;
        options.onStop();
        return true;
      },
    },
    { host: options.host, port: options.port, token: newToken() },
  );
  hub.publish({ type: 'run-started', run: options.run });
  return {
    server,
    onEvent: (event) => hub.publish({ type: 'run-event', runId: options.run.runId, event }),
    finish: (outcome) => {
      state.current = null;
      state.finished.push({ run: options.run, outcome });
      hub.publish({ type: 'run-ended', run: options.run, outcome });
      hub.flush();
    },
    close: () => server.close(),
  };
}
