/**
 * The unit layer (`npm run test:unit`) runs in-process only: a test there that starts a child process
 * (a `wg`, git, an agent CLI, a browser) belongs to the integration or browser layer instead. This makes
 * such a start fail at once with a message that says so, rather than letting the quick layer grow slow.
 * Named ESM imports of node:child_process see the change through syncBuiltinESMExports.
 */
import childProcess from 'node:child_process';
import module from 'node:module';
import { KEPT_CHILD_PROCESS } from './no-processes-escape';

const refuse = (name: string) => () => {
  throw new Error(`child_process.${name}: a unit test starts no process; put this file in the integration layer (vitest.config.ts)`);
};
// Kept for the PostgreSQL server the store's tests share (no-processes-escape.ts says why), and nothing else; once
// per process, before the first refusal replaces them (this file runs before each test file).
if (!(KEPT_CHILD_PROCESS in globalThis)) {
  Object.assign(globalThis, { [KEPT_CHILD_PROCESS]: { spawn: childProcess.spawn, spawnSync: childProcess.spawnSync } });
}
for (const name of ['spawn', 'spawnSync', 'exec', 'execSync', 'execFile', 'execFileSync', 'fork'] as const) {
  Object.defineProperty(childProcess, name, { value: refuse(name), configurable: true, writable: true });
}
module.syncBuiltinESMExports();
