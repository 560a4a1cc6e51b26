// How the sweep's processes get memory for their messages. Every transport allocates a fresh buffer
// per message (the receiver's landing, the reply, JSON's strings), and on this machine (a VM) the
// first touch of a fresh page costs about 15 us per 4 KiB: a 4 MiB echo took 36 ms when every
// buffer was fresh and 3 ms on memory the process already had. With glibc's defaults which of the two
// a sample got depended on the allocator's history (whether it had given the last message's pages
// back to the kernel), so a point's samples split into both (4 MiB raw-socket: p10-p90 3.3-19.5 ms)
// and its median picked one at random: two transports at the same size were compared across modes.
// The sweep therefore runs its processes with glibc told to keep what it frees (no mmap of its own,
// no trimming): every sample after the first reuses memory, so the sweep measures the transport.
// What a fresh buffer costs stays in each point's first, cold exchange. Scenarios run with the
// defaults. GLIBC_TUNABLES is read once, when a process starts, so the sweep's own process gets it
// from whoever starts it (npm run sweep, bench, the workshop) and its peers inherit it.

/** glibc malloc: never mmap a chunk (so freeing never unmaps one), never trim the heap's top. */
export const SWEEP_MALLOC_TUNABLES = 'glibc.malloc.mmap_max=0:glibc.malloc.trim_threshold=4294967296';

/** The environment a CLI command runs in: a sweep gets SWEEP_MALLOC_TUNABLES, anything else `env` as is. */
export function commandEnv(args: readonly string[], env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return args[0] === 'sweep' ? { ...env, GLIBC_TUNABLES: SWEEP_MALLOC_TUNABLES } : env;
}

/** What this process was started with (the sweep records it: null means glibc's defaults). */
export function mallocTunablesInEffect(env: NodeJS.ProcessEnv = process.env): string | null {
  const tunables = env.GLIBC_TUNABLES;
  return tunables === undefined || tunables === '' ? null : tunables;
}
