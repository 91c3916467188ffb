import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

// Most files wait on sockets, child processes and backoffs rather than the CPU, so two of them
// share a 2-core machine well (vitest's default there is one worker: cores - 1). The chaos soaks
// are the exception: each drives a synthetic market, an emulator and a live engine for a fixed
// wall time and is judged on what happened in it, so they run alone, after the rest.
const SOLO = ['tests/e2e/soak.test.ts', 'tests/e2e/soak.bybit.test.ts'];

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    projects: [
      {
        extends: true,
        test: {
          name: 'suite',
          include: ['tests/**/*.test.ts'],
          exclude: SOLO,
          maxWorkers: Math.max(2, availableParallelism() - 1),
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          name: 'solo',
          include: SOLO,
          maxWorkers: 1,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
