import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigView } from '../../../src/core/config/config-view';
import { claimTask } from '../../../src/core/runs/claiming/claim';
import { cgroupBase, removeRunCgroup } from '../../../src/core/processes/run-cgroup';
import { runFiles } from '../../../src/core/run-folder/run-files';
import { startProcess, startRun, type Started } from '../../../src/core/runs/starting/start-run';
import { ensureProjectDirs, projectPaths } from '../../../src/core/project';
import { Store } from '../../../src/core/store/store';

const root = realpathSync(mkdtempSync(join(tmpdir(), 'wg-start-run-')));
const paths = projectPaths(join(root, '.workgraph'));
ensureProjectDirs(paths);
process.env.WG_HOME = join(root, '.home');
const store = await Store.open(paths.db);

afterAll(async () => {
  await store.close();
  rmSync(root, { recursive: true, force: true });
});

const git = (...args: string[]) =>
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], { cwd: root, stdio: 'ignore' });

describe('starting a claimed run', () => {
  it('works where its claim planned (the folder its prompt and launch name), even if a repository appeared since', async () => {
    await store.tasks.add({ title: 'where', id: 'where', exec: 'pwd' }, 'test');
    const config = await (await ConfigView.open(paths, {}, () => undefined)).current();
    const claimed = await claimTask(store, paths, config, {
      taskId: 'where',
      byHand: false,
      apiUrl: null,
      apiToken: null,
      hostEnv: process.env,
    });
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
    expect(await store.worktrees.list()).toEqual([]);
  });

  it.skipIf(cgroupBase() === null)(
    "makes its cgroup before it waits for anything (a turn's runs make theirs before the first starts), and removes it when it does not start",
    async () => {
      const tag = `${process.pid}-${Date.now()}`;
      const start = (name: string, cwd: string, startWindowMs?: () => number) =>
        startProcess({
          spec: { kind: 'process', command: '/bin/true', args: [], env: {}, stdin: null, cwd, output: 'plain' },
          files: runFiles(join(root, 'runs', name)),
          runId: `${name}-${tag}`,
          baseEnv: { PATH: process.env.PATH ?? '' },
          env: {},
          noteBaseline: false,
          ...(startWindowMs ? { startWindowMs } : {}),
        });
      const cgroupOf = (name: string) => join(cgroupBase() as string, `wg-run-${name}-${tag}`);
      // Two runs begun in one go, as a turn begins the runs it claimed: both cgroups are there before either starts.
      const starts = [start('first', root), start('second', root)];
      expect([existsSync(cgroupOf('first')), existsSync(cgroupOf('second'))]).toEqual([true, true]);
      expect(existsSync(join(root, 'runs', 'first'))).toBe(false);
      const started: Started[] = await Promise.all(starts);
      for (const run of started) {
        if (run.kind !== 'process') throw new Error(`not started: ${JSON.stringify(run)}`);
        expect(await run.ended).toEqual({ status: 0, signal: null });
        expect(run.cgroup && removeRunCgroup(run.cgroup)).toBe(true);
      }
      // A run that cannot start (no working folder) or may not start now (held) leaves no cgroup behind.
      expect(await start('nowhere', join(root, 'missing'))).toMatchObject({
        kind: 'failed',
        reason: expect.stringMatching(/does not exist/),
      });
      expect(existsSync(cgroupOf('nowhere'))).toBe(false);
      expect(await start('held', root, () => 0)).toEqual({ kind: 'held' });
      expect(existsSync(cgroupOf('held'))).toBe(false);
    },
  );
});
