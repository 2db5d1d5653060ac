import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgentState } from '../../src/shared/agent';
import { DEFAULT_SETTINGS } from '../../src/core/config/settings';
import { collectWorktreeGarbage } from '../../src/core/cleanup/worktree-gc';
import { newRun } from '../../src/core/store/agent-records';
import { removeTasks } from '../../src/core/store/task-removal';
import { prepareRunWorktree } from '../../src/core/worktrees/run-worktree';
import { GIT_ENV, GitProject } from './git-project';

/**
 * `wg gc --worktrees`, ported from upstream's worktree gc (its `mod tests`, named in each title):
 * the `agent-*` folders under `.wg-worktrees/`, each classed by upstream's gates, a dry run unless
 * --apply. Here a removal keeps unmerged commits on a recover/ branch, as every removal does.
 */
Object.assign(process.env, GIT_ENV);
const p = new GitProject('wg-gc-wt-');

beforeAll(async () => {
  await p.init({ 'a.txt': 'a\n' });
});
afterAll(() => p.remove());

/** A run of `task` as `agentId` with its worktree, then left in `agentState` with the task `status`. */
async function worktreeOf(task: string, agentId: string, status: string, agentState: AgentState = 'done'): Promise<string> {
  const store = await p.store();
  await store.importJsonl(JSON.stringify({ kind: 'task', id: task, title: task, status: 'open' }));
  await store.core.write(async (rev) => {
    await store.agents.insert(
      newRun(
        agentId,
        { task_id: task, executor: 'shell', model: null, model_source: null, runs_elsewhere: false, output_path: null },
        store.core.nowIso(),
        rev,
      ),
      null,
    );
  });
  const wt = await prepareRunWorktree({
    store,
    paths: p.paths,
    settings: { coordinator: DEFAULT_SETTINGS.coordinator },
    taskId: task,
    agentId,
    executorType: 'claude',
  });
  if (!wt) throw new Error('no worktree');
  await store.importJsonl(JSON.stringify({ kind: 'task', id: task, title: task, status }));
  if (agentState !== 'working') {
    await store.core.write((rev) =>
      store.agents.end(agentId, { state: agentState, ended_at: store.core.nowIso(), exit_code: 0, reason: null }, rev),
    );
  }
  return wt.path;
}

const plan = async (selfAgent: string | null = null) =>
  collectWorktreeGarbage({ store: await p.store(), paths: p.paths }, { apply: false, force: false, selfAgent, actor: 'user' });
const classOf = async (agentId: string, selfAgent: string | null = null) =>
  (await plan(selfAgent)).worktrees.find((w) => w.agent_id === agentId);

