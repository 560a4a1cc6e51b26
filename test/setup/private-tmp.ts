import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

// Every test run gets its own temp directory (TMPDIR, inherited by the test workers and every
// process they start): tests that check "no ipc-lab-* temp dir left" then see only their own,
// not those of another run on the same machine. Its name does not start with ipc-lab-.
// Each vitest project runs this setup: the first one makes the directory, the others reuse it (a
// second one would be made inside the first, and the run's socket paths would grow).
const OWNED = 'IPC_LAB_TEST_TMPDIR';

export default function setup(): () => void {
  if (process.env[OWNED] !== undefined && process.env[OWNED] === process.env.TMPDIR) return () => undefined;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'vitest-ipc-lab-'));
  // Traversable like /tmp itself, so a test can run the CLI as another user (the location checks do,
  // as `nobody`); every temp dir the code makes in it is a mkdtemp of its own, private to its owner.
  chmodSync(dir, 0o755);
  process.env.TMPDIR = dir;
  process.env[OWNED] = dir;
  return () => rmSync(dir, { recursive: true, force: true });
}
