import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { ensureProjectDirs, projectPaths } from '../../src/core/project';
import { Store } from '../../src/core/store/store';
import { TempProject, WG_BIN } from '../helpers/wg-cli';

/** `wg list | head`: the reader stops early and closes the pipe; before, `wg` printed Node's EPIPE stack trace. */
describe('a reader that stops early', () => {
  let p: TempProject;

  beforeAll(async () => {
    p = new TempProject();
    const paths = projectPaths(`${p.root}/.workgraph`);
    ensureProjectDirs(paths);
    const store = await Store.open(paths.db);
    // Far more than a pipe holds (64 KB), so wg is still writing when head has gone: long titles, so that few tasks do
    // (2,000 short ones took 20 s to add, past the hook's time on a loaded machine).
    const filler = ' with a title long enough to fill a pipe'.repeat(8);
    await store.core.write(async () => {
      for (let i = 0; i < 500; i++) await store.tasks.add({ id: `t${i}`, title: `Task number ${i}${filler}` }, 'test');
    });
    await store.close();
  });
  afterAll(() => p.remove());

  for (const args of [['list'], ['list', '--json']]) {
    it(`wg ${args.join(' ')} | head -1: no error, exit 0`, async () => {
      const result = await execa('bash', ['-c', 'set -o pipefail; node "$0" "$@" | head -1', WG_BIN, ...args], {
        cwd: p.root,
        env: p.env,
        reject: false,
      });
      expect(result.stderr).toBe('');
      expect(result.exitCode).toBe(0);
      expect(result.stdout.split('\n')).toHaveLength(1);
      // The premise: what wg had to write is more than the pipe holds.
      const whole = await execa('node', [WG_BIN, ...args], { cwd: p.root, env: p.env });
      expect(whole.stdout.length).toBeGreaterThan(128 * 1024);
    });
  }
});
