import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../src/core/config/settings';
import { newRun } from '../../src/core/store/agent-records';
import { prepareRunWorktree, type RunWorktree } from '../../src/core/worktrees/run-worktree';
import type { WorktreeGcResult } from '../../src/shared/worktree';
import { GIT_ENV, GitProject } from '../worktrees/git-project';

/*
 * `wg retry` and the task's worktree, against upstream's own cases (graphwork/workgraph src/commands/retry.rs
 * `mod tests`), each named in its `it`; the rest of retry.rs's are in retry.test.ts. A process test because git
 * is one. Upstream's cleanup-pending marker has no counterpart: here the worktree's record says whether a sweep
 * may take it.
 */

Object.assign(process.env, GIT_ENV);
const p = new GitProject('wg-retry-wt-');

beforeAll(async () => {
  await p.init({ 'seed.txt': 'seed' });
});
afterAll(() => p.remove());

/** The next run of the task, as the coordinator prepares its worktree. */
const nextRun = async (taskId: string, agentId: string): Promise<RunWorktree | null> =>
  prepareRunWorktree({
    store: await p.store(),
    paths: p.paths,
    settings: { coordinator: DEFAULT_SETTINGS.coordinator },
    taskId,
    agentId,
    executorType: 'shell',
    worktree: true,
  });

/** A prior run of the task that worked in its worktree and failed: claimed, run, worktree, failed, ended. */
async function failedRun(taskId: string, agentId: string): Promise<string> {
  await p.ok(['add', `Task ${taskId}`, '--id', taskId]);
  const store = await p.store();
  const run = { task_id: taskId, executor: 'shell', model: null, model_source: null, runs_elsewhere: false, output_path: null };
  await store.core.write((rev) => store.agents.insert(newRun(agentId, run, store.core.nowIso(), rev), null));
  await p.ok(['claim', taskId, '--agent', agentId]);
  const worktree = await nextRun(taskId, agentId);
  if (!worktree) throw new Error('no worktree');
  p.write('wip.txt', 'uncommitted-wip', worktree.path);
  await p.ok(['fail', taskId, '--reason', 'first try failed']);
  await store.core.write((rev) =>
    store.agents.end(agentId, { state: 'failed', ended_at: store.core.nowIso(), exit_code: 1, reason: null }, rev),
  );
  return worktree.path;
}

describe("wg retry and the task's worktree (upstream retry.rs)", () => {
  it('test_retry_reuses_existing_worktree_by_default: the worktree, its branch and uncommitted work stay for the next run', async () => {
    const path = await failedRun('retry-here', 'agent-1');
    await p.ok(['retry', 'retry-here']);
    expect(existsSync(join(path, 'wip.txt'))).toBe(true);
    expect(p.branches('wg/agent-1/retry-here')).toEqual(['wg/agent-1/retry-here']);
    // No sweep takes it before the next run does.
    const swept = await p.json<WorktreeGcResult>(['worktree', 'gc', '--apply']);
    expect(swept.removed.map((r) => r.id)).not.toContain('agent-1');
    expect(existsSync(join(path, 'wip.txt'))).toBe(true);
    expect(await nextRun('retry-here', 'agent-2')).toMatchObject({ path, branch: 'wg/agent-1/retry-here', reused: true });
  });

  it('test_retry_fresh_flag_allocates_new_worktree: the worktree is removed, its branch with it, and the next run starts anew', async () => {
    const path = await failedRun('retry-fresh', 'agent-3');
    p.git(['add', 'wip.txt'], path);
    p.git(['commit', '-q', '-m', 'first try'], path);
    await p.ok(['retry', 'retry-fresh', '--fresh']);
    expect(existsSync(path)).toBe(false);
    expect(p.branches('wg/agent-3/retry-fresh')).toEqual([]);
    // Its commits are not lost, as upstream's are: they are kept on a recover/ branch (docs/guide.md).
    expect(p.branches('recover/agent-3/*')).toEqual(['recover/agent-3/retry-fresh']);
    const next = await nextRun('retry-fresh', 'agent-4');
    expect(next).toMatchObject({ reused: false, branch: 'wg/agent-4/retry-fresh' });
    expect(existsSync(join(next?.path ?? '', 'wip.txt'))).toBe(false);
  });
});
