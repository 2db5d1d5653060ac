import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigView } from '../../../src/core/config/config-view';
import { claimTask } from '../../../src/core/runs/claiming/claim';
import { startRun } from '../../../src/core/runs/starting/start-run';
import { ensureProjectDirs, projectPaths } from '../../../src/core/project';
import { Store } from '../../../src/core/store/store';

const root = realpathSync(mkdtempSync(join(tmpdir(), 'wg-start-run-')));
const paths = projectPaths(join(root, '.workgraph'));
ensureProjectDirs(paths);
process.env.WG_HOME = join(root, '.home');
const store = new Store(paths.db);

afterAll(() => {
  store.close();
  rmSync(root, { recursive: true, force: true });
});

const git = (...args: string[]) =>
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], { cwd: root, stdio: 'ignore' });

describe('starting a claimed run', () => {
  it('works where its claim planned (the folder its prompt and launch name), even if a repository appeared since', async () => {
    store.tasks.add({ title: 'where', id: 'where', exec: 'pwd' }, 'test');
    const config = new ConfigView(paths, {}, () => undefined).current();
    const claimed = claimTask(store, paths, config, { taskId: 'where', byHand: false, apiUrl: null, apiToken: null, hostEnv: process.env });
    expect(claimed.folder).toEqual({ cwd: root, worktree: null });
    // Between the claim and the start the folder becomes a repository a worktree could be made from.
    git('init', '-q');
    git('commit', '-q', '--allow-empty', '-m', 'first');
    const started = await startRun(claimed, {
      paths,
      store,
      settings: config.settings,
      baseEnv: { PATH: process.env.PATH ?? '' },
      wgBinDir: '',
      apiUrl: null,
      apiToken: null,
    });
    if (started.kind !== 'process') throw new Error(`not started: ${JSON.stringify(started)}`);
    expect(await started.ended).toMatchObject({ status: 0 });
    expect(readFileSync(claimed.files.stdout, 'utf8')).toBe(`${root}\n`);
    expect(store.worktrees.list()).toEqual([]);
  });
});
