import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Agent } from '../../src/shared/agent';
import type { DeadAgentsResult, ServiceStatus } from '../../src/shared/service-types';
import type { Task } from '../../src/shared/task';
import { recordRunsIn } from '../helpers/recorded-runs';
import { InProcessProject } from '../helpers/wg-in-process';

/*
 * Upstream's coordinator lifecycle cases (graphwork/workgraph tests/integration_service_coordinator.rs), each named in
 * its `it`, in this app's terms: upstream's `ready_tasks` is `wg ready` (`--all` for system tasks), its registry
 * (service/registry.json) is the runs of graph.db (`wg agents`, `wg service status`), its dead-agent cleanup is
 * `wg dead-agents --cleanup`. Upstream builds most of these as structs in the test itself; here the same states come
 * in through an upstream graph line (`wg import`) and a recorded run.
 *
 * not ported:
 * - upstream's AgentRegistry API (register_agent, get_agent_by_task, set_status, load_locked, next_agent_id) and its
 *   Starting/Idle/Stopping states, which this app's runs do not have (a run is working, done, failed, dead or killed;
 *   `wg agents` lists them, test/cli/agents-cli.test.ts): test_registry_register_and_lookup,
 *   test_registry_lookup_by_task, test_registry_mark_as_dead, test_registry_persistence_roundtrip,
 *   test_registry_locked_operations, test_registry_active_and_idle_counts, test_agent_entry_lifecycle;
 * - arithmetic over that struct (`max_agents.saturating_sub(alive)`): test_slots_saturating_sub_no_underflow; the
 *   scheduler's own use of the count is in test/deciding/scheduler.test.ts;
 * - upstream's /proc start-time check against a reused pid (read_proc_start_time_secs, verify_process_identity): a
 *   run's processes are known here by the WG_RUN_ID marker in their environment (src/core/run-folder/run-handle.ts):
 *   test_pid_reuse_detection_current_process, test_pid_reuse_detection_nonexistent_pid,
 *   test_pid_reuse_detection_old_start_time, test_pid_reuse_detection_nonexistent_returns_true;
 * - upstream's auto-evaluate scaffold, which adds an `evaluate-X` task to the graph for each task: here
 *   `agency.auto_evaluate` scores a finished task with the evaluator itself, and no task is made (an imported
 *   `.evaluate-X` is run, below): test_auto_evaluate_creates_eval_tasks, test_auto_evaluate_skips_evaluation_tasks,
 *   test_auto_evaluate_skips_abandoned_tasks, test_auto_evaluate_idempotent, test_auto_evaluate_task_has_exec_and_model;
 * - upstream's rapid-respawn throttle (a task failed after 5 quick "process exited" lines; the cases only build such a
 *   log): here every run that ends without done counts against the one retry budget, agent.max_retries
 *   (test/cli/retry-budget.test.ts): test_rapid_respawn_detection_no_deaths,
 *   test_rapid_respawn_detection_recent_deaths_in_log, test_rapid_respawn_fails_task_at_threshold;
 * - behind upstream's `llm-tests` feature, a real Claude run (`wg init --route claude-cli`, `wg spawn`, and upstream's
 *   `wg motivation add`): test_coordinator_tick_spawns_real_agent, test_agent_creation_via_llm.
 */

/** A pid no process has (above the kernel's pid_max): upstream's 999999999. */
const GONE_PID = 999_999_999;

type Cleanup = DeadAgentsResult & { dead_agents_marked?: number; tasks_unclaimed?: string[] };
type Run = Agent & { status: string; process_alive: boolean };

let p: InProcessProject;
beforeEach(async () => {
  p = new InProcessProject('wg-upstream-coord-');
  await p.ok(['init']);
});
afterEach(() => p.remove());

const readyIds = async (all = false) => (await p.json<Task[]>(['ready', ...(all ? ['--all'] : [])])).map((t) => t.id).sort();
const show = (id: string) => p.json<Task>(['show', id]);
const runs = () => p.json<Run[]>(['agents']);

