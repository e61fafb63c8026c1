import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: '@frugal/build-tools',
    environment: 'node',
    include: ['test/**/*.test.js'],
  },
});