describe('wg gc --worktrees', () => {
  it('worktree_gc_no_worktrees_dir and worktree_gc_empty_worktrees_dir', async () => {
    expect(await plan()).toMatchObject({ exists: false, worktrees: [], dir: join(p.dir, '.wg-worktrees') });
    expect(await p.ok(['gc', '--worktrees'])).toBe(`No worktrees directory found at ${join(p.dir, '.wg-worktrees')}`);
    mkdirSync(join(p.dir, '.wg-worktrees'));
    expect(await plan()).toMatchObject({ exists: true, worktrees: [] });
    expect(await p.ok(['gc', '--worktrees'])).toBe(`No worktrees found under ${join(p.dir, '.wg-worktrees')}`);
  });

  it('worktree_gc_skips_in_progress (its agent gone, the task still in progress)', async () => {
    await worktreeOf('t-open', 'agent-1', 'in-progress', 'dead');
    expect(await classOf('agent-1')).toMatchObject({ class: 'skip', reason: "task 't-open' is non-terminal (in-progress)" });
  });

  it('worktree_gc_removes_terminal', async () => {
    await worktreeOf('t-done', 'agent-42', 'done');
    expect(await classOf('agent-42')).toMatchObject({ class: 'safe', reason: 'agent_status=done task=t-done task_status=done' });
  });

  it('worktree_gc_skips_waiting_task / worktree_gc_skips_blocked_task / worktree_gc_skips_pending_validation', async () => {
    await worktreeOf('t-wait', 'agent-2', 'waiting');
    await worktreeOf('t-blocked', 'agent-3', 'blocked');
    await worktreeOf('t-pv', 'agent-4', 'pending-validation');
    for (const id of ['agent-2', 'agent-3', 'agent-4']) expect((await classOf(id))?.class).toBe('skip');
  });

  it('worktree_gc_removes_failed_and_abandoned_tasks', async () => {
    await worktreeOf('t-failed', 'agent-5', 'failed', 'failed');
    await worktreeOf('t-abandon', 'agent-6', 'abandoned', 'dead');
    expect((await classOf('agent-5'))?.class).toBe('safe');
    expect((await classOf('agent-6'))?.class).toBe('safe');
  });

  it('worktree_gc_skips_self_agent', async () => {
    expect(await classOf('agent-42', 'agent-42')).toMatchObject({ class: 'skip', reason: 'this is the currently running agent' });
  });

  it('a live agent’s worktree is never touched', async () => {
    await worktreeOf('t-live', 'agent-7', 'in-progress', 'working');
    expect(await classOf('agent-7')).toMatchObject({ class: 'skip', reason: 'live agent (agent-7 is working in it)' });
  });

  it('worktree_gc_skips_missing_registry_entry and worktree_gc_ignores_non_agent_directories', async () => {
    mkdirSync(join(p.dir, '.wg-worktrees', 'agent-ghost'));
    mkdirSync(join(p.dir, '.wg-worktrees', 'some-random-dir'));
    writeFileSync(join(p.dir, '.wg-worktrees', '.merge-lock'), '');
    expect(await classOf('agent-ghost')).toMatchObject({ class: 'skip', reason: 'no registry entry — conservative skip' });
    expect((await plan()).worktrees.map((w) => w.agent_id)).not.toContain('some-random-dir');
  });

  it('worktree_gc_removes_when_task_missing_from_graph', async () => {
    await worktreeOf('t-gone', 'agent-8', 'done');
    const store = await p.store();
    await store.core.write((rev) => removeTasks(store.core, ['t-gone'], rev));
    expect(await classOf('agent-8')).toMatchObject({
      class: 'safe',
      reason: 'agent_status=done task=t-gone task_status=missing-from-graph',
    });
  });

  it('uncommitted changes are kept unless --force; --apply removes the safe ones, and unmerged commits go to recover/', async () => {
    const dirty = await worktreeOf('t-dirty', 'agent-9', 'done');
    writeFileSync(join(dirty, 'wip.txt'), 'half done\n');
    const committed = await worktreeOf('t-committed', 'agent-10', 'failed', 'failed');
    writeFileSync(join(committed, 'b.txt'), 'b\n');
    p.git(['add', 'b.txt'], committed);
    p.git(['commit', '-q', '-m', 'b'], committed);
    expect(await classOf('agent-9')).toMatchObject({
      class: 'uncommitted',
      reason: 'uncommitted changes present (use --force to discard)',
    });
    // The dry run changed nothing.
    expect(existsSync(join(p.dir, '.wg-worktrees', 'agent-42'))).toBe(true);
    const applied = await collectWorktreeGarbage(
      { store: await p.store(), paths: p.paths },
      { apply: true, force: false, selfAgent: null, actor: 'user' },
    );
    const removed = applied.worktrees.filter((w) => w.removed).map((w) => w.agent_id);
    expect(removed).toEqual(expect.arrayContaining(['agent-42', 'agent-5', 'agent-6', 'agent-10']));
    expect(removed).not.toContain('agent-9');
    expect(existsSync(join(p.dir, '.wg-worktrees', 'agent-9', 'wip.txt'))).toBe(true);
    expect(applied.worktrees.find((w) => w.agent_id === 'agent-10')?.recover_branch).toBe('recover/agent-10/t-committed');
    expect(p.branches('recover/agent-10/*')).toEqual(['recover/agent-10/t-committed']);
    const forced = await collectWorktreeGarbage(
      { store: await p.store(), paths: p.paths },
      { apply: true, force: true, selfAgent: null, actor: 'user' },
    );
    expect(forced.worktrees.find((w) => w.agent_id === 'agent-9')).toMatchObject({ class: 'force', removed: true });
    expect(existsSync(join(p.dir, '.wg-worktrees', 'agent-9'))).toBe(false);
  });

  it('commits made on a detached HEAD in the worktree are kept on recover/ when it is removed (they are on no branch)', async () => {
    const wt = await worktreeOf('t-detached', 'agent-11', 'done');
    p.git(['checkout', '-q', '--detach'], wt);
    writeFileSync(join(wt, 'detached.txt'), 'work\n');
    p.git(['add', 'detached.txt'], wt);
    p.git(['commit', '-q', '-m', 'detached work'], wt);
    const head = p.git(['rev-parse', 'HEAD'], wt).trim();
    const applied = await collectWorktreeGarbage(
      { store: await p.store(), paths: p.paths },
      { apply: true, force: false, selfAgent: null, actor: 'user' },
    );
    expect(applied.worktrees.find((w) => w.agent_id === 'agent-11')).toMatchObject({
      removed: true,
      recover_branch: 'recover/agent-11/t-detached',
    });
    expect(p.git(['rev-parse', 'recover/agent-11/t-detached']).trim()).toBe(head);
  });

  it('prints upstream’s summary and the dry run’s last line', async () => {
    const out = await p.ok(['gc', '--worktrees']);
    expect(out).toMatch(
      /^Scanned \d+ worktree\(s\) under .*\.wg-worktrees:\n {2}\d+ safe to remove\n {2}\d+ uncommitted \(skipped unless --force\)\n {2}\d+ hard-skipped\n/,
    );
    expect(out).toMatch(/\[skip\] {9}agent-ghost — no registry entry — conservative skip/);
    expect(out).toMatch(/\nDry-run: \d+ worktree\(s\) would be removed\. Re-run with --apply to execute\.$/);
  });
});