describe('ready tasks (upstream ready_tasks)', () => {
  it('test_coordinator_identifies_ready_tasks: open and unblocked only', async () => {
    await p.importTasks([
      { id: 'ready-1' },
      { id: 'ready-2' },
      { id: 'done-1', status: 'done' },
      { id: 'ip-1', status: 'in-progress' },
      { id: 'blocked-1', after: ['ready-1'] },
    ]);
    expect(await readyIds()).toEqual(['ready-1', 'ready-2']);
  });

  it('test_coordinator_unblocks_when_blocker_done', async () => {
    await p.importTasks([
      { id: 'blocker', status: 'done' },
      { id: 'downstream', after: ['blocker'] },
    ]);
    expect(await readyIds()).toEqual(['downstream']);
  });

  it('test_coordinator_dependency_chain: a → b → c become ready one at a time', async () => {
    await p.importTasks([{ id: 'task-a' }, { id: 'task-b', after: ['task-a'] }, { id: 'task-c', after: ['task-b'] }]);
    expect(await readyIds()).toEqual(['task-a']);
    await p.ok(['done', 'task-a']);
    expect(await readyIds()).toEqual(['task-b']);
    await p.ok(['done', 'task-b']);
    expect(await readyIds()).toEqual(['task-c']);
  });

  it('test_coordinator_skips_assigned_tasks: an assigned task is still ready', async () => {
    await p.importTasks([{ id: 'assigned-1', assigned: 'agent-99' }, { id: 'unassigned-1' }]);
    const ready = await p.json<Task[]>(['ready']);
    expect(ready.map((t) => t.id).sort()).toEqual(['assigned-1', 'unassigned-1']);
    // What the coordinator would start: the unassigned one (its skip of an assigned task is in
    // test/coordinator/turn-queries.test.ts).
    expect(ready.filter((t) => t.assigned === null).map((t) => t.id)).toEqual(['unassigned-1']);
  });

  it('test_burst_addition_dangling_deps_block / test_cycle_aware_ready_tasks_blocks_dangling: a dependency not yet made holds its task', async () => {
    await p.ok(['add', 'Phase 1d', '--id', 'phase-1d', '--after', 'phase-1c', '--allow-phantom']);
    expect(await readyIds()).toEqual([]);
    await p.ok(['add', 'Phase 1c', '--id', 'phase-1c']);
    expect(await readyIds()).toEqual(['phase-1c']);
    await p.ok(['done', 'phase-1c']);
    expect(await readyIds()).toEqual(['phase-1d']);

    // The same from upstream's graph: a line naming a task that is not there.
    await p.importTasks([{ id: 'task-a', after: ['nonexistent'] }]);
    expect(await readyIds(true)).not.toContain('task-a');
  });

  it('test_burst_addition_complex_dependency_chain: dependents added before their dependencies', async () => {
    await p.ok(['add', 'Phase 2a', '--id', 'phase-2a', '--after', 'phase-1a,phase-1b', '--allow-phantom']);
    await p.ok(['add', 'Phase 2b', '--id', 'phase-2b', '--after', 'phase-1c', '--allow-phantom']);
    await p.ok(['add', 'Phase 3', '--id', 'phase-3', '--after', 'phase-2a,phase-2b']);
    expect(await readyIds()).toEqual([]);
    for (const id of ['phase-1a', 'phase-1b', 'phase-1c']) await p.ok(['add', `Phase ${id.slice(6)}`, '--id', id]);
    expect(await readyIds()).toEqual(['phase-1a', 'phase-1b', 'phase-1c']);
    await p.ok(['done', 'phase-1a']);
    await p.ok(['done', 'phase-1b']);
    expect(await readyIds()).toEqual(['phase-1c', 'phase-2a']);
  });

  it('test_auto_evaluate_unblocks_on_failed_source: a failed X lets its .evaluate-X run, and nothing else', async () => {
    // Upstream's coordinator takes the failed X out of the open `.evaluate-X`'s `after` (the case names it
    // `evaluate-X`, upstream's former id); here the rule lets it go and the edge stays, so a retried X holds it again.
    await p.importTasks([
      { id: 'source-task', status: 'failed' },
      { id: '.evaluate-source-task', title: 'Evaluate: Source', after: ['source-task'], tags: ['evaluation'] },
      { id: 'next', after: ['source-task'] },
    ]);
    expect(await readyIds(true)).toEqual(['.evaluate-source-task']);
    expect((await show('.evaluate-source-task')).after).toEqual([expect.objectContaining({ id: 'source-task' })]);
    await p.ok(['retry', 'source-task']);
    expect(await readyIds(true)).toEqual(['source-task']);
  });

  it('test_eval_task_routes_to_inline_spawn / test_non_eval_exec_task_uses_shell_executor: the ready task keeps its exec and model', async () => {
    // Upstream's evaluation task is `.evaluate-X` now (the case's `evaluate-X` is its former id); the coordinator
    // runs it with the evaluator (docs/upstream.md), so it is listed with the system tasks, under --all.
    await p.importTasks([
      { id: 'source-task', status: 'done' },
      {
        id: '.evaluate-source-task',
        title: 'Evaluate: Source Task',
        after: ['source-task'],
        tags: ['evaluation', 'agency'],
        exec: 'wg evaluate source-task',
        model: 'sonnet',
      },
      { id: 'run-script', exec: 'bash my-script.sh' },
    ]);
    const ready = await p.json<Task[]>(['ready', '--all']);
    expect(ready.map((t) => t.id).sort()).toEqual(['.evaluate-source-task', 'run-script']);
    expect(ready.find((t) => t.id === '.evaluate-source-task')).toMatchObject({
      tags: expect.arrayContaining(['evaluation', 'agency']),
      exec: 'wg evaluate source-task',
      model: 'sonnet',
    });
    const script = ready.find((t) => t.id === 'run-script');
    expect(script).toMatchObject({ exec: 'bash my-script.sh', tags: [] });
  });
});

