import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Store } from '../../src/core/store/store';
import type { WhyBlocked } from '../../src/shared/insight';
import type { Message } from '../../src/shared/message';
import type { Task } from '../../src/shared/task';
import { makeAgent } from '../fixtures/objects';
import { InProcessProject } from '../helpers/wg-in-process';

/*
 * Upstream's everyday verbs against the cases of theirs no other file ports (graphwork/workgraph
 * src/commands/{fail,artifact,msg,abandon,reject,requeue,reclaim,check,why_blocked}.rs `mod tests`), each
 * named in its `it`. Run in process through the real command table.
 */

let p: InProcessProject;
beforeEach(async () => {
  p = new InProcessProject('wg-verbs-');
  await p.ok(['init']);
});
afterEach(() => p.remove());

type TaskJson = Task & Record<string, unknown>;
const show = (id: string) => p.json<TaskJson>(['show', id]);

describe('wg fail (upstream fail.rs)', () => {
  it('test_fail_in_progress_task / test_fail_open_task / test_fail_stores_failure_reason / test_fail_log_entry_includes_reason', async () => {
    await p.importTasks([{ id: 't1', status: 'in-progress', assigned: 'agent-1' }, { id: 't2' }]);
    await p.ok(['fail', 't1', '--reason', 'timeout exceeded']);
    expect(await show('t1')).toMatchObject({ status: 'failed', failure_reason: 'timeout exceeded' });
    await p.ok(['fail', 't2', '--reason', 'network failure']);
    expect((await show('t2')).status).toBe('failed');
    expect((await show('t2')).log.at(-1)?.message).toContain('network failure');
  });

  it('test_fail_log_entry_without_reason: a line saying it failed, with no reason', async () => {
    await p.importTasks([{ id: 't1', status: 'in-progress' }]);
    await p.ok(['fail', 't1']);
    expect((await show('t1')).log.at(-1)?.message).toBe('Task failed: no reason given');
  });

  it('test_fail_already_done_task_errors / test_fail_already_abandoned_task_errors / test_fail_task_not_found', async () => {
    await p.importTasks([
      { id: 'finished', status: 'done' },
      { id: 'dropped', status: 'abandoned' },
    ]);
    expect((await p.wg(['fail', 'finished'])).stderr).toContain('already done');
    expect((await p.wg(['fail', 'dropped'])).stderr).toContain('already abandoned');
    const missing = await p.wg(['fail', 'nonexistent']);
    expect(missing.exitCode).toBe(3);
    expect(missing.stderr).toContain('nonexistent');
  });

  it('test_fail_updates_agent_registry: the run that held the task ends, failed', async () => {
    await p.importTasks([{ id: 't1', status: 'in-progress', assigned: 'agent-1' }]);
    const store = await Store.open(join(p.root, '.workgraph', 'graph.db'));
    try {
      await store.core.write(() => store.agents.insert(makeAgent({ id: 'agent-1', task_id: 't1', state: 'working' }), null));
    } finally {
      await store.close();
    }
    await p.ok(['fail', 't1', '--reason', 'broken']);
    const agents = await p.json<Array<{ id: string; state: string }>>(['agents']);
    expect(agents.find((a) => a.id === 'agent-1')?.state).toBe('failed');
  });

  it('test_fail_captures_task_output: outside a git repository (nothing to capture) the task still fails', async () => {
    await p.importTasks([{ id: 't1' }]);
    expect(existsSync(join(p.root, '.git'))).toBe(false);
    expect((await p.wg(['fail', 't1'])).exitCode).toBe(0);
    expect((await show('t1')).status).toBe('failed');
  });
});

describe('wg artifact (upstream artifact.rs)', () => {
  beforeEach(() => p.importTasks([{ id: 't1', title: 'Test Task', deliverables: ['output.txt'] }]));

  it('test_add_artifact / test_add_artifact_duplicate: recorded once; the second time says so and changes nothing', async () => {
    expect(await p.ok(['artifact', 't1', 'output.txt'])).toBe("Registered artifact 'output.txt' for task 't1'");
    const logged = (await show('t1')).log.length;
    expect(await p.ok(['artifact', 't1', 'output.txt'])).toBe("Artifact 'output.txt' already registered for task 't1'");
    const task = await show('t1');
    expect(task.artifacts).toEqual(['output.txt']);
    expect(task.log).toHaveLength(logged);
  });

  it('test_remove_artifact / test_remove_nonexistent_artifact', async () => {
    await p.ok(['artifact', 't1', 'output.txt']);
    expect(await p.ok(['artifact', 't1', 'output.txt', '--remove'])).toBe("Removed artifact 'output.txt' from task 't1'");
    expect((await show('t1')).artifacts).toEqual([]);
    const missing = await p.wg(['artifact', 't1', 'nope.txt', '--remove']);
    expect(missing.exitCode).not.toBe(0);
    expect(missing.stderr).toBe("wg: Artifact 'nope.txt' not found on task 't1'");
  });

  it('test_list_artifacts: against the expected deliverables, as text and --json', async () => {
    expect(await p.ok(['artifact', 't1'])).toBe(
      'Task: t1 - Test Task\n\nExpected deliverables:\n  output.txt\n\nNo artifacts produced yet.',
    );
    await p.ok(['artifact', 't1', 'output.txt']);
    await p.ok(['artifact', 't1', 'notes.md']);
    expect(await p.ok(['artifact', 't1'])).toBe(
      'Task: t1 - Test Task\n\nExpected deliverables:\n  output.txt [produced]\n\nProduced artifacts:\n  output.txt\n  notes.md [extra]',
    );
    expect(await p.json(['artifact', 't1'])).toMatchObject({
      task_id: 't1',
      deliverables: ['output.txt'],
      artifacts: ['output.txt', 'notes.md'],
    });
  });
});

