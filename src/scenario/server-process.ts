import { fork, type ChildProcess } from 'node:child_process';
import { isControlReply, type ControlReply, type ControlRequest } from '../server/control.js';
import { compiledEntry } from '../paths.js';
import type { ServeConfig, ServerMetrics } from '../server/contract.js';

const READY_TIMEOUT_MS = 60_000;
const REPLY_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 15_000;

export class ServerStartError extends Error {
  constructor(
    message: string,
    readonly code?: string,
  ) {
    super(message);
  }
}

/** The scenario's server process, as seen from the runner: owns it, and ends it in stop(). */
export interface ServerProcess {
  port: number;
  pids: number[];
  /** What happened to the processes while running (a worker replaced, the server died, ...). */
  events: string[];
  /** Why the server process ended before stop() was called, or null while it serves. */
  lostReason(): string | null;
  resetMetrics(): Promise<void>;
  collectMetrics(): Promise<ServerMetrics>;
  stop(): Promise<void>;
}

function waitExit(child: ChildProcess, timeoutMs: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/**
 * `interrupted`: the run's abort signal. A Ctrl-C reaches the whole process group, so the server may
 * exit on its own SIGINT before stop() is called: that is the interruption, not a crash.
 */
export async function startServerProcess(
  scenarioId: string,
  config: ServeConfig,
  interrupted?: AbortSignal,
  extraEnv?: NodeJS.ProcessEnv,
): Promise<ServerProcess> {
  const child = fork(compiledEntry('serve-scenario.js'), [scenarioId, JSON.stringify(config)], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    // A secret (the Redis password) goes by environment: the config is on the command line.
    ...(extraEnv && Object.keys(extraEnv).length > 0 ? { env: { ...process.env, ...extraEnv } } : {}),
  });
  const events: string[] = [];
  let nextRequestId = 1;
  let stopping = false;
  let lostReason: string | null = null;
  const waiters = new Map<number, (reply: ControlReply | null) => void>();

  child.on('message', (message: unknown) => {
    if (!isControlReply(message)) return;
    if (message.type === 'event') events.push(message.message);
    if ((message.type === 'metrics' || message.type === 'ack') && waiters.has(message.requestId)) {
      waiters.get(message.requestId)?.(message);
      waiters.delete(message.requestId);
    }
  });
  // Errors of the control channel (EPIPE while the server exits) surface through 'exit' and the
  // send callbacks; without a listener they would crash the runner before it cleans up.
  child.on('error', (error) => events.push(`server process ${child.pid} channel error: ${error.message}`));
  child.on('exit', (code, signal) => {
    if (!stopping && !interrupted?.aborted) {
      lostReason = `server process ${child.pid} exited unexpectedly (${signal ?? `exit code ${code}`})`;
      events.push(lostReason);
    }
    for (const resolve of waiters.values()) resolve(null);
    waiters.clear();
  });

  const stop = async (): Promise<void> => {
    stopping = true;
    // The server may be exiting already (a Ctrl-C reaches the whole process group): then the
    // channel is closing and the send fails; fall back to a signal.
    if (child.connected) child.send({ type: 'shutdown' } satisfies ControlRequest, (error) => error && child.kill('SIGTERM'));
    else child.kill('SIGTERM');
    if (!(await waitExit(child, STOP_TIMEOUT_MS))) {
      child.kill('SIGKILL');
      await waitExit(child, STOP_TIMEOUT_MS);
    }
  };

  const ready = await new Promise<Extract<ControlReply, { type: 'ready' }>>((resolve, reject) => {
    const timer = setTimeout(() => reject(new ServerStartError(`server did not start within ${READY_TIMEOUT_MS} ms`)), READY_TIMEOUT_MS);
    const onMessage = (message: unknown): void => {
      if (!isControlReply(message)) return;
      if (message.type === 'ready') done(() => resolve(message));
      if (message.type === 'failed') done(() => reject(new ServerStartError(message.error, message.code)));
    };
    const onExit = (code: number | null, signal: string | null): void =>
      done(() => reject(new ServerStartError(`server exited while starting (${signal ?? `exit code ${code}`})`)));
    const done = (settle: () => void): void => {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
      settle();
    };
    child.on('message', onMessage);
    child.once('exit', onExit);
  }).catch(async (error: unknown) => {
    await stop();
    throw error;
  });

  const ask = (type: 'reset-metrics' | 'collect-metrics'): Promise<ControlReply | null> =>
    new Promise((resolve) => {
      if (!child.connected) return resolve(null);
      const requestId = nextRequestId++;
      const timer = setTimeout(() => {
        waiters.delete(requestId);
        resolve(null);
      }, REPLY_TIMEOUT_MS);
      waiters.set(requestId, (reply) => {
        clearTimeout(timer);
        resolve(reply);
      });
      child.send({ type, requestId } satisfies ControlRequest, (error) => {
        if (!error) return;
        clearTimeout(timer);
        waiters.delete(requestId);
        resolve(null);
      });
    });

  return {
    port: ready.port,
    pids: ready.pids,
    events,
    lostReason: () => lostReason,
    resetMetrics: async () => {
      await ask('reset-metrics');
    },
    collectMetrics: async () => {
      const reply = await ask('collect-metrics');
      if (reply?.type !== 'metrics') return { eventLoop: {}, admission: {} };
      return { eventLoop: reply.eventLoop, admission: reply.admission, ...(reply.peakRssBytes ? { peakRssBytes: reply.peakRssBytes } : {}) };
    },
    stop,
  };
}
