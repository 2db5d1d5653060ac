import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DeadAgentsUpstreamFields } from '../../src/shared/agent';
import type { DeadAgentsResult } from '../../src/shared/service-types';
import type { Task } from '../../src/shared/task';
import { recordRunsIn } from '../helpers/recorded-runs';
import { InProcessProject } from '../helpers/wg-in-process';

/*
 * Upstream's `wg sweep` and its dispatcher's reconciler (graphwork/workgraph src/commands/sweep.rs `mod tests`),
 * against what does that here: `wg dead-agents` (its check changes nothing) and `wg dead-agents --cleanup`, which
 * releases every task held by a run of this project that has ended, as the coordinator's start does (that start is
 * in test/cli/ended-claims.process.test.ts). Each upstream case is named in its `it`. The fields of upstream's own
 * `wg dead-agents` are in test/cli/agent-json-upstream.test.ts.
 *
 * Not ported:
 * - a task in progress with no claim, and a claim by a name that is no run of this project: upstream's sweep resets
 *   them, here they are left alone (`wg claim ID` without a name makes the one, a person's or upstream's own agent's
 *   claim the other; docs/upstream.md: "A task found in progress on a run that has ended is put back to open"):
 *   test_sweep_inprogress_no_agent, test_sweep_skips_archive_for_unassigned_orphan, and the untagged control task of
 *   test_reconcile_skips_chat_loop_tagged_tasks / test_find_orphaned_skips_chat_loop_tagged_tasks (their loop tasks
 *   are below);
 * - upstream's copy of a swept run's output into log/agents/<task>/ for its TUI: a run's folder stays whole under
 *   runs/<agent>/ (`wg runs`): test_sweep_archives_orphaned_agent_for_iteration_history;
 * - `wg sweep --reap-targets` (removing dead worktrees' cargo target/ folders) is not here:
 *   test_sweep_reap_targets_flag_exposes_count, test_sweep_dry_run_skips_target_reap.
 *
 * Upstream's `wg reap` (src/commands/reap.rs) is not here (docs/upstream.md, "Not here": `wg dead-agents --purge`
 * forgets the dead runs, a done or failed run stays as its task's record), so none of its cases is ported:
 * test_is_reapable, test_parse_duration_seconds, test_parse_duration_minutes, test_parse_duration_hours,
 * test_parse_duration_days, test_parse_duration_weeks,
 * test_parse_duration_no_unit_defaults_to_seconds, test_parse_duration_empty_fails, test_parse_duration_invalid_number,
 * test_collect_reapable_no_filter, test_collect_reapable_with_age_filter, test_collect_reapable_no_reapable_agents,
 * test_reap_dry_run_does_not_modify_registry, test_reap_removes_dead_done_failed, test_reap_with_older_than_filter,
 * test_reap_preserves_next_agent_id, test_reap_empty_registry, test_reap_json_output.
 */

let p: InProcessProject;
beforeEach(async () => {
  p = new InProcessProject('wg-dead-agents-');
  await p.ok(['init']);
});
afterEach(() => p.remove());

/** A pid no process has (above the kernel's pid_max): upstream's "not running" PIDs. */
const GONE_PID = 999_999_999;

type Cleanup = DeadAgentsResult & DeadAgentsUpstreamFields;
const show = (id: string) => p.json<Task>(['show', id]);

/**
 * Upstream's setup_with_dead_agent: stuck-task in progress under dead-agent-1 (marked dead), healthy-task under a
 * run at work (this test's own process stands for it), done-task done under a name no run has.
 */
async function setupWithDeadAgent(): Promise<void> {
  await p.importTasks([
    { id: 'stuck-task', title: 'Stuck Task', status: 'in-progress', assigned: 'dead-agent-1' },
    { id: 'healthy-task', title: 'Healthy Task', status: 'in-progress', assigned: 'alive-agent-1' },
    { id: 'done-task', title: 'Done Task', status: 'done', assigned: 'dead-agent-2' },
  ]);
  await recordRunsIn(p.root, [
    { id: 'dead-agent-1', task_id: 'stuck-task', state: 'dead', pid: GONE_PID },
    { id: 'alive-agent-1', task_id: 'healthy-task', pid: process.pid },
  ]);
}

