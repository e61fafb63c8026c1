import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { conditions: ['@frugal/source'] },
  ssr: { resolve: { conditions: ['@frugal/source'] } },
  test: {
    name: '@frugal/augment',
    environment: 'node',
    include: ['src/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // One TensorFlow.js import per worker instead of per file: the op tests are many and small.
    isolate: false,
  },
});
