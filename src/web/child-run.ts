// Runs one command (scenario or sweep) the way a person would type it: the compiled CLI in its own
// process, with --emit-events so its runner's events come back over the IPC channel. The run so
// writes its results file and prints its summary exactly as on the command line, and the workshop's
// web serving never shares an event loop with the load generator being measured.
import { fork, type ChildProcess } from 'node:child_process';
import { commandEnv } from '../sweep/malloc.js';
import { isRunEventMessage, type RunEvent } from './wire.js';

/** After a stop request (SIGINT, as Ctrl-C), how long the run may take to clean up before SIGKILL. */
const STOP_GRACE_MS = 60_000;

export interface ChildRunExit {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface ChildRun {
  pid: number | undefined;
  /** Ask the run to stop as Ctrl-C would: it stops its processes and still writes its results file. */
  stop(): void;
  done: Promise<ChildRunExit>;
}

export function startChildRun(cliPath: string, args: string[], onEvent: (event: RunEvent) => void): ChildRun {
  const child: ChildProcess = fork(cliPath, [...args, '--emit-events'], { stdio: ['ignore', 'pipe', 'pipe', 'ipc'], env: commandEnv(args, process.env) });
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  child.on('message', (message: unknown) => {
    if (isRunEventMessage(message)) onEvent(message.event);
  });
  let killTimer: NodeJS.Timeout | undefined;
  const done = new Promise<ChildRunExit>((resolve) => {
    // 'close' waits for stdout/stderr to end, so the summary is complete.
    child.on('close', (exitCode, signal) => {
      clearTimeout(killTimer);
      resolve({ exitCode, signal, stdout, stderr });
    });
    child.on('error', (error) => {
      stderr += `${error.message}\n`;
    });
  });
  return {
    pid: child.pid,
    stop() {
      if (child.exitCode !== null || child.signalCode !== null || killTimer) return;
      child.kill('SIGINT');
      killTimer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
      killTimer.unref();
    },
    done,
  };
}
