import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../src/core/config/settings';
import { PASSED_LINE, recordEvaluatorTrouble } from '../../src/core/agency/evaluation/gate-writes';
import { settleEvaluation } from '../../src/core/agency/evaluation/settle-evaluation';
import { taskDiff } from '../../src/core/agency/evaluation/task-diff';
import { mergeAfterExit } from '../../src/core/worktrees/merge-after-exit';
import { worktreeForDone } from '../../src/core/worktrees/merge-on-done';
import { prepareRunWorktree } from '../../src/core/worktrees/run-worktree';
import { collectWorktrees, sweepWorktrees } from '../../src/core/worktrees/sweep';
import { GIT_ENV, GitProject } from './git-project';

Object.assign(process.env, GIT_ENV);
const p = new GitProject('wg-evaluated-merge-');
const GATE = { threshold: 0.7, maxRescues: 3 };
const always = async () => true;
let seq = 0;

beforeAll(async () => {
  await p.init({ 'shared.txt': 'base\n' });
});
afterAll(() => p.remove());

const scope = async () => ({ store: await p.store(), paths: p.paths });
const score = (value: number, notes = 'notes') => ({ score: value, dimensions: {}, notes, evaluator: 'test', source: 'manual' });

/** A run of the task in its worktree (the kept one on a retry) that writes a file and commits it. */
async function runOnce(taskId: string, agentId: string, file: string, text: string) {
  await (await p.store()).tasks.claim(taskId, agentId, 'test');
  const wt = await prepareRunWorktree({
    store: await p.store(),
    paths: p.paths,
    settings: { coordinator: DEFAULT_SETTINGS.coordinator },
    taskId,
    agentId,
    executorType: 'shell',
    // A shell command runs in the project folder unless its profile asks for a worktree: these ask.
    worktree: true,
  });
  if (!wt) throw new Error('no worktree');
  p.write(file, text, wt.path);
  p.git(['add', '-A'], wt.path);
  p.git(['commit', '-q', '-m', `${text.trim()} by ${agentId}`], wt.path);
  return wt;
}

/** A task whose agent committed `file` in its worktree and exited 0 under the evaluation gate: pending-eval. */
async function pendingWork(file?: string, text = 'work\n') {
  seq++;
  const taskId = `task-${seq}`;
  await p.ok(['add', `Task ${seq}`, '--id', taskId]);
  const wt = await runOnce(taskId, `agent-${seq}`, file ?? `${taskId}.txt`, text);
  const after = await mergeAfterExit(await scope(), taskId, `agent-${seq}`, always);
  expect(after.kind).toBe('done');
  return { taskId, wt };
}

const messages = async (taskId: string) => (await (await p.store()).get(taskId)).log.map((l) => l.message);

/**
 * With worktrees and the evaluation gate both on, only work that passed reaches the base branch: the
 * agent's done (here its exit 0 without one, the same rule) checks the merge and waits; a passing score
 * makes it; a failing one keeps the worktree for the next attempt and changes nothing on main.
 */
