import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/setup/private-tmp.ts'],
    // End-to-end tests fork real processes and drive real HTTP load: run files one at a time so
    // two load tests never compete for the 2 cores, and give them time to clean up.
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 30_000,
  },
});