describe('wg msg (upstream msg.rs)', () => {
  it('test_send_message / test_list_messages', async () => {
    await p.ok(['add', 'Task 1', '--id', 'task-1']);
    await p.ok(['msg', 'send', 'task-1', 'First']);
    await p.ok(['msg', 'send', 'task-1', 'Second', '--from', 'coordinator', '--priority', 'urgent']);
    const listed = await p.json<Message[]>(['msg', 'list', 'task-1']);
    expect(listed.map((m) => [m.body, m.sender, m.priority])).toEqual([
      ['First', 'user', 'normal'],
      ['Second', 'coordinator', 'urgent'],
    ]);
    expect(await p.ok(['msg', 'list', 'task-1'])).toContain('Second');
  });
});

describe('wg abandon (upstream abandon.rs)', () => {
  it('test_abandon_open_task', async () => {
    await p.importTasks([{ id: 't1', title: 'Open task' }]);
    await p.ok(['abandon', 't1', '--reason', 'no longer needed']);
    expect(await show('t1')).toMatchObject({ status: 'abandoned', failure_reason: 'no longer needed' });
  });

  it("test_abandon_with_superseded_by / tests/integration_task_lifecycle.rs test_supersession_via_abandon_flag / test_supersession_single_replacement: kept under upstream's field, shown on the page", async () => {
    await p.importTasks([{ id: 't1', title: 'Original' }]);
    await p.ok(['abandon', 't1', '--reason', 'decomposed', '--superseded-by', 't2,t3']);
    expect((await show('t1')).superseded_by).toEqual(['t2', 't3']);
    expect(await p.ok(['show', 't1'])).toMatch(/^ {2}Superseded by +t2, t3$/m);
    expect(await p.ok(['export', '--upstream'])).toContain('"superseded_by":["t2","t3"]');
  });
});

describe('wg reject, requeue, reclaim, check, why-blocked (upstream reject.rs, requeue.rs, reclaim.rs, check.rs, why_blocked.rs)', () => {
  it('test_reject_non_pending_task_fails', async () => {
    await p.importTasks([{ id: 't1', title: 'Test task' }]);
    const result = await p.wg(['reject', 't1', '--reason', 'reason']);
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr).toContain('not awaiting validation');
  });

  it('test_requeue_preserves_loop_iteration_and_agent', async () => {
    await p.importTasks([
      { id: 't1', status: 'in-progress', loop_iteration: 2, agent: 'agent-hash-123', retry_count: 1, tags: ['implementation'] },
    ]);
    await p.ok(['requeue', 't1', '--reason', 'triage reason']);
    expect(await show('t1')).toMatchObject({
      status: 'open',
      loop_iteration: 2,
      agent: 'agent-hash-123',
      retry_count: 1,
      tags: ['implementation'],
    });
  });

  it('test_reclaim_uninitialized_workgraph_fails / test_check_fails_when_not_initialized', async () => {
    const bare = new InProcessProject('wg-verbs-bare-');
    try {
      for (const args of [['reclaim', 't1', '--from', 'a', '--to', 'b'], ['check']])
        expect((await bare.wg(args)).stderr, args[0]).toContain("run 'wg init'");
    } finally {
      bare.remove();
    }
  });

  it('test_build_blocking_tree_single_blocker / test_build_blocking_tree_chain / test_build_blocking_tree_handles_cycles', async () => {
    await p.importTasks([
      { id: 'blocker' },
      { id: 'blocked', after: ['blocker'] },
      { id: 't1' },
      { id: 't2', after: ['t1'] },
      { id: 't3', after: ['t2'] },
      { id: 'c1', after: ['c2'] },
      { id: 'c2', after: ['c1'] },
    ]);
    const chain = async (id: string) => (await p.json<WhyBlocked>(['why-blocked', id])).blocking_chain;
    expect((await chain('blocked')).after.map((n) => n.id)).toEqual(['blocker']);
    const t3 = await chain('t3');
    expect(t3.after.map((n) => n.id)).toEqual(['t2']);
    expect(t3.after[0]?.after.map((n) => n.id)).toEqual(['t1']);
    const c1 = await chain('c1');
    expect(c1.after.map((n) => n.id)).toEqual(['c2']);
    expect(c1.after[0]?.after).toEqual([]);
  });
});
