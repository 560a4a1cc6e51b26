import { defineConfig } from 'vitest/config';

// Three projects (`npx vitest run --project unit` for the quick loop):
// - timing: end-to-end files whose assertions bound a delay (a freeze seen as a stall of about 1 s, a
//   cancel within 500 ms, a timeout noticed within its window). They run one at a time, in a group of
//   their own (not beside the others), with the machine to themselves: a second load test beside
//   them would be measured too.
// - unit and e2e, in the other group, two files at a time. unit is pure code (no process, socket or server),
//   so its files share one module graph per worker (isolate: false): a fresh one per file cost about
//   20 s of CPU loading modules for a few seconds of tests (spies, stubbed globals and env are restored
//   after each test by the project's own settings; fake timers by each file).
//   e2e starts real processes, sockets, HTTP servers and browsers, but asserts only on what it
//   checks regardless of speed (results, exit codes, cleanup), and each file watches only its own
//   process tree and its own TMPDIR: most of its time is waiting out short phases, not CPU.
const TIMING = [
  'test/load/driver.test.ts',
  'test/load/capacity.test.ts',
  'test/faults/injectors.test.ts',
  'test/transports/worker-pool.test.ts',
  'test/scenario/events.test.ts',
];
const E2E = [
  'test/cli/{locations,scenario-args}.test.ts',
  'test/commands/node-versions.test.ts',
  'test/faults/{cli,redis-keys,scenario}.test.ts',
  'test/report/{command,generate}.test.ts',
  'test/scenario/{cleanup,concurrency,imports,owner,phase-contains-imports,queue,smoke}.test.ts',
  'test/scripts/on-node.test.ts',
  'test/server/{admission,app,handoff-block,offload,worker-pool}.test.ts',
  'test/sweep/{cli,interrupt,placement,real-sweep,run}.test.ts',
  'test/transports/{failures,registry,round-trip}.test.ts',
  'test/transports/queue/redis.test.ts',
  'test/transports/common/{in-place-link,peak-reset,priority}.test.ts',
  'test/web/{browser,live,workshop}.test.ts',
];
// Two at a time on the 2 cores this suite is sized for, also where there are more.
const SIDE_BY_SIDE = 2;

export default defineConfig({
  test: {
    globalSetup: ['test/setup/private-tmp.ts'],
    // Give end-to-end tests time to clean up.
    testTimeout: 60_000,
    hookTimeout: 30_000,
    projects: [
      { extends: true, test: { name: 'timing', include: TIMING, maxWorkers: 1, sequence: { groupOrder: 0 } } },
      { extends: true, test: { name: 'unit', isolate: false, restoreMocks: true, unstubGlobals: true, unstubEnvs: true, include: ['test/**/*.test.ts'], exclude: [...TIMING, ...E2E], maxWorkers: SIDE_BY_SIDE, sequence: { groupOrder: 1 } } },
      { extends: true, test: { name: 'e2e', include: E2E, maxWorkers: SIDE_BY_SIDE, sequence: { groupOrder: 1 } } },
    ],
  },
});
