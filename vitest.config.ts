import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.{ts,tsx}'],
    exclude: ['test/bench/**', 'node_modules/**'],
    environment: 'node',
    setupFiles: ['test/setup/dom-timeouts.ts'],
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // expect.poll's 1 s default is a figure, not a hang guard: on a loaded 2-core CI machine a
    // window test's focus check failed at 1 s that passed alone. Nothing asserts on time.
    expect: { poll: { timeout: 15_000 } },
  },
});
