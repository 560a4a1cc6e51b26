// `bench --node 20,22,24`: which Node majors a run measures, and the node binary of each. The binaries
// come from scripts/node-cache.sh (the npm registry's node@<major> in .cache/node/), whose list of
// majors is the same as SUPPORTED_NODE_MAJORS (a test checks).
import { spawn } from 'node:child_process';
import path from 'node:path';
import { projectRoot } from '../paths.js';
import { parseChoiceList } from './usage.js';

export const SUPPORTED_NODE_MAJORS = ['20', '22', '24'] as const;

/** "24,20,24" -> [24, 20]: the order given, each major once; anything else is a usage error (exit 2). */
export function parseNodeMajors(raw: unknown): number[] {
  return parseChoiceList('node', raw, SUPPORTED_NODE_MAJORS).map(Number);
}

export function runningMajor(version: string = process.version): number {
  return Number(/^v?(\d+)\./.exec(version)?.[1]);
}

/**
 * The node binary to run a major on: this process's own when it is that major (no install), else the
 * cached one, installed on first use (node-cache.sh prints its folder; its progress goes to stderr).
 */
export function nodeBinary(major: number, signal?: AbortSignal): Promise<string> {
  if (runningMajor() === major) return Promise.resolve(process.execPath);
  return new Promise((resolve, reject) => {
    // Its own process group, so an abort ends npm too, not only the shell (the script's EXIT trap
    // removes a half-done install).
    const child = spawn('bash', [path.join(projectRoot, 'scripts', 'node-cache.sh'), String(major)], {
      stdio: ['ignore', 'pipe', 'inherit'],
      detached: true,
    });
    const stop = (): void => {
      if (child.pid !== undefined && child.exitCode === null) process.kill(-child.pid, 'SIGTERM');
    };
    signal?.addEventListener('abort', stop, { once: true });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.on('error', (error) => reject(new Error(`node@${major}: scripts/node-cache.sh did not run (${error.message})`)));
    child.on('close', (code, killedBy) => {
      signal?.removeEventListener('abort', stop);
      const dir = stdout.trim();
      if (code === 0 && dir !== '') resolve(path.join(dir, 'node'));
      else reject(new Error(`node@${major}: scripts/node-cache.sh failed (${killedBy ?? `exit code ${code}`}); its message is above`));
    });
  });
}
