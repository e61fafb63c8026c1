import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: { name: '@frugal/create-plugin', environment: 'node', include: ['src/**/*.test.js'], testTimeout: 120_000, hookTimeout: 120_000 },
});
