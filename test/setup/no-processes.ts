/**
 * The unit layer (`npm run test:unit`) runs in-process only: a test there that starts a child process
 * (a `wg`, git, an agent CLI, a browser) belongs to the integration or browser layer instead. This makes
 * such a start fail at once with a message that says so, rather than letting the quick layer grow slow.
 * Named ESM imports of node:child_process see the change through syncBuiltinESMExports.
 */
import childProcess from 'node:child_process';
import module from 'node:module';

const refuse = (name: string) => () => {
  throw new Error(`child_process.${name}: a unit test starts no process; put this file in the integration layer (vitest.config.ts)`);
};
for (const name of ['spawn', 'spawnSync', 'exec', 'execSync', 'execFile', 'execFileSync', 'fork'] as const) {
  Object.defineProperty(childProcess, name, { value: refuse(name), configurable: true, writable: true });
}
module.syncBuiltinESMExports();
