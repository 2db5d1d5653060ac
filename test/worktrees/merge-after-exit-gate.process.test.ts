import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../src/core/config/settings';
import type { GateCheck } from '../../src/core/store/agency/gate-entry';
import { mergeAfterExit } from '../../src/core/worktrees/merge-after-exit';
import { prepareRunWorktree } from '../../src/core/worktrees/run-worktree';
import { GIT_ENV, GitProject } from './git-project';

Object.assign(process.env, GIT_ENV);
const p = new GitProject('wg-merge-exit-gate-');
let seq = 0;

beforeAll(async () => {
  await p.init({ 'a.txt': 'a\n' });
});
afterAll(() => p.remove());

/** A task held by an agent whose worktree branch has one commit; the run then exits 0 without `wg done`. */
async function committedWork(): Promise<{ taskId: string; agentId: string }> {
  seq++;
  const taskId = `task-${seq}`;
  const agentId = `agent-${seq}`;
  await p.ok(['add', `Task ${seq}`, '--id', taskId]);
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
  p.write(`${taskId}.txt`, 'work\n', wt.path);
  p.git(['add', '-A'], wt.path);
  p.git(['commit', '-q', '-m', `work of ${agentId}`], wt.path);
  return { taskId, agentId };
}

/**
 * An exit 0 without `wg done` is the agent's done (issue 14's merge after exit): when the evaluation
 * gate covers the task (issue 15), the task waits for its score as after `wg done`, its work checked to
 * merge but merged only on a pass; when it does not, the work is merged at once.
 */
describe('merge after exit and the evaluation gate', () => {
  it('checks the merge without making it and leaves the task pending-eval when the gate covers it', async () => {
    const before = p.tip();
    const { taskId, agentId } = await committedWork();
    const asked: Array<string | null> = [];
    const gate: GateCheck = async (_core, id, agent) => {
      asked.push(`${id}/${agent}`);
      return true;
    };
    const after = await mergeAfterExit({ store: await p.store(), paths: p.paths }, taskId, agentId, gate);
    expect(after.kind).toBe('done');
    expect(asked).toEqual([`${taskId}/${agentId}`]);
    expect((await (await p.store()).get(taskId)).status).toBe('pending-eval');
    // Merged only once a score passes (test/worktrees/evaluated-merge.test.ts).
    expect(p.tip()).toBe(before);
    expect((await (await p.store()).get(taskId)).worktree?.state).toBe('awaiting-eval');
    // It never called wg done: the log says what happened, never "agent reported done".
    const log = (await (await p.store()).get(taskId)).log.map((l) => l.message);
    expect(log).toContain(`Task pending eval (agent ${agentId} exited 0 without wg done; its work awaits evaluation)`);
    expect(log.some((m) => m.includes('reported done'))).toBe(false);
  });

  it('marks the task done when the gate does not cover it', async () => {
    const { taskId, agentId } = await committedWork();
    const after = await mergeAfterExit({ store: await p.store(), paths: p.paths }, taskId, agentId, async () => false);
    expect(after.kind).toBe('done');
    expect((await (await p.store()).get(taskId)).status).toBe('done');
    expect(p.show('main', `${taskId}.txt`)).toBe('work\n');
  });

  it('merges nothing for a task a dependency added while it ran holds back, and says so', async () => {
    const { taskId, agentId } = await committedWork();
    await p.ok(['add', 'Review first', '--id', `review-${seq}`, '--executor', 'manual']);
    await (await p.store()).tasks.edit(taskId, {}, { addAfter: [`review-${seq}`] }, 'test');
    const before = p.tip();
    const after = await mergeAfterExit({ store: await p.store(), paths: p.paths }, taskId, agentId, async () => false);
    expect(after).toEqual({
      kind: 'unmerged',
      reason: expect.stringMatching(
        new RegExp(
          `^exited without wg done, and its work was not merged: cannot mark '${taskId}' as done: blocked by 1 unresolved task\\(s\\): review-${seq} \\(Review first\\): open; nothing changed on main; its worktree .+ is kept for a retry$`,
        ),
      ),
    });
    expect(p.tip()).toBe(before);
    expect((await (await p.store()).get(taskId)).status).toBe('in-progress');
  });
});
