import { spawn } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import type { Task } from '../../src/shared/task';
import type { WorktreeDetail, WorktreeGcResult, WorktreeInfo } from '../../src/shared/worktree';
import { DEFAULT_SETTINGS } from '../../src/core/config/settings';
import { prepareRunWorktree } from '../../src/core/worktrees/run-worktree';
import { GIT_ENV, GitProject } from './git-project';

Object.assign(process.env, GIT_ENV);
const p = new GitProject('wg-wt-cli-');

beforeAll(async () => {
  await p.init({ 'a.txt': 'a\n', 'shared.txt': 'shared\n' });
});
afterAll(() => p.remove());

const task = (id: string) => p.json<Task>(['show', id]);
const worktrees = () => p.json<WorktreeInfo[]>(['worktree', 'list']);

describe('wg done from an agent in its worktree', () => {
  it('is refused while tracked files are modified but not committed, and merges once they are', async () => {
    const agent = await p.startAgent('feature', 'agent-1');
    p.write('a.txt', 'a, improved\n', agent.path);
    const refused = await p.wg(['done', 'feature'], { cwd: agent.path, env: agent.env });
    expect(refused.exitCode).not.toBe(0);
    expect(refused.stderr).toMatch(/^wg: 1 tracked file in .*agent-1 modified but not committed \(a\.txt\): commit them/);
    expect(refused.stderr.trim().split('\n')).toHaveLength(1);
    expect((await task('feature')).status).toBe('in-progress');

    p.git(['commit', '-q', '-am', 'improve a'], agent.path);
    const before = p.tip();
    await p.ok(['done', 'feature'], { cwd: agent.path, env: agent.env });
    const done = await task('feature');
    expect(done.status).toBe('done');
    expect(done.worktree).toMatchObject({ state: 'merged', merge_commit: p.tip(), branch: 'wg/agent-1/feature' });
    expect(p.git(['log', '-1', '--format=%s'])).toBe('feat: feature (agent-1)\n');
    expect(p.git(['rev-parse', 'main^']).trim()).toBe(before);
    expect(p.read('a.txt')).toBe('a, improved\n');
    expect(await p.ok(['show', 'feature'])).toMatch(new RegExp(`Merge commit +${p.tip()}`));
    expect(done.log.some((l) => l.message.startsWith('Merged wg/agent-1/feature onto main as'))).toBe(true);
  });

  it('refuses a conflict with the files listed and nothing changed on the base; --ignore-unmerged-worktree adds .merge-ID', async () => {
    const one = await p.startAgent('one', 'agent-2');
    const two = await p.startAgent('two', 'agent-3');
    p.write('shared.txt', 'shared, by one\n', one.path);
    p.git(['commit', '-q', '-am', 'one'], one.path);
    p.write('shared.txt', 'shared, by two\n', two.path);
    p.git(['commit', '-q', '-am', 'two'], two.path);
    await p.ok(['done', 'one'], { cwd: one.path, env: one.env });
    const tip = p.tip();
    const refused = await p.wg(['done', 'two'], { cwd: two.path, env: two.env });
    expect(refused.exitCode).not.toBe(0);
    expect(refused.stderr).toMatch(
      /^wg: merging wg\/agent-3\/two onto main conflicts in shared\.txt; nothing changed on main: merge it into your branch/,
    );
    expect(p.tip()).toBe(tip);
    const conflicted = await task('two');
    expect(conflicted.status).toBe('in-progress');
    expect(conflicted.worktree).toMatchObject({ state: 'conflict', conflict_files: ['shared.txt'] });
    expect(await p.ok(['show', 'two'])).toMatch(/Conflicts +shared\.txt/);

    await p.ok(['done', 'two', '--ignore-unmerged-worktree'], { cwd: two.path, env: two.env });
    expect((await task('two')).status).toBe('done');
    expect(p.tip()).toBe(tip);
    const merge = await task('.merge-two');
    expect(merge).toMatchObject({ status: 'open', tags: ['merge'], after: [{ id: 'two', status: 'done' }], title: 'Merge: two' });
    expect(merge.description).toContain('`wg/agent-3/two`');
    expect(merge.description).toContain('- `shared.txt`');
  });
});

