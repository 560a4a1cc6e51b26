// Debian's Chromium, driven by playwright-core (which never downloads a browser of its own here).
// Found through IPC_LAB_CHROMIUM or `chromium` on PATH. Without it the browser tests are skipped with
// the reason printed, except under CI=true, where a missing browser fails them.
import { accessSync, constants } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { projectRoot } from '../../src/paths.js';

// Without the background-networking flags Chromium opens connections of its own (updates, sync,
// field trials) that are refused many at a time on a machine without internet.
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

function executable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The browser to drive, or why there is none. */
export function findChromium(): { path: string } | { missing: string } {
  const fromEnv = process.env.IPC_LAB_CHROMIUM;
  if (fromEnv) return executable(fromEnv) ? { path: fromEnv } : { missing: `IPC_LAB_CHROMIUM=${fromEnv} is not an executable file` };
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (dir !== '' && executable(path.join(dir, 'chromium'))) return { path: path.join(dir, 'chromium') };
  }
  return { missing: 'no `chromium` on PATH and IPC_LAB_CHROMIUM is not set (Debian: apt-get install -y chromium)' };
}

export const browserTestsRequired = process.env.CI === 'true';

/**
 * Whether to run the browser tests; prints the reason when not. Under CI=true a missing browser is
 * not a skip: the tests run and fail on it.
 */
export function chromiumOrSkip(): string | null {
  const found = findChromium();
  if ('path' in found) return found.path;
  if (browserTestsRequired) return null;
  process.stderr.write(`browser tests skipped: ${found.missing}\n`);
  return null;
}

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

/** A fresh browser profile per launch (its own temp dir, removed on close). */
export async function launchChromium(options: { offline?: boolean } = {}): Promise<Browser> {
  const found = findChromium();
  if ('missing' in found) throw new Error(`Chromium is required here (CI=true): ${found.missing}`);
  const userDataDir = await mkdtemp(path.join(os.tmpdir(), 'ipc-lab-chromium-'));
  try {
    const context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: found.path,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 1400, height: 1000 },
      offline: options.offline ?? false,
      timeout: 30_000,
    });
    return {
      context,
      close: async () => {
        await context.close();
        await rm(userDataDir, { recursive: true, force: true });
      },
    };
  } catch (error: unknown) {
    await rm(userDataDir, { recursive: true, force: true });
    throw error;
  }
}

/** Screenshots are test artefacts: .tmp/screenshots/ (git-ignored), kept for a person to look at. */
export const SCREENSHOT_DIR = path.join(projectRoot, '.tmp', 'screenshots');
