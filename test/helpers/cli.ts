import { spawn } from 'node:child_process';
import path from 'node:path';
import { projectRoot } from '../../src/paths.js';

export const cliPath = path.join(projectRoot, 'dist', 'src', 'cli.js');

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs the compiled CLI as a user would, bounded by a timeout (SIGKILL after it: never a hang). */
export function runCli(
  args: string[],
  {
    timeoutMs = 60_000,
    onSpawn,
    env,
    user,
  }: { timeoutMs?: number; onSpawn?: (pid: number) => void; env?: NodeJS.ProcessEnv; user?: { uid: number; gid: number } } = {},
): Promise<CliRun> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cliPath, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env }, ...user });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    if (child.pid !== undefined) onSpawn?.(child.pid);
    // A spawn that fails (EACCES, ENOENT) is a result, not an uncaught error and a timed-out test.
    child.on('error', (error) => {
      clearTimeout(timer);
      resolve({ code: null, signal: null, stdout, stderr: stderr + String(error) });
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}
