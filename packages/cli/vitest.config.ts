import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { conditions: ['@frugal/source'] },
  ssr: { resolve: { conditions: ['@frugal/source'] } },
  test: {
    name: '@frugal/cli',
    environment: 'node',
    include: ['src/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // The end-to-end tests mostly wait on the CLI processes they start: a test file a core (vitest's
    // default leaves one core out) keeps every core busy.
    maxWorkers: availableParallelism(),
    // Those processes run two or more at a time: each takes one native thread, as `frugal ladder
    // --jobs 2` gives each rung on two cores (a second thread idles in a crowd: a ladder took 22%
    // more CPU time on two threads). The tests of thread counts pass --threads or a recipe's threads.
    env: { FRUGAL_NUM_THREADS: '1' },
  },
});
