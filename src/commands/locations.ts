// Output and input locations, checked before anything starts: a results directory that turns out
// to be a file, read-only, or a kernel pseudo-filesystem must be a usage error in the first second,
// not a raw ENOTDIR after minutes of measuring (or a hang: Node 20's recursive mkdir loops forever
// under /proc, so it is never called there).
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { access, mkdir, realpath, rm, rmdir, stat, statfs, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { UsageError } from './usage.js';

/**
 * A file system that answers slower than this is treated as unusable (a hung network mount). Every
 * refusal below is decided by a few stat calls well within it; it is this long only so a busy
 * machine is never mistaken for a hung disk.
 */
export const LOCATION_DEADLINE_MS = 3000;

const PSEUDO_ROOTS = ['/proc', '/sys'];
// statfs magic numbers of kernel pseudo-filesystems (linux/magic.h), for one mounted elsewhere.
const PSEUDO_FS_TYPES = new Map<number, string>([
  [0x9fa0, 'procfs'],
  [0x62656572, 'sysfs'],
  [0x27e0eb, 'cgroup'],
  [0x63677270, 'cgroup2'],
  [0x64626720, 'debugfs'],
  [0x73636673, 'securityfs'],
]);

/** Why a location cannot be used; the caller turns it into one line naming the option. */
class Unusable extends Error {}

const isUnder = (file: string, root: string): boolean => file === root || file.startsWith(`${root}/`);

async function statOrNull(file: string): Promise<Awaited<ReturnType<typeof stat>> | null> {
  try {
    return await stat(file);
  } catch (error: unknown) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return null;
    if (code === 'ENOTDIR') throw new Unusable('a file is in the way on that path');
    throw new Unusable((error as Error).message);
  }
}

/** The path itself when it exists, else its nearest existing ancestor, and what is missing below it. */
async function nearestExisting(target: string): Promise<{ existing: string; missing: string[] }> {
  const missing: string[] = [];
  let current = target;
  for (;;) {
    if ((await statOrNull(current)) !== null) return { existing: current, missing };
    const parent = path.dirname(current);
    if (parent === current) throw new Unusable('no part of the path exists');
    missing.unshift(path.basename(current));
    current = parent;
  }
}

async function refusePseudoFs(existing: string): Promise<void> {
  const real = await realpath(existing);
  if (PSEUDO_ROOTS.some((root) => isUnder(real, root)) || PSEUDO_ROOTS.some((root) => isUnder(path.resolve(existing), root))) {
    throw new Unusable('a kernel pseudo-filesystem');
  }
  const kind = PSEUDO_FS_TYPES.get(Number((await statfs(real)).type));
  if (kind !== undefined) throw new Unusable(`on ${kind}, a kernel pseudo-filesystem`);
}

async function assertWritableDir(dir: string): Promise<void> {
  if (!(await stat(dir)).isDirectory()) throw new Unusable(`${dir} is a file, not a directory`);
  await access(dir, constants.W_OK | constants.X_OK).catch(() => {
    throw new Unusable(`${dir} is not writable`);
  });
}

/** Writes and removes a file in `dir`: permissions say little on a read-only mount or as root. */
async function probeWrite(dir: string): Promise<void> {
  const probe = path.join(dir, `.ipc-lab-probe-${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    await writeFile(probe, '');
  } catch (error: unknown) {
    throw new Unusable(`cannot write there (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  await rm(probe, { force: true });
}

async function checkDir(target: string, mustExist: boolean): Promise<void> {
  const { existing, missing } = await nearestExisting(target);
  await refusePseudoFs(existing);
  if (missing.length === 0) {
    if (!(await stat(target)).isDirectory()) throw new Unusable('a file, not a directory');
  } else if (mustExist) {
    throw new Unusable('no such directory');
  }
  await assertWritableDir(existing);
  // Create what is missing one level at a time (never a recursive mkdir), probe, then remove it
  // again: the run creates it when it writes, and a run that never starts leaves nothing behind.
  const created: string[] = [];
  try {
    let dir = existing;
    for (const name of missing) {
      dir = path.join(dir, name);
      await mkdir(dir).catch((error: unknown) => {
        throw new Unusable(`cannot create ${dir} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
      });
      created.unshift(dir);
    }
    await probeWrite(target);
  } finally {
    for (const dir of created) await rmdir(dir).catch(() => undefined);
  }
}

async function checkFile(target: string): Promise<void> {
  const dir = path.dirname(target);
  const dirStat = await statOrNull(dir);
  if (dirStat === null) throw new Unusable('no such directory');
  if (!dirStat.isDirectory()) throw new Unusable(`${dir} is a file, not a directory`);
  await refusePseudoFs(dir);
  const fileStat = await statOrNull(target);
  if (fileStat?.isDirectory()) throw new Unusable('a directory');
  if (fileStat !== null) {
    if (!fileStat.isFile()) throw new Unusable('not a regular file');
    await access(target, constants.W_OK).catch(() => {
      throw new Unusable('not writable');
    });
  }
  await assertWritableDir(dir);
  await probeWrite(dir);
}

async function withinDeadline(option: string, raw: string, what: string, check: () => Promise<void>): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Unusable(`the file system did not answer within ${LOCATION_DEADLINE_MS} ms`)), LOCATION_DEADLINE_MS);
  });
  try {
    await Promise.race([check(), deadline]);
  } catch (error: unknown) {
    const why = error instanceof Unusable ? error.message : error instanceof Error ? error.message : String(error);
    throw new UsageError(`--${option} must be ${what} (got "${raw}": ${why})`);
  } finally {
    clearTimeout(timer);
  }
}

/** A directory results go into: exists or can be created, writable. Returns it resolved. */
export async function checkOutputDir(option: string, raw: string): Promise<string> {
  const dir = path.resolve(raw);
  await withinDeadline(option, raw, 'a writable directory (existing or creatable)', () => checkDir(dir, false));
  return dir;
}

/** A directory that must exist and be writable (results read from it, charts written into it). */
export async function checkExistingDir(option: string, raw: string): Promise<string> {
  const dir = path.resolve(raw);
  await withinDeadline(option, raw, 'an existing, writable directory', () => checkDir(dir, true));
  return dir;
}

/** A file to (re)write, in an existing writable directory. Returns it resolved. */
export async function checkOutputFile(option: string, raw: string): Promise<string> {
  const file = path.resolve(raw);
  await withinDeadline(option, raw, 'a writable file path in an existing directory', () => checkFile(file));
  return file;
}