describe('merging only work that passed the evaluation', () => {
  it('waits in pending-eval with the merge checked, not made, and the sweep keeps the worktree', async () => {
    const before = p.tip();
    const { taskId, wt } = await pendingWork();
    expect((await (await p.store()).get(taskId)).status).toBe('pending-eval');
    expect(p.tip()).toBe(before);
    expect((await (await p.store()).get(taskId)).worktree).toMatchObject({ state: 'awaiting-eval', merge_commit: null });
    expect(await messages(taskId)).toContain(
      `Merge checked: ${wt.branch} merges cleanly onto main; it is merged only once the evaluation passes`,
    );
    await sweepWorktrees(await scope());
    const gc = await collectWorktrees(await scope(), { apply: true, actor: 'test' });
    expect(gc.kept.find((k) => k.path === wt.path)?.reason).toBe('its work awaits evaluation');
    expect((await (await p.store()).worktrees.get(wt.id)).state).toBe('awaiting-eval');
  });

  it('still refuses, at a done the gate will evaluate, uncommitted tracked files and a merge that conflicts, changing nothing on main', async () => {
    seq++;
    const taskId = `task-${seq}`;
    await p.ok(['add', `Task ${seq}`, '--id', taskId]);
    const wt = await runOnce(taskId, `agent-${seq}`, 'shared.txt', 'from the worktree\n');
    const done = async () =>
      worktreeForDone(await scope(), await (await p.store()).get(taskId), `agent-${seq}`, false, `agent-${seq}`, true);
    p.write('shared.txt', 'not committed\n', wt.path);
    await expect(done()).rejects.toThrow(/modified but not committed \(shared\.txt\)/);
    p.git(['checkout', '--', 'shared.txt'], wt.path);
    p.write('shared.txt', 'moved on main\n');
    p.git(['commit', '-qam', 'main moves']);
    const tip = p.tip();
    await expect(done()).rejects.toThrow(/conflicts in shared\.txt; nothing changed on main/);
    expect(p.tip()).toBe(tip);
    expect(await (await p.store()).worktrees.get(wt.id)).toMatchObject({ state: 'conflict', conflict_files: ['shared.txt'] });
    // Merged into its branch and resolved, the done goes through, still without merging.
    p.git(['merge', '-q', '-X', 'theirs', 'main', '-m', 'merge main'], wt.path);
    expect(await done()).toMatchObject({ change: { state: 'awaiting-eval' } });
    // Even `--ignore-unmerged-worktree` does not merge work that waits for its score.
    expect(
      await worktreeForDone(await scope(), await (await p.store()).get(taskId), `agent-${seq}`, true, `agent-${seq}`, true),
    ).toMatchObject({
      change: { state: 'awaiting-eval' },
    });
    expect(p.tip()).toBe(tip);
  });

  it("shows the evaluator the worktree's own work, committed and not, and after the merge the merge commit", async () => {
    p.write('shared.txt', 'a person edits this in the project folder\n');
    const { taskId, wt } = await pendingWork('diffed.txt', 'committed line\n');
    p.write('loose.txt', 'not committed yet\n', wt.path);
    const record = async () => (await p.store()).worktrees.get(wt.id);
    const pending = await taskDiff(p.dir, await (await p.store()).get(taskId), await record());
    expect(pending).toContain('+committed line');
    expect(pending).toContain('+not committed yet');
    expect(pending).not.toContain('a person edits this');
    p.git(['checkout', '--', 'shared.txt']);
    p.git(['add', 'loose.txt'], wt.path);
    p.git(['commit', '-q', '-m', 'loose'], wt.path);
    await settleEvaluation(await scope(), taskId, score(0.9), 'test', GATE);
    const merged = await taskDiff(p.dir, await (await p.store()).get(taskId), await record());
    expect((await record()).state).toBe('merged');
    expect(merged).toContain('+committed line');
    expect(merged).toContain('+not committed yet');
    // Still the merge commit once the sweep has removed the worktree.
    expect(await taskDiff(p.dir, await (await p.store()).get(taskId), { ...(await record()), state: 'removed' })).toBe(merged);
  });

  it("on a pass (here a person's wg evaluate record) makes one squash commit, records it, and only then is the task done", async () => {
    const before = p.tip();
    const { taskId, wt } = await pendingWork();
    await p.ok(['evaluate', 'record', taskId, '--score', '0.9']);
    const task = await (await p.store()).get(taskId);
    expect(task.status).toBe('done');
    expect(p.git(['rev-list', '--count', `${before}..main`]).trim()).toBe('1');
    expect(p.show('main', `${taskId}.txt`)).toBe('work\n');
    expect(task.worktree).toMatchObject({ state: 'merged', merge_commit: p.tip() });
    const log = await messages(taskId);
    expect(log.findIndex((m) => m.startsWith(`Merged ${wt.branch} onto main as `))).toBeLessThan(log.indexOf(PASSED_LINE));
  });

  it('on a failing score reopens the task with nothing on main; the next attempt runs in the same worktree on its earlier commit', async () => {
    const before = p.tip();
    const { taskId, wt } = await pendingWork();
    const task = await settleEvaluation(await scope(), taskId, score(0.3, 'add a test'), 'test', GATE);
    expect(task.status).toBe('open');
    expect(p.tip()).toBe(before);
    expect(task.worktree).toMatchObject({ id: wt.id, state: 'active', merge_commit: null });
    const retry = await runOnce(taskId, `agent-${seq}-retry`, 'second.txt', 'second\n');
    expect(retry.path).toBe(wt.path);
    expect(p.git(['log', '--format=%s'], retry.path)).toContain(`work by agent-${seq}\n`);
    await mergeAfterExit(await scope(), taskId, `agent-${seq}-retry`, always);
    expect(p.tip()).toBe(before);
    await settleEvaluation(await scope(), taskId, score(0.8), 'test', GATE);
    expect((await (await p.store()).get(taskId)).status).toBe('done');
    expect(p.git(['rev-list', '--count', `${before}..main`]).trim()).toBe('1');
    expect(p.show('main', 'second.txt')).toBe('second\n');
  });

  it('fails the task with the conflicting files when the base branch moved and the merge now conflicts; the worktree is kept', async () => {
    const { taskId, wt } = await pendingWork('shared.txt', "the agent's version\n");
    p.write('shared.txt', "the person's version\n");
    p.git(['commit', '-qam', 'person edits shared.txt']);
    const moved = p.tip();
    const task = await settleEvaluation(await scope(), taskId, score(0.95), 'test', GATE);
    expect(task.status).toBe('failed');
    expect(task.failure_reason).toMatch(/^the evaluation passed, but its work now conflicts with main in shared\.txt /);
    expect(p.tip()).toBe(moved);
    expect(task.worktree).toMatchObject({ id: wt.id, state: 'conflict', conflict_files: ['shared.txt'] });
    expect(await messages(taskId)).not.toContain(PASSED_LINE);
  });

  it('keeps the worktree for a retry, unmerged, when the evaluation fails closed', async () => {
    const before = p.tip();
    const { taskId, wt } = await pendingWork();
    await recordEvaluatorTrouble(await p.store(), taskId, 'no JSON', 'test');
    await recordEvaluatorTrouble(await p.store(), taskId, 'no JSON', 'test');
    expect((await (await p.store()).get(taskId)).status).toBe('failed');
    expect((await (await p.store()).worktrees.get(wt.id)).state).toBe('active');
    expect(p.tip()).toBe(before);
  });

  it('no longer keeps the worktree as awaiting evaluation once the task is abandoned', async () => {
    const { taskId, wt } = await pendingWork();
    await p.ok(['abandon', taskId]);
    expect((await (await p.store()).worktrees.get(wt.id)).state).toBe('active');
  });
});