describe('slots: only runs at work count against max_agents', () => {
  it('test_coordinator_respects_max_agents_limit / test_slots_available_at_zero / test_slots_available_basic', async () => {
    await p.ok(['config', '--max-agents', '3']);
    await p.importTasks([1, 2, 3, 4, 5].map((i) => ({ id: `task-${i}` })));
    await recordRunsIn(p.root, [
      { id: 'agent-1', task_id: 'existing-1', pid: process.pid },
      { id: 'agent-2', task_id: 'existing-2', pid: process.pid },
    ]);
    let status = await p.json<ServiceStatus>(['service', 'status']);
    expect(status.max_agents - status.agents.working).toBe(1);
    await recordRunsIn(p.root, [{ id: 'agent-3', task_id: 'existing-3', pid: process.pid }]);
    status = await p.json<ServiceStatus>(['service', 'status']);
    expect(status).toMatchObject({ max_agents: 3, agents: { working: 3 } });
    expect(status.max_agents - status.agents.working).toBe(0);
  });

  it('test_slot_accounting_with_dead_agents / test_slots_available_mixed_statuses: dead, done, failed and killed runs take no slot', async () => {
    await recordRunsIn(p.root, [
      { id: 'agent-1', task_id: 'alive-1', pid: process.pid },
      { id: 'agent-2', task_id: 'alive-2', pid: process.pid },
      { id: 'agent-3', task_id: 'dead-1', state: 'dead', pid: process.pid },
      { id: 'agent-4', task_id: 'done-1', state: 'done', pid: process.pid },
      { id: 'agent-5', task_id: 'failed-1', state: 'failed', pid: process.pid },
      { id: 'agent-6', task_id: 'stopping-1', state: 'killed', pid: process.pid },
    ]);
    const status = await p.json<ServiceStatus>(['service', 'status']);
    expect(status.agents).toMatchObject({ working: 2, dead: 1, done: 1, failed: 1 });
    expect(status.max_agents - status.agents.working).toBe(2);
  });
});

