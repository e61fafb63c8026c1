import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { conditions: ['@frugal/source'] },
  ssr: { resolve: { conditions: ['@frugal/source'] } },
  test: {
    name: '@frugal/models-mobilenet',
    environment: 'node',
    include: ['src/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // The files share their worker's modules (each is loaded once, not once a file): the tests hold
    // no state between files, and pass in any order of them.
    isolate: false,
  },
});
