import { mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';

/**
 * WG_PROF=<folder>: a CPU profile of each test file, written there as the file ends (its path under test/, `/` as `_`).
 * A worker's own profile (`node --cpu-prof`) is written only as it exits, and Vitest kills a worker half a second after
 * asking it to end: most of a layer's workers left none. V8's profiler runs inside the worker instead, from before a
 * file's first test to after its last; what the profiler itself costs shows in the profiles as the native `dispatch`.
 */
const folder = process.env.WG_PROF;
const worker = globalThis as { wgProfiler?: Promise<Session> };

async function profiler(): Promise<Session> {
  worker.wgProfiler ??= (async () => {
    const session = new Session();
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 500 });
    return session;
  })();
  return worker.wgProfiler;
}

if (folder) {
  beforeAll(async () => {
    await (await profiler()).post('Profiler.start');
  });
  afterAll(async () => {
    const { profile } = await (await profiler()).post('Profiler.stop');
    const file = relative(join(import.meta.dirname, '..'), expect.getState().testPath ?? 'unknown').replaceAll('/', '_');
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, `${file}.cpuprofile`), JSON.stringify(profile));
  });
}
