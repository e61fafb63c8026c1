import { defineConfig } from 'vitest/config';

export default defineConfig({
  // Examples run on the packages' sources, like every package's tests.
  resolve: { conditions: ['@frugal/source'] },
  ssr: { resolve: { conditions: ['@frugal/source'] } },
  test: {
    name: '@frugal/docs',
    environment: 'node',
    include: ['examples/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 240_000,
    pool: 'forks',
    // Two cores: one file at a time.
    fileParallelism: false,
  },
});
