// How the sweep's processes get memory for their messages. Every transport allocates a fresh buffer
// per message (the receiver's landing, the reply, JSON's strings), and on this machine (a VM) the
// first touch of a fresh page costs about 12 us per 4 KiB (filling a fresh 64 MiB buffer took
// 190-203 ms, filling it again 3.0-3.5 ms): a 4 MiB echo took 36 ms when every buffer was fresh and
// 3 ms on memory the processes already had. With glibc's defaults, which of the two a sample got
// depended on the allocator's history (whether it had given the last message's pages back to the
// kernel), so a point's samples split into both (4 MiB raw-socket: p10-p90 3.3-19.5 ms) and its
// median picked one by chance: two transports at the same size were compared across modes.
//
// The sweep therefore runs its processes with glibc told to keep what it frees (no mmap of its own,
// no trimming): once V8 has collected a process's earlier messages, the next ones land in memory it
// already has, and the sweep measures the transport. So both processes collect before each large
// sample, the peer by a 'collect' exchange (measure.ts): left to itself a peer collected when its
// own V8 decided (after some 64 MiB of messages), and a sample landed in fresh pages or reused ones
// by chance. What a fresh buffer costs stays in each point's first, cold exchange. Scenarios run
// with glibc's defaults.
//
// GLIBC_TUNABLES is read once, when a process starts: the sweep's own process gets it from whoever
// starts it (npm run sweep, bench, the workshop), and its peers inherit it.

/** glibc malloc: never mmap a chunk (so freeing never unmaps one), never trim the heap's top. */
export const SWEEP_MALLOC_TUNABLES = 'glibc.malloc.mmap_max=0:glibc.malloc.trim_threshold=4294967296';

/** The environment a CLI command runs in: a sweep gets SWEEP_MALLOC_TUNABLES, anything else `env` as is. */
export function commandEnv(args: readonly string[], env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return args[0] === 'sweep' ? { ...env, GLIBC_TUNABLES: SWEEP_MALLOC_TUNABLES } : env;
}

/** Whether this process runs on glibc, the only C library that reads GLIBC_TUNABLES. */
export function onGlibc(): boolean {
  const header = (process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined)?.header;
  return typeof header?.glibcVersionRuntime === 'string';
}

/**
 * What this process was started with, where it took effect (the sweep records it): null means the
 * C library's defaults, also where GLIBC_TUNABLES is set but nothing reads it (macOS, musl).
 */
export function mallocTunablesInEffect(env: NodeJS.ProcessEnv = process.env, glibc: boolean = onGlibc()): string | null {
  const tunables = env.GLIBC_TUNABLES;
  return !glibc || tunables === undefined || tunables === '' ? null : tunables;
}
