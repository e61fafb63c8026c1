import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { conditions: ['@frugal/source'] },
  ssr: { resolve: { conditions: ['@frugal/source'] } },
  test: {
    name: '@frugal/active-learning',
    environment: 'node',
    include: ['src/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
