import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Two cores: tests that run load against loopback servers must not fight each other for CPU.
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
  },
});