describe('wg worktree', () => {
  it('lists worktrees with path, branch, task, agent and state', async () => {
    const live = await p.startAgent('live', 'agent-4');
    p.write('new.txt', 'new and untracked\n', live.path);
    await p.endAgent('agent-1');
    await p.endAgent('agent-2');
    await p.endAgent('agent-3');
    const list = await worktrees();
    const byId = new Map(list.map((w) => [w.id, w]));
    expect(byId.get('agent-1')).toMatchObject({
      status: 'merged',
      task_id: 'feature',
      removable: true,
      path: join(p.dir, '.wg-worktrees', 'agent-1'),
    });
    expect(byId.get('agent-3')).toMatchObject({ status: 'conflict', removable: false });
    expect(byId.get('agent-4')).toMatchObject({
      status: 'active',
      agent_id: 'agent-4',
      branch: 'wg/agent-4/live',
      removable: false,
      keep_reason: 'agent-4 is working in it',
    });
    expect(await p.ok(['worktree', 'list'])).toMatch(/agent-4\s+active\s+live\s+agent-4\s+wg\/agent-4\/live/);
  });

  it('shows a live diff (new files included) and a merged one', async () => {
    const live = await p.json<WorktreeDetail>(['worktree', 'show', 'live']);
    expect(live.diff).toMatchObject({
      kind: 'live',
      head: 'working tree',
      files: [{ path: 'new.txt', added: 1, removed: 0, binary: false }],
    });
    expect(live.diff?.patch).toContain('+new and untracked');
    // The agent's own index was not touched to see it.
    expect(p.git(['status', '--porcelain'], join(p.dir, '.wg-worktrees', 'agent-4'))).toBe('?? new.txt\n');
    const merged = await p.json<WorktreeDetail>(['worktree', 'show', 'agent-1']);
    expect(merged.diff).toMatchObject({
      kind: 'merged',
      head: merged.worktree.merge_commit,
      files: [{ path: 'a.txt', added: 1, removed: 1 }],
    });
    expect(await p.ok(['worktree', 'show', 'feature'])).toContain('+1 -1  a.txt');
  });

  it('gc is a dry run by default; --apply removes only merged worktrees of done tasks; a dirty one survives', async () => {
    await p.endAgent('agent-4');
    // Issue 29 item 4: one worktree state. Its agent gone, an untracked file left: `wg show` says what the
    // list (and the window's Worktrees page and inspector) says, not the record's "active".
    const listed = (await worktrees()).find((w) => w.id === 'agent-4');
    expect(listed).toMatchObject({ status: 'dirty', state: 'active' });
    expect((await task('live')).worktree).toMatchObject({ state: 'active', status: 'dirty' });
    expect(await p.ok(['show', 'live'])).toMatch(/Worktree +\S+agent-4 \(dirty\)/);
    const dry = await p.json<WorktreeGcResult>(['worktree', 'gc']);
    expect(dry.applied).toBe(false);
    expect(dry.removed.map((r) => r.id)).toEqual(['agent-1', 'agent-2']);
    expect(existsSync(join(p.dir, '.wg-worktrees', 'agent-1'))).toBe(true);
    const applied = await p.json<WorktreeGcResult>(['worktree', 'gc', '--apply']);
    expect(applied.removed.map((r) => r.id)).toEqual(['agent-1', 'agent-2']);
    expect(applied.kept).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ id: 'agent-4', reason: '1 uncommitted file' }),
        expect.objectContaining({ id: 'agent-3', reason: expect.stringMatching(/uncommitted|conflicted/) }),
      ]),
    );
    expect(existsSync(join(p.dir, '.wg-worktrees', 'agent-1'))).toBe(false);
    expect(p.branches('wg/agent-1/*')).toEqual([]);
    expect(p.read('new.txt', join(p.dir, '.wg-worktrees', 'agent-4'))).toBe('new and untracked\n');
    // The merge commit stays on the task after its worktree is gone.
    expect((await task('feature')).worktree).toMatchObject({ state: 'removed', merge_commit: expect.stringMatching(/^[0-9a-f]{40}$/) });
  });

  it('remove refuses uncommitted changes without --force, and keeps unmerged commits on a recover/ branch', async () => {
    const path = join(p.dir, '.wg-worktrees', 'agent-4');
    p.git(['add', 'new.txt'], path);
    p.git(['commit', '-q', '-m', 'work to keep'], path);
    p.write('scratch.txt', 'scratch\n', path);
    const refused = await p.wg(['worktree', 'remove', 'agent-4']);
    expect(refused.exitCode).not.toBe(0);
    expect(refused.stderr).toMatch(/uncommitted file\(s\) \(scratch\.txt\); --force removes them/);
    expect(existsSync(path)).toBe(true);
    const head = p.git(['rev-parse', 'wg/agent-4/live']).trim();
    expect(await p.ok(['worktree', 'remove', 'agent-4', '--force'])).toContain('commits are kept on recover/agent-4/live');
    expect(existsSync(path)).toBe(false);
    expect(p.git(['rev-parse', 'recover/agent-4/live']).trim()).toBe(head);
  });

  it('retry --fresh sets the kept worktree aside (its commits on recover/) so the next run starts from the base', async () => {
    const agent = await p.startAgent('again', 'agent-5');
    p.write('try.txt', 'first try\n', agent.path);
    p.git(['add', 'try.txt'], agent.path);
    p.git(['commit', '-q', '-m', 'first try'], agent.path);
    await p.ok(['fail', 'again', '--reason', 'wrong approach']);
    await p.endAgent('agent-5');
    await p.ok(['retry', 'again', '--fresh']);
    expect(existsSync(agent.path)).toBe(false);
    expect(p.branches('recover/agent-5/*')).toEqual(['recover/agent-5/again']);
    const next = await prepareRunWorktree({
      store: await p.store(),
      paths: p.paths,
      settings: { coordinator: DEFAULT_SETTINGS.coordinator },
      taskId: 'again',
      agentId: 'agent-6',
      executorType: 'shell',
      worktree: true,
    });
    expect(next).toMatchObject({ reused: false, branch: 'wg/agent-6/again' });
    expect(existsSync(join(next?.path as string, 'try.txt'))).toBe(false);
  });
});

