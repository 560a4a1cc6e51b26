import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';

export const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/**
 * Gives the calling test file a temp directory of its own: os.tmpdir() reads TMPDIR on every call,
 * so the transports' private dirs go there, and the leftover checks see only this file's, never
 * those of another process that uses the shared temp directory at the same time.
 */
export function useOwnTempDir(): void {
  const before = process.env.TMPDIR;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ipc-lab-test-'));
  process.env.TMPDIR = dir;
  afterAll(() => {
    if (before === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = before;
    rmSync(dir, { recursive: true, force: true });
  });
}

/** Our private temp dirs currently in the temp directory. */
export function ourTempDirs(): string[] {
  return readdirSync(os.tmpdir()).filter((name) => name.startsWith('ipc-lab-'));
}

export { isAlive } from '../helpers/processes.js';
