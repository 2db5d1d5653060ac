import { afterAll } from 'vitest';

/**
 * The unit, integration and browser layers run their files one after another in each worker process
 * (isolate: false in vitest.config.ts; only unit-mocks gives each file a process of its own), so a file's
 * changes to process.env (its WG_HOME, a PATH without git, a fake model's ANTHROPIC_BASE_URL) must not reach
 * the next file: the environment and folder a file started with are put back when it ends. This setup file
 * runs before each file, so `started` is that file's own.
 */
const started = { env: { ...process.env }, cwd: process.cwd() };

afterAll(() => {
  for (const key of Object.keys(process.env)) if (!(key in started.env)) delete process.env[key];
  Object.assign(process.env, started.env);
  if (process.cwd() !== started.cwd) process.chdir(started.cwd);
});
