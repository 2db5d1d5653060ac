import { chmodSync, existsSync, lstatSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../src/core/config/settings';
import { projectPaths } from '../../src/core/project';
import { Store } from '../../src/core/store/store';
import { prepareRunWorktree, type RunRequest } from '../../src/core/worktrees/run-worktree';
import { keepAgentWork } from '../../src/core/worktrees/keep-work';
import { GIT_ENV, GitProject } from './git-project';

Object.assign(process.env, GIT_ENV);
const p = new GitProject('wg-run-wt-');
let store: Store;

beforeAll(async () => {
  await p.init({ 'src/app.txt': 'one\n', '.gitignore': 'ignored/\n' });
  store = await p.store();
  for (const id of ['t1', 't2', 't3', 't4']) await p.ok(['add', `Task ${id}`, '--id', id]);
});
afterAll(() => p.remove());

const request = (taskId: string, agentId: string, coordinator: Partial<RunRequest['settings']['coordinator']> = {}): RunRequest => ({
  store,
  paths: p.paths,
  settings: { coordinator: { ...DEFAULT_SETTINGS.coordinator, ...coordinator } },
  taskId,
  agentId,
  executorType: 'shell',
  // A shell command runs in the project folder unless its profile asks for a worktree: these ask.
  worktree: true,
});

describe('a run in its own worktree', () => {
  it('makes .wg-worktrees/<agent>/ on wg/<agent>/<task> from the tip of the checked-out branch, ignored by git', async () => {
    const wt = await prepareRunWorktree(request('t1', 'agent-1'));
    expect(wt).toMatchObject({ path: join(p.dir, '.wg-worktrees', 'agent-1'), branch: 'wg/agent-1/t1', baseBranch: 'main', reused: false });
    expect(wt?.env).toEqual({ WG_WORKTREE_PATH: wt?.path, WG_BRANCH: 'wg/agent-1/t1', WG_PROJECT_ROOT: p.dir });
    expect(p.git(['rev-parse', 'wg/agent-1/t1']).trim()).toBe(p.tip());
    expect(p.read('src/app.txt', wt?.path)).toBe('one\n');
    // .wg-worktrees/ is in the repository's info/exclude, never the person's .gitignore.
    expect(readFileSync(join(p.dir, '.git', 'info', 'exclude'), 'utf8')).toContain('.wg-worktrees/');
    expect(p.read('.gitignore')).toBe('ignored/\n');
    expect(p.git(['status', '--porcelain', '--untracked-files=all'])).not.toContain('.wg-worktrees');
    expect((await store.get('t1')).worktree).toMatchObject({ id: 'agent-1', branch: 'wg/agent-1/t1', state: 'active', owner: 'agent' });
  });

  it("reuses the task's worktree on a retry, with its commits and uncommitted work", async () => {
    const first = await prepareRunWorktree(request('t1', 'agent-1'));
    const path = first?.path as string;
    p.write('done.txt', 'committed\n', path);
    p.git(['add', 'done.txt'], path);
    p.git(['commit', '-q', '-m', 'work'], path);
    p.write('wip.txt', 'not yet committed\n', path);
    const retry = await prepareRunWorktree(request('t1', 'agent-5'));
    expect(retry).toMatchObject({ path, branch: 'wg/agent-1/t1', reused: true });
    expect(p.read('wip.txt', path)).toBe('not yet committed\n');
    expect((await store.worktrees.get('agent-1')).agent_id).toBe('agent-5');
  });

  it('checks a kept worktree out again when its folder was deleted but its branch survives', async () => {
    const path = join(p.dir, '.wg-worktrees', 'agent-1');
    rmSync(path, { recursive: true, force: true });
    const again = await prepareRunWorktree(request('t1', 'agent-6'));
    expect(again?.path).toBe(path);
    expect(p.read('done.txt', path)).toBe('committed\n');
  });

  it('starts from [coordinator] base_branch when set', async () => {
    p.git(['branch', 'develop']);
    p.git(['commit', '-q', '--allow-empty', '-m', 'main moves on']);
    const wt = await prepareRunWorktree(request('t2', 'agent-2', { base_branch: 'develop' }));
    expect(wt?.baseBranch).toBe('develop');
    expect(p.git(['rev-parse', 'wg/agent-2/t2']).trim()).toBe(p.tip('develop'));
  });

  it('runs .workgraph/worktree-setup.sh with the worktree and the project folder; what it makes is not "uncommitted work"', async () => {
    const script = join(p.paths.dir, 'worktree-setup.sh');
    writeFileSync(script, 'echo "$1|$2|$WG_TASK_ID" > "$1/setup-ran"\nln -s "$2/src" "$1/linked"\n');
    chmodSync(script, 0o755);
    try {
      const wt = await prepareRunWorktree(request('t3', 'agent-3'));
      expect(p.read('setup-ran', wt?.path)).toBe(`${wt?.path}|${p.dir}|t3\n`);
      expect((await store.worktrees.get('agent-3')).setup_files.sort()).toEqual(['linked', 'setup-ran']);
    } finally {
      rmSync(script);
    }
  });

  it("fails the run with the setup script's output when it fails, and leaves no worktree behind", async () => {
    const script = join(p.paths.dir, 'worktree-setup.sh');
    writeFileSync(script, 'echo "cannot link node_modules" >&2\nexit 3\n');
    try {
      await expect(prepareRunWorktree(request('t4', 'agent-4'))).rejects.toThrow(/worktree-setup\.sh exited 3: cannot link node_modules/);
      expect(existsSync(join(p.dir, '.wg-worktrees', 'agent-4'))).toBe(false);
      expect(p.branches('wg/agent-4/*')).toEqual([]);
      expect((await store.get('t4')).worktree).toBeNull();
    } finally {
      rmSync(script);
    }
  });

  it('never reuses or replaces a folder or branch that is already there', async () => {
    p.write('keep.txt', "someone's\n", join(p.dir, '.wg-worktrees', 'agent-7'));
    await expect(prepareRunWorktree(request('t4', 'agent-7'))).rejects.toThrow(/already exists/);
    expect(p.read('keep.txt', join(p.dir, '.wg-worktrees', 'agent-7'))).toBe("someone's\n");
  });

  it('repairs a worktree recorded but never made (a crash in between): the next run starts afresh', async () => {
    await p.ok(['add', 'Task t5', '--id', 't5']);
    await store.core.write((rev) =>
      store.worktrees.insert(
        {
          id: 'agent-10',
          task_id: 't5',
          agent_id: 'agent-10',
          path: join(p.dir, '.wg-worktrees', 'agent-10'),
          branch: 'wg/agent-10/t5',
          base_branch: 'main',
          base_commit: p.tip(),
          owner: 'agent',
        },
        rev,
      ),
    );
    const wt = await prepareRunWorktree(request('t5', 'agent-11'));
    expect(wt).toMatchObject({ id: 'agent-11', reused: false, branch: 'wg/agent-11/t5' });
    expect((await store.worktrees.get('agent-10')).state).toBe('removed');
  });

  it("keeps a dead agent's unmerged commits on recover/<agent>/<task>, once", async () => {
    const wt = await prepareRunWorktree(request('t5', 'agent-11'));
    p.write('kept.txt', 'work\n', wt?.path);
    p.git(['add', 'kept.txt'], wt?.path);
    p.git(['commit', '-q', '-m', 'work'], wt?.path);
    expect(await keepAgentWork({ store, paths: p.paths }, 'agent-11')).toBe('recover/agent-11/t5');
    expect(p.git(['rev-parse', 'recover/agent-11/t5']).trim()).toBe(p.git(['rev-parse', 'wg/agent-11/t5']).trim());
    expect(await keepAgentWork({ store, paths: p.paths }, 'agent-11')).toBe('recover/agent-11/t5');
    expect(
      (await store.get('t5')).log.filter((l) =>
        /^Commits on wg\/\S+ not on \S+ kept on recover\/agent-11\/t5 as the run of agent-11 ended/.test(l.message),
      ),
    ).toHaveLength(1);
    // Nothing of its own: nothing to keep.
    expect(await keepAgentWork({ store, paths: p.paths }, 'agent-2')).toBeNull();
  });

  it('says once, in the log, what a run that ended left modified and not committed', async () => {
    const wt = await prepareRunWorktree(request('t5', 'agent-11'));
    p.write('src/app.txt', 'half-done edit\n', wt?.path);
    await keepAgentWork({ store, paths: p.paths }, 'agent-11');
    await keepAgentWork({ store, paths: p.paths }, 'agent-11');
    expect(
      (await store.get('t5')).log.filter((l) => l.message.startsWith('The run of agent-11 ended leaving')).map((l) => l.message),
    ).toEqual([
      `The run of agent-11 ended leaving tracked files modified but not committed in ${wt?.path} (src/app.txt): a retry commits them on its branch and goes on from them; drop them first (git checkout -- FILE) if they should not be kept`,
    ]);
    // The retry resumes in the worktree with them committed: nothing there is a change it did not make.
    const retry = await prepareRunWorktree(request('t5', 'agent-12'));
    expect(retry).toMatchObject({ reused: true, path: wt?.path });
    expect(p.git(['status', '--porcelain'], wt?.path)).toBe('');
    expect(p.git(['log', '-1', '--format=%s'], wt?.path).trim()).toBe('wg: changes agent-11 left uncommitted, kept for agent-12');
    expect(p.git(['show', 'HEAD:src/app.txt'], wt?.path)).toBe('half-done edit\n');
    expect((await store.get('t5')).log.map((l) => l.message)).toContain(
      `Committed the tracked files agent-11 left modified on wg/agent-11/t5 (src/app.txt), so the run of agent-12 starts from them and its work can merge`,
    );
  });

  it('leaves uncommitted what a merge an earlier run left under way holds, conflict markers and all, and says why', async () => {
    await store.tasks.add({ title: 'merging', id: 't9' }, 'user');
    const wt = await prepareRunWorktree(request('t9', 'agent-20'));
    const path = wt?.path as string;
    p.write('clash.txt', 'base\n');
    p.git(['add', 'clash.txt']);
    p.git(['commit', '-qm', 'clash.txt on main']);
    p.write('clash.txt', 'the agent\n', path);
    p.git(['add', 'clash.txt'], path);
    p.git(['commit', '-qm', 'the agent adds clash.txt'], path);
    // The agent did as a conflict tells it: merged the base in, and was killed with the conflict open.
    expect(p.gitFails(['merge', 'main'], path)).not.toBe(0);
    const head = p.git(['rev-parse', 'HEAD'], path).trim();
    await prepareRunWorktree(request('t9', 'agent-21'));
    expect(p.git(['rev-parse', 'HEAD'], path).trim()).toBe(head);
    expect((await store.get('t9')).log.map((l) => l.message)).toContain(
      `The tracked files agent-20 left modified in ${path} (clash.txt) are left as they are for the run of agent-21: a merge is under way there, which only its own end may commit`,
    );
  });

  it('gives http, external and manual runs none, a shell command none unless its profile asks, an agent one unless its profile declines, and none when worktrees are off', async () => {
    expect(await prepareRunWorktree({ ...request('t4', 'agent-8'), worktree: undefined })).toBeNull();
    expect(await prepareRunWorktree({ ...request('t4', 'agent-8'), executorType: 'claude', worktree: false })).toBeNull();
    expect(await prepareRunWorktree({ ...request('t4', 'agent-8'), executorType: 'http' })).toBeNull();
    expect(await prepareRunWorktree({ ...request('t4', 'agent-8'), executorType: 'external' })).toBeNull();
    expect(await prepareRunWorktree({ ...request('t4', 'agent-8'), executorType: 'manual' })).toBeNull();
    expect(await prepareRunWorktree(request('t4', 'agent-8', { worktrees: false }))).toBeNull();
  });

  it('fails with the reason on a detached HEAD (no base branch) instead of running in the shared folder', async () => {
    p.git(['checkout', '-q', '--detach']);
    try {
      await expect(prepareRunWorktree(request('t4', 'agent-9'))).rejects.toThrow(/detached HEAD.*base_branch/);
    } finally {
      p.git(['checkout', '-q', 'main']);
    }
  });
});

describe('a project folder that is not a git repository', () => {
  const root = mkdtempSync(join(tmpdir(), 'wg-norepo-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('runs agents in the folder by default, and fails them with the reason when worktrees are turned on', async () => {
    const paths = projectPaths(join(root, '.workgraph'));
    const plain = await Store.open(join(root, 'graph.db'));
    await plain.tasks.add({ title: 'x', id: 'x' }, 'user');
    const base = { store: plain, paths, taskId: 'x', agentId: 'agent-1', executorType: 'claude' as const };
    try {
      expect(await prepareRunWorktree({ ...base, settings: { coordinator: DEFAULT_SETTINGS.coordinator } })).toBeNull();
      await expect(
        prepareRunWorktree({ ...base, settings: { coordinator: { ...DEFAULT_SETTINGS.coordinator, worktrees: true } } }),
      ).rejects.toThrow(/not a git repository/);
    } finally {
      await plain.close();
    }
  });
});

describe("a Node project's worktree, with no setup script", () => {
  const node = new GitProject('wg-node-wt-');
  afterAll(() => node.remove());

  it("links the project's node_modules at the same place in the worktree (the documented default), not counted as work", async () => {
    await node.init({ 'package.json': '{"name":"app","scripts":{"test":"node test.js"}}\n', '.gitignore': 'node_modules/\n' });
    node.write('node_modules/dep/index.js', 'module.exports = 42;\n');
    await node.ok(['add', 'Write code', '--id', 'code']);
    const nodeStore = await node.store();
    const wt = await prepareRunWorktree({
      store: nodeStore,
      paths: node.paths,
      settings: { coordinator: DEFAULT_SETTINGS.coordinator },
      taskId: 'code',
      agentId: 'agent-1',
      executorType: 'claude',
    });
    const modules = join(wt?.path ?? '', 'node_modules');
    expect(lstatSync(join(modules, 'dep')).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(modules, 'dep', 'index.js'), 'utf8')).toBe('module.exports = 42;\n');
    // A real folder, so `node_modules/` in .gitignore keeps it out of git: nothing an agent could commit.
    expect(node.git(['status', '--porcelain'], wt?.path)).toBe('');
    expect((await nodeStore.worktrees.get('agent-1')).setup_files).toEqual([]);
  });
});
