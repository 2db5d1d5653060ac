import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Task } from '../../src/shared/task';
import { InProcessProject } from '../helpers/wg-in-process';

/*
 * `wg claim` and `wg unclaim` against upstream's own cases (graphwork/workgraph src/commands/claim.rs
 * `mod tests`), each named in its `it`. One deliberate difference: this app claims only a ready task
 * unless `--force` (an agent must not start before what it builds on is done); upstream claims any open,
 * blocked or incomplete one.
 */

let p: InProcessProject;
beforeEach(async () => {
  p = new InProcessProject('wg-claim-');
  await p.ok(['init']);
});
afterEach(() => p.remove());

const show = (id: string) => p.json<Task>(['show', id]);

describe('wg claim (upstream claim.rs)', () => {
  it('test_claim_open_task_succeeds: without --actor it is claimed for nobody in particular', async () => {
    await p.importTasks([{ id: 't1', title: 'Test task' }]);
    await p.ok(['claim', 't1']);
    expect(await show('t1')).toMatchObject({ status: 'in-progress', assigned: null });
    expect((await show('t1')).started_at).not.toBeNull();
  });

  it("test_claim_with_actor: upstream's --actor, and this app's --agent", async () => {
    await p.importTasks([{ id: 't1' }, { id: 't2' }]);
    await p.ok(['claim', 't1', '--actor', 'agent-1']);
    expect(await show('t1')).toMatchObject({ status: 'in-progress', assigned: 'agent-1' });
    await p.ok(['claim', 't2', '--agent', 'agent-2']);
    expect((await show('t2')).assigned).toBe('agent-2');
  });

  it('test_claim_blocked_task_succeeds (with --force here: a blocked task is not ready)', async () => {
    await p.importTasks([{ id: 't1', status: 'blocked' }]);
    expect((await p.wg(['claim', 't1'])).stderr).toContain('--force');
    await p.ok(['claim', 't1', '--force']);
    expect((await show('t1')).status).toBe('in-progress');
  });

  it('test_claim_inprogress_task_fails / test_claim_done_task_fails / test_claim_failed_task_fails / test_claim_abandoned_task_fails', async () => {
    await p.importTasks([
      { id: 'busy', status: 'in-progress', assigned: 'agent-9' },
      { id: 'finished', status: 'done' },
      { id: 'broke', status: 'failed' },
      { id: 'dropped', status: 'abandoned' },
    ]);
    const refusals = {
      busy: "task 'busy' is already claimed by agent-9; 'wg unclaim busy' releases it",
      finished: 'already done',
      broke: 'wg retry',
      dropped: 'abandoned',
    };
    for (const [id, words] of Object.entries(refusals)) {
      const result = await p.wg(['claim', id, '--force']);
      expect(result.exitCode, id).not.toBe(0);
      expect(result.stderr).toContain(words);
    }
    expect((await show('busy')).assigned).toBe('agent-9');
  });

  it('test_claim_nonexistent_task_fails / test_unclaim_nonexistent_task_fails', async () => {
    for (const verb of ['claim', 'unclaim']) {
      const result = await p.wg([verb, 'nonexistent']);
      expect(result.exitCode).toBe(3);
      expect(result.stderr).toContain('nonexistent');
    }
  });

  it('test_claim_uninitialized_workgraph_fails / test_unclaim_uninitialized_workgraph_fails', async () => {
    const bare = new InProcessProject('wg-claim-bare-');
    try {
      for (const verb of ['claim', 'unclaim']) expect((await bare.wg([verb, 't1'])).stderr).toContain("run 'wg init'");
    } finally {
      bare.remove();
    }
  });
});

describe('wg unclaim (upstream claim.rs)', () => {
  it("test_unclaim_inprogress_task_succeeds (and its run's line: \"Unclaimed 'X'\")", async () => {
    await p.importTasks([{ id: 't1', status: 'in-progress', assigned: 'agent-1' }]);
    expect((await p.ok(['unclaim', 't1'])).trim()).toBe("Unclaimed 't1'");
    expect(await show('t1')).toMatchObject({ status: 'open', assigned: null });
  });

  it('test_unclaim_open_task_succeeds: a task not started is let go too', async () => {
    await p.importTasks([{ id: 't1' }, { id: 'held', status: 'blocked', assigned: 'agent-1' }]);
    await p.ok(['unclaim', 't1']);
    expect((await show('t1')).status).toBe('open');
    await p.ok(['unclaim', 'held']);
    expect(await show('held')).toMatchObject({ status: 'open', assigned: null });
  });

  it('test_unclaim_done_task_fails / test_unclaim_failed_task_fails / test_unclaim_abandoned_task_fails', async () => {
    await p.importTasks([
      { id: 'finished', status: 'done' },
      { id: 'broke', status: 'failed' },
      { id: 'dropped', status: 'abandoned' },
    ]);
    for (const id of ['finished', 'broke', 'dropped']) {
      expect((await p.wg(['unclaim', id])).exitCode, id).not.toBe(0);
    }
    expect((await show('finished')).status).toBe('done');
  });
});
