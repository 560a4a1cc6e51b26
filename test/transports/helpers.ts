import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import os from 'node:os';

export const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/** Our private temp dirs currently in the temp directory. */
export function ourTempDirs(): string[] {
  return readdirSync(os.tmpdir()).filter((name) => name.startsWith('ipc-lab-'));
}

export { isAlive } from '../helpers/processes.js';
