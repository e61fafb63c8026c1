import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: '@frugal/bench',
    environment: 'node',
    include: ['test/**/*.test.js'],
    testTimeout: 300_000,
    pool: 'forks',
  },
});