describe('dead-agent detection and cleanup', () => {
  it('test_dead_detection_process_exited / test_is_process_alive_nonexistent_pid / test_dead_agent_detection_after_daemon_restart', async () => {
    await p.importTasks([{ id: 'task-1', status: 'in-progress', assigned: 'agent-1' }]);
    await recordRunsIn(p.root, [{ id: 'agent-1', task_id: 'task-1', pid: GONE_PID }]);
    // Recorded at work, its process gone: seen so, and named by the check, which changes nothing.
    expect((await runs())[0]).toMatchObject({ id: 'agent-1', status: 'dead (process exited)', process_alive: false });
    const check = await p.json<Cleanup>(['dead-agents']);
    expect(check.dead.map((a) => a.id)).toEqual(['agent-1']);
    expect(await show('task-1')).toMatchObject({ status: 'in-progress', assigned: 'agent-1' });
  });

  it('test_dead_detection_process_still_running / test_is_process_alive_current_process', async () => {
    await p.importTasks([{ id: 'task-1', status: 'in-progress', assigned: 'agent-1' }]);
    await recordRunsIn(p.root, [{ id: 'agent-1', task_id: 'task-1', pid: process.pid }]);
    expect((await runs())[0]).toMatchObject({ id: 'agent-1', status: 'working', process_alive: true });
    const cleaned = await p.json<Cleanup>(['dead-agents', '--cleanup']);
    expect(cleaned).toMatchObject({ dead: [], dead_agents_marked: 0, tasks_unclaimed: [] });
    expect(await show('task-1')).toMatchObject({ status: 'in-progress', assigned: 'agent-1' });
  });

  it('test_dead_detection_ignores_already_dead_agents / test_dead_detection_ignores_done_agents / test_dead_detection_ignores_failed_agents', async () => {
    await p.importTasks([
      { id: 'task-1', status: 'done' },
      { id: 'task-2', status: 'done' },
      { id: 'task-3', status: 'failed' },
    ]);
    await recordRunsIn(p.root, [
      { id: 'agent-1', task_id: 'task-1', state: 'dead', pid: GONE_PID },
      { id: 'agent-2', task_id: 'task-2', state: 'done', pid: GONE_PID },
      { id: 'agent-3', task_id: 'task-3', state: 'failed', pid: GONE_PID },
    ]);
    const cleaned = await p.json<Cleanup>(['dead-agents', '--cleanup']);
    expect(cleaned).toMatchObject({ dead_agents_marked: 0, tasks_unclaimed: [] });
    expect((await runs()).map((r) => [r.id, r.state, r.process_alive])).toEqual([
      ['agent-1', 'dead', false],
      ['agent-2', 'done', false],
      ['agent-3', 'failed', false],
    ]);
  });

  it('test_cleanup_unclaims_in_progress_task: the task is open and unassigned again, with a log line, the run dead', async () => {
    await p.importTasks([{ id: 'task-1', title: 'Test Task', status: 'in-progress', assigned: 'agent-1' }]);
    await recordRunsIn(p.root, [{ id: 'agent-1', task_id: 'task-1', pid: GONE_PID }]);
    const cleaned = await p.json<Cleanup>(['dead-agents', '--cleanup']);
    expect(cleaned).toMatchObject({ dead_agents_marked: 1, tasks_unclaimed: ['task-1'] });
    const task = await show('task-1');
    expect(task).toMatchObject({ status: 'open', assigned: null });
    // This app's words (docs/upstream.md): upstream's line reads "Task unclaimed: agent 'agent-1' … process exited".
    expect(task.log.at(-1)?.message).toBe('Dead agent agent-1 cleaned up (process 999999999 is gone); task requeued');
    expect((await runs())[0]).toMatchObject({ id: 'agent-1', state: 'dead' });
  });

  it('test_cleanup_skips_done_task / test_cleanup_skips_failed_task: a finished task is left as it is', async () => {
    await p.importTasks([
      { id: 'task-1', status: 'done' },
      { id: 'task-2', status: 'failed' },
    ]);
    await recordRunsIn(p.root, [
      { id: 'agent-1', task_id: 'task-1', pid: GONE_PID },
      { id: 'agent-2', task_id: 'task-2', pid: GONE_PID },
    ]);
    const cleaned = await p.json<Cleanup>(['dead-agents', '--cleanup']);
    expect(cleaned.tasks_unclaimed).toEqual([]);
    expect((await show('task-1')).status).toBe('done');
    expect((await show('task-2')).status).toBe('failed');
  });

  it('test_registry_clean_up_stale_entries: --purge forgets the dead runs, the others stay', async () => {
    await recordRunsIn(p.root, [
      { id: 'agent-1', task_id: 'task-1', state: 'dead', pid: GONE_PID },
      { id: 'agent-2', task_id: 'task-2', pid: process.pid },
      { id: 'agent-3', task_id: 'task-3', state: 'dead', pid: GONE_PID },
    ]);
    expect((await runs()).length).toBe(3);
    await p.ok(['dead-agents', '--purge']);
    expect((await runs()).map((r) => r.id)).toEqual(['agent-2']);
  });
});
