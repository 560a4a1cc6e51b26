import { mkdtempSync, rmSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { registerCleanup } from './cleanup.js';

/**
 * A fresh private directory for socket files: mkdtemp creates it with mode 0700, so no other user
 * can connect to our sockets, and its name is unpredictable (unlike node-ipc's /tmp/app.<id>).
 */
export class PrivateTempDir {
  private removed = false;
  private readonly unregister: () => void;

  private constructor(readonly dir: string) {
    this.unregister = registerCleanup(() => rmSync(dir, { recursive: true, force: true }));
  }

  static create(label: string): PrivateTempDir {
    // Short prefix: Unix socket paths are limited to about 107 bytes.
    return new PrivateTempDir(mkdtempSync(path.join(os.tmpdir(), `ipc-lab-${label}-`)));
  }

  /** Path of a file inside the directory. */
  file(name: string): string {
    return path.join(this.dir, name);
  }

  async remove(): Promise<void> {
    if (this.removed) return;
    this.removed = true;
    this.unregister();
    await rm(this.dir, { recursive: true, force: true });
  }
}
