import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: '@frugal/registry-install',
    environment: 'node',
    include: ['src/**/*.test.js'],
    testTimeout: 600_000,
    hookTimeout: 900_000,
    pool: 'forks',
    // One at a time: both run nx over the whole workspace.
    fileParallelism: false,
  },
});