describe("a run's processes that go on after its row ended (a kill's grace; no coordinator watching)", () => {
  it('keep its worktree: retry --fresh sets it aside, gc leaves it until nothing of the run is left, then removes it', async () => {
    const runId = `still-${process.pid}`;
    const agent = await p.startAgent('still', 'agent-9', runId);
    // The run's process, as the wrapper starts one: a process group of its own, carrying the run's marker.
    const run = spawn('sleep', ['30'], { cwd: agent.path, detached: true, stdio: 'ignore', env: { ...process.env, WG_RUN_ID: runId } });
    const exited = new Promise((resolve) => run.once('exit', resolve));
    try {
      const store = await p.store();
      await store.core.write((rev) => store.agents.setPids([['agent-9', run.pid as number]], rev));
      // The retry ends the run's row; its process goes on, as nothing stops it here.
      await p.ok(['retry', 'still', '--fresh']);
      expect(existsSync(agent.path)).toBe(true);
      expect((await store.worktrees.get('agent-9')).state).toBe('retired');
      expect((await task('still')).log.map((l) => l.message)).toContain(
        `Fresh start: worktree ${agent.path} set aside with the processes of agent-9 still run in it; it stays until you remove it`,
      );
      const kept = await p.json<WorktreeGcResult>(['worktree', 'gc', '--apply']);
      expect(kept.kept).toContainEqual({ id: 'agent-9', path: agent.path, reason: 'agent-9 is working in it' });
      expect(existsSync(agent.path)).toBe(true);
    } finally {
      run.kill('SIGKILL');
      await exited;
    }
    const gone = await p.json<WorktreeGcResult>(['worktree', 'gc', '--apply']);
    expect(gone.removed.map((r) => r.id)).toContain('agent-9');
    expect(existsSync(agent.path)).toBe(false);
  });
});

