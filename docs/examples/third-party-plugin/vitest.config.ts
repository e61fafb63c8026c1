import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: '@acme/frugal-plugin-example',
    environment: 'node',
    include: ['src/**/*.test.ts'],
    testTimeout: 60_000,
    pool: 'forks',
  },
});
