import { mkdtempSync, rmSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { registerCleanup } from './cleanup.js';

/**
 * A fresh private directory for socket files: mkdtemp creates it with mode 0700, so no other user
 * can connect to our sockets, and its name is unpredictable (unlike node-ipc's /tmp/app.<id>).
 */
/** sun_path is 108 bytes on Linux, with the terminating NUL. */
const MAX_SOCKET_PATH_BYTES = 107;

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

  /**
   * Path of a Unix socket inside the directory. A socket path has at most 107 bytes: Node 22 and 24
   * refuse a longer one with a bare EINVAL (Node 20's libuv cut it short silently), so say why here.
   */
  socket(name: string): string {
    const socketPath = this.file(name);
    const bytes = Buffer.byteLength(socketPath);
    if (bytes > MAX_SOCKET_PATH_BYTES) {
      throw new Error(`socket path ${socketPath} is ${bytes} bytes, above the ${MAX_SOCKET_PATH_BYTES} a Unix socket path may have: set TMPDIR to a shorter directory`);
    }
    return socketPath;
  }

  /** `make()`'s value; if it throws, the directory is removed first (nothing is in it yet). */
  async removedIfThrows<T>(make: () => T): Promise<T> {
    try {
      return make();
    } catch (error) {
      await this.remove();
      throw error;
    }
  }

  async remove(): Promise<void> {
    if (this.removed) return;
    this.removed = true;
    this.unregister();
    await rm(this.dir, { recursive: true, force: true });
  }
}