describe('a worktree with another worktree inside it (Claude Code makes its own under .claude/worktrees/)', () => {
  it('is not removed, even forced: the inner one and its uncommitted work would go with it', async () => {
    const agent = await p.startAgent('nested', 'agent-12');
    const inner = join(agent.path, '.claude', 'worktrees', 'side');
    p.git(['worktree', 'add', '-q', '-b', 'side', inner]);
    p.write('work.txt', 'not committed\n', inner);
    await p.endAgent('agent-12');
    const refused = await p.wg(['worktree', 'remove', 'agent-12', '--force']);
    expect(refused.exitCode).not.toBe(0);
    expect(refused.stderr).toContain(`the worktree ${inner} is inside it (remove that one first: git worktree remove ${inner})`);
    expect(p.read('work.txt', inner)).toBe('not committed\n');
    p.git(['worktree', 'remove', '--force', inner]);
    await p.ok(['worktree', 'remove', 'agent-12', '--force']);
    expect(existsSync(agent.path)).toBe(false);
  });
});

describe('one graph for every worktree of the repository', () => {
  it("wg in a person's own worktree acts on the project's graph, and --worktree runs a task there", async () => {
    const mine = join(p.root, 'my-feature');
    p.git(['worktree', 'add', '-q', '-b', 'my-feature', mine]);
    await p.ok(['add', 'Added from my worktree', '--id', 'from-mine'], { cwd: mine });
    expect((await task('from-mine')).title).toBe('Added from my worktree');
    expect(existsSync(join(mine, '.workgraph'))).toBe(false);
    const listed = await p.json<Task[]>(['list'], { cwd: join(mine) });
    expect(listed.map((t) => t.id)).toContain('feature');

    await p.ok(['add', 'In my worktree', '--id', 'mine', '--worktree', mine]);
    expect((await task('mine')).worktree).toMatchObject({ owner: 'person', path: mine, branch: 'my-feature', state: 'active' });
    const bad = await p.wg(['add', 'Elsewhere', '--worktree', p.root]);
    expect(bad.stderr).toMatch(/^wg: .* is not a worktree of the repository at/);
  });

  it('wg add --worktree on a repository with no commit yet says so, not that there is no repository', async () => {
    const fresh = new GitProject('wg-unborn-');
    onTestFinished(() => fresh.remove());
    fresh.git(['init', '-q', '-b', 'main']);
    await fresh.ok(['init']);
    const refused = await fresh.wg(['add', 'Mine', '--worktree', fresh.dir]);
    expect(refused.exitCode).not.toBe(0);
    expect(refused.stderr).toBe(`wg: ${realpathSync(fresh.dir)} has no commit yet: commit once, then give it with --worktree`);
    expect(await fresh.json<Task[]>(['list'])).toEqual([]);
  });

  it('wg config --worktrees and --base-branch are settings like the others', async () => {
    await p.ok(['config', '--worktrees', 'false', '--base-branch', 'develop']);
    const list = await p.ok(['config', '--list']);
    expect(list).toMatch(/coordinator\.worktrees\s+false\s+\(local\)/);
    expect(list).toMatch(/coordinator\.base_branch\s+develop\s+\(local\)/);
  });
});

describe('retry --fresh in a Node project whose node_modules is not git-ignored', () => {
  const node = new GitProject('wg-wt-fresh-node-');
  afterAll(() => node.remove());

  it("removes the worktree though the app's own node_modules link folder is untracked in it", async () => {
    await node.init({ 'package.json': '{"name":"app"}\n' });
    node.write('node_modules/dep/index.js', 'module.exports = 42;\n');
    const agent = await node.startAgent('fresh', 'agent-1');
    expect(existsSync(join(agent.path, 'node_modules', 'dep'))).toBe(true);
    node.write('work.txt', 'work\n', agent.path);
    node.git(['add', 'work.txt'], agent.path);
    node.git(['commit', '-q', '-m', 'work'], agent.path);
    await node.ok(['fail', 'fresh', '--reason', 'wrong approach']);
    await node.endAgent('agent-1');
    // It said: "… was not removed: … contains modified or untracked files, use --force", and the task stayed failed.
    await node.ok(['retry', 'fresh', '--fresh']);
    expect(existsSync(agent.path)).toBe(false);
    expect(node.branches('recover/agent-1/*')).toEqual(['recover/agent-1/fresh']);
  });
});