describe('wg dead-agents against upstream sweep.rs', () => {
  it('test_sweep_detects_dead_agents / test_sweep_dry_run_does_not_modify: the check names the dead run and changes nothing', async () => {
    await setupWithDeadAgent();
    const check = await p.json<Cleanup>(['dead-agents']);
    expect(check.dead.map((a) => [a.id, a.task_id, a.state])).toEqual([['dead-agent-1', 'stuck-task', 'dead']]);
    expect(check.cleaned).toBe(0);
    expect(await show('stuck-task')).toMatchObject({ status: 'in-progress', assigned: 'dead-agent-1' });
  });

  it("test_sweep_unclaims_stuck / test_sweep_json_output / test_reconcile_orphaned_tasks: --cleanup requeues the dead run's task", async () => {
    await setupWithDeadAgent();
    const cleaned = await p.json<Cleanup>(['dead-agents', '--cleanup']);
    expect(cleaned).toMatchObject({ tasks_unclaimed: ['stuck-task'], cleaned: 1, errors: [] });
    const stuck = await show('stuck-task');
    expect(stuck).toMatchObject({ status: 'open', assigned: null, started_at: null });
    expect(stuck.log.at(-1)?.message).toBe('Dead agent dead-agent-1 cleaned up; task requeued');
    // A run at work keeps its task; a done task is never looked at.
    expect(await show('healthy-task')).toMatchObject({ status: 'in-progress', assigned: 'alive-agent-1' });
    expect(await show('done-task')).toMatchObject({ status: 'done', assigned: 'dead-agent-2' });
  });

  it('test_sweep_idempotent: a second cleanup finds nothing to requeue', async () => {
    await setupWithDeadAgent();
    await p.ok(['dead-agents', '--cleanup']);
    expect(await p.json<Cleanup>(['dead-agents', '--cleanup'])).toMatchObject({ tasks_unclaimed: [], cleaned: 0 });
  });

  it('test_sweep_no_orphans', async () => {
    await p.importTasks([
      { id: 'open-task', title: 'Open Task' },
      { id: 'done-task', title: 'Done Task', status: 'done' },
    ]);
    expect(await p.json<Cleanup>(['dead-agents', '--cleanup'])).toMatchObject({ dead: [], tasks_unclaimed: [], cleaned: 0 });
    expect((await show('open-task')).status).toBe('open');
    expect((await show('done-task')).status).toBe('done');
  });

  it('test_dispatcher_heartbeat_unclaims_dead_agents: an open task a dead run still claims is let go, with a log line', async () => {
    // The coordinator starts no task that names an assignee: left so, it would wait for good.
    await p.importTasks([{ id: 'ready-task', title: 'Ready Task', assigned: 'agent-zombie-1' }]);
    await recordRunsIn(p.root, [{ id: 'agent-zombie-1', task_id: 'ready-task', state: 'dead', pid: GONE_PID }]);
    expect(await p.json<Cleanup>(['dead-agents', '--cleanup'])).toMatchObject({ tasks_unclaimed: ['ready-task'], cleaned: 1 });
    const task = await show('ready-task');
    expect(task).toMatchObject({ status: 'open', assigned: null });
    expect(task.log.at(-1)?.message).toBe('Claimed by agent-zombie-1, a run that has ended (dead); claim cleared');
    expect((await p.json<Array<{ id: string }>>(['ready'])).map((t) => t.id)).toEqual(['ready-task']);
  });

  it('test_reconciler_preserves_open_tasks_with_live_claims', async () => {
    await p.importTasks([{ id: 'warming-up', title: 'Warming up', assigned: 'agent-alive-1' }]);
    await recordRunsIn(p.root, [{ id: 'agent-alive-1', task_id: 'warming-up', pid: process.pid }]);
    expect(await p.json<Cleanup>(['dead-agents', '--cleanup'])).toMatchObject({ tasks_unclaimed: [], cleaned: 0 });
    expect((await show('warming-up')).assigned).toBe('agent-alive-1');
  });

  it('test_reconcile_skips_chat_loop_tagged_tasks / test_find_orphaned_skips_chat_loop_tagged_tasks: loop tasks stay in progress', async () => {
    await p.importTasks([
      { id: '.chat-7', title: 'Chat 7', status: 'in-progress', tags: ['chat-loop'] },
      { id: '.coordinator-3', title: 'Coordinator 3', status: 'in-progress', tags: ['coordinator-loop'] },
      { id: '.compact-0', title: 'Compact 0', status: 'in-progress', tags: ['compact-loop'] },
    ]);
    expect(await p.json<Cleanup>(['dead-agents', '--cleanup'])).toMatchObject({ tasks_unclaimed: [], cleaned: 0 });
    for (const id of ['.chat-7', '.coordinator-3', '.compact-0']) expect((await show(id)).status).toBe('in-progress');
  });
});
