import { execFileSync } from 'node:child_process';
import os from 'node:os';
import { projectRoot } from '../paths.js';
import type { Env } from './schema.js';

function gitCommit(): string | null {
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], { cwd: projectRoot, stdio: ['ignore', 'pipe', 'ignore'] })
      .toString()
      .trim();
  } catch {
    return null; // not a git checkout (e.g. an unpacked tarball): record that we do not know
  }
}

export function captureEnv(): Env {
  const cpus = os.cpus();
  return {
    node: process.version,
    v8: process.versions.v8,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    cores: os.availableParallelism(),
    memoryBytes: os.totalmem(),
    gitCommit: gitCommit(),
  };
}
