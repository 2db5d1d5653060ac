import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ReadyItem, Task } from '../../src/shared/task';
import { InProcessProject } from '../helpers/wg-in-process';

/*
 * The end-to-end workflows of upstream's tests/integration_cli_workflows.rs (the `wg` binary against a graph.jsonl
 * it was given) and tests/integration_cli_commands.rs (the same workflows as edits of the graph it loads and saves),
 * here through the real command table in process, each upstream case named in its `it`. Upstream's graph is made
 * with `wg import` of its own JSONL lines. The cases other files port already name themselves there (grep the name):
 * test_analyze_runs_on_graph, test_analyze_json_output and test_structure_json_output in test/commands/reports.test.ts.
 */

let p: InProcessProject;
beforeEach(async () => {
  p = new InProcessProject('wg-cli-workflows-');
  await p.ok(['init']);
});
afterEach(() => p.remove());

const show = (id: string) => p.json<Task>(['show', id]);
const list = (args: string[] = []) => p.json<Task[]>(['list', ...args]);
const ready = () => p.json<ReadyItem[]>(['ready']);
const ids = (items: Array<{ id: string }>) => items.map((item) => item.id);
/** Its dependencies' ids (`wg show --json` gives them as upstream's `[{id, status}]`). */
const afterOf = async (id: string) => ids((await p.json<{ after: Array<{ id: string }> }>(['show', id])).after);

interface Blocker {
  id: string;
  title: string;
  status: string;
}

describe('wg list (upstream integration_cli_workflows.rs, integration_cli_commands.rs)', () => {
  it('test_list_shows_all_tasks', async () => {
    await p.importTasks([
      { id: 't1', title: 'First task' },
      { id: 't2', title: 'Second task', status: 'in-progress' },
      { id: 't3', title: 'Third task', status: 'done' },
    ]);
    const out = await p.ok(['list']);
    for (const id of ['t1', 't2', 't3']) expect(out).toContain(id);
  });

  it('test_list_filter_by_status / test_list_filter_done / list_filter_by_status', async () => {
    await p.importTasks([
      { id: 'open1', title: 'Open task' },
      { id: 'done1', title: 'Done task', status: 'done' },
      { id: 'ip1', title: 'In-progress task', status: 'in-progress' },
    ]);
    const open = await p.ok(['list', '--status', 'open']);
    expect(open).toContain('open1');
    expect(open).not.toContain('done1');
    expect(open).not.toContain('ip1');
    const done = await p.ok(['list', '--status', 'done']);
    expect(done).toContain('done1');
    expect(done).not.toContain('open1');
    expect(ids(await list(['--status', 'open']))).toEqual(['open1']);
    expect(ids(await list(['--status', 'done']))).toEqual(['done1']);
  });

  it('test_list_empty_graph / test_list_json_empty_graph / list_empty_graph', async () => {
    expect(await p.ok(['list'])).toContain('No tasks');
    expect(await list()).toEqual([]);
  });

  it('test_list_json_output / test_list_json_fields / test_list_json_round_trip', async () => {
    await p.importTasks([
      { id: 't1', title: 'Open task', after: ['t2'] },
      { id: 't2', title: 'Done task', status: 'done' },
      { id: 't3', title: 'In-progress', status: 'in-progress' },
    ]);
    const out = await p.ok(['list', '--json']);
    const tasks = JSON.parse(out) as Task[];
    expect(tasks).toHaveLength(3);
    for (const task of tasks) {
      expect(typeof task.id).toBe('string');
      expect(typeof task.title).toBe('string');
      expect(typeof task.status).toBe('string');
      expect(Array.isArray(task.after)).toBe(true);
    }
    expect(tasks.find((task) => task.id === 't1')).toMatchObject({ title: 'Open task', status: 'open', after: ['t2'] });
    expect(JSON.parse(JSON.stringify(tasks))).toEqual(tasks);
  });

  it('test_list_json_with_status_filter', async () => {
    await p.importTasks([
      { id: 'o1', title: 'Open' },
      { id: 'd1', title: 'Done', status: 'done' },
      { id: 'ip1', title: 'In progress', status: 'in-progress' },
    ]);
    const tasks = await list(['--status', 'done']);
    expect(tasks).toHaveLength(1);
    expect(tasks[0]).toMatchObject({ id: 'd1', status: 'done' });
  });

  it('test_list_invalid_status_fails', async () => {
    await p.importTasks([{ id: 't1', title: 'Task' }]);
    const result = await p.wg(['list', '--status', 'bogus']);
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr).toContain('bogus');
    expect(result.stdout).toBe('');
  });

  it('list_all_statuses_present / status_counts_all_categories', async () => {
    await p.importTasks([
      { id: 'op', title: 'Open' },
      { id: 'ip', title: 'In progress', status: 'in-progress' },
      { id: 'bl', title: 'Blocked', status: 'blocked' },
      { id: 'fl', title: 'Failed', status: 'failed' },
      { id: 'dn', title: 'Done', status: 'done' },
    ]);
    const tasks = await list();
    expect(tasks).toHaveLength(5);
    const statuses = Object.fromEntries(tasks.map((task) => [task.id, task.status]));
    expect(statuses).toEqual({ op: 'open', ip: 'in-progress', bl: 'blocked', fl: 'failed', dn: 'done' });
    for (const status of ['open', 'in-progress', 'done', 'failed']) expect(await list(['--status', status])).toHaveLength(1);
  });
});

describe('wg status and wg check (upstream integration_cli_workflows.rs)', () => {
  it('test_status_shows_summary / test_status_empty_graph / test_status_empty_graph_cli', async () => {
    expect(await p.ok(['status'])).toContain('Tasks: 0 in-progress, 0 ready, 0 blocked, 0 done');
    await p.importTasks([
      { id: 't1', title: 'Open task' },
      { id: 't2', title: 'Done task', status: 'done' },
      { id: 't3', title: 'Failed task', status: 'failed' },
    ]);
    expect(await p.ok(['status'])).toContain('Tasks: 0 in-progress, 1 ready, 0 blocked, 1 done');
  });

  it('test_status_json_output / test_status_json_fields', async () => {
    await p.importTasks([
      { id: 't1', title: 'Open' },
      { id: 't2', title: 'Done', status: 'done' },
      { id: 't3', title: 'Failed', status: 'failed' },
      { id: 't4', title: 'InProgress', status: 'in-progress' },
    ]);
    const status = await p.json<{ tasks: Record<string, number> }>(['status']);
    expect(status.tasks).toMatchObject({ in_progress: 1, ready: 1, done_total: 1 });
  });

  it('test_check_clean_graph / test_check_clean_graph_no_errors / test_check_json_clean_graph', async () => {
    await p.importTasks([
      { id: 't1', title: 'Task 1' },
      { id: 't2', title: 'Task 2', status: 'done' },
    ]);
    const result = await p.wg(['check']);
    expect(result.exitCode).toBe(0);
    expect(result.stdout.toLowerCase()).not.toContain('error');
    expect((await p.json<{ ok: boolean }>(['check'])).ok).toBe(true);
  });

  it('test_check_detects_orphan_blockers / test_check_json_with_orphan_refs', async () => {
    await p.importTasks([{ id: 't1', title: 'Broken dep', after: ['nonexistent'] }]);
    const result = await p.wg(['check']);
    expect(result.exitCode).not.toBe(0);
    expect(result.stdout + result.stderr).toContain('nonexistent');
    // As upstream's, `--json` reports the errors in its object and exits 0.
    const report = await p.json<{ ok: boolean; orphan_refs: Array<{ from: string; to: string; relation: string }> }>(['check']);
    expect(report.ok).toBe(false);
    expect(report.orphan_refs).toEqual([{ from: 't1', to: 'nonexistent', relation: 'after' }]);
  });
});

describe('wg ready (upstream integration_cli_workflows.rs, integration_cli_commands.rs)', () => {
  it('test_ready_shows_unblocked_tasks / test_ready_excludes_blocked_tasks / test_ready_after_dep_done', async () => {
    await p.importTasks([
      { id: 'parent', title: 'Parent' },
      { id: 'child', title: 'Blocked task', after: ['parent'] },
    ]);
    const out = await p.ok(['ready']);
    expect(out).toContain('parent');
    expect(out).not.toContain('child');
    expect(out).not.toContain('Blocked task');
    await p.ok(['done', 'parent']);
    expect(await p.ok(['ready'])).toContain('child');
  });

  it('ready_tasks_respects_dependencies', async () => {
    await p.importTasks([
      { id: 'parent', title: 'Parent' },
      { id: 'child', title: 'Blocked child', after: ['parent'] },
    ]);
    expect(ids(await ready())).toEqual(['parent']);
    await p.ok(['done', 'parent']);
    expect(ids(await ready())).toEqual(['child']);
  });

  it('edit_after_updates_dependency', async () => {
    await p.importTasks([
      { id: 'dep', title: 'Dependency' },
      { id: 'e3', title: 'Blocked task' },
    ]);
    await p.ok(['edit', 'e3', '--add-after', 'dep']);
    expect(await afterOf('e3')).toEqual(['dep']);
    const readyIds = ids(await ready());
    expect(readyIds).not.toContain('e3');
    expect(readyIds).toContain('dep');
  });

  it('test_ready_json_empty', async () => {
    await p.importTasks([{ id: 'done1', title: 'Already done', status: 'done' }]);
    expect(await ready()).toEqual([]);
  });

  it('test_ready_json_with_assigned', async () => {
    await p.importTasks([{ id: 'r1', title: 'Ready assigned', assigned: 'agent-7' }]);
    const items = await ready();
    expect(items).toHaveLength(1);
    expect(items[0]?.assigned).toBe('agent-7');
  });
});

describe('wg show (upstream integration_cli_workflows.rs)', () => {
  it('test_show_displays_task_details', async () => {
    await p.importTasks([{ id: 'my-task', title: 'Detailed task' }]);
    const out = await p.ok(['show', 'my-task']);
    expect(out).toContain('my-task');
    expect(out).toContain('Detailed task');
  });

  it('test_show_nonexistent_task_fails / test_show_json_nonexistent_fails_gracefully', async () => {
    for (const args of [
      ['show', 'ghost'],
      ['show', 'ghost', '--json'],
    ]) {
      const result = await p.wg(args);
      expect(result.exitCode).not.toBe(0);
      expect(result.stdout).toBe('');
      expect(result.stderr.trim()).toBe("wg: task 'ghost' not found");
    }
  });

  it('test_show_json_output / test_show_json_output_with_id / test_show_json_round_trip', async () => {
    await p.importTasks([{ id: 'jt', title: 'JSON task' }]);
    const parsed = JSON.parse(await p.ok(['show', 'jt', '--json'])) as Task;
    expect(parsed).toMatchObject({ id: 'jt', title: 'JSON task' });
    expect(JSON.parse(JSON.stringify(parsed))).toEqual(parsed);
  });

  it('test_show_task_with_all_fields_populated', async () => {
    await p.importTasks([
      { id: 't0', title: 'Prerequisite', status: 'done' },
      {
        id: 't1',
        title: 'Full task',
        status: 'in-progress',
        description: 'A detailed description',
        assigned: 'agent-1',
        tags: ['urgent', 'backend'],
        skills: ['rust'],
        after: ['t0'],
      },
    ]);
    const out = await p.ok(['show', 't1']);
    expect(out).toContain('Full task');
    expect(out).toContain('agent-1');
  });
});

describe('wg claim, unclaim, done, fail, retry (upstream integration_cli_workflows.rs, integration_cli_commands.rs)', () => {
  it('test_claim_via_cli / claim_sets_in_progress_and_assigned', async () => {
    await p.importTasks([{ id: 'c1', title: 'Claimable' }]);
    await p.ok(['claim', 'c1', '--actor', 'agent-1']);
    const task = await show('c1');
    expect(task).toMatchObject({ status: 'in-progress', assigned: 'agent-1' });
    expect(task.started_at).not.toBeNull();
  });

  it('test_claim_done_task_fails_via_cli', async () => {
    await p.importTasks([{ id: 'c2', title: 'Already done', status: 'done' }]);
    const result = await p.wg(['claim', 'c2']);
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr.trim()).toBe("wg: task 'c2' is already done");
    expect((await show('c2')).status).toBe('done');
  });

  it('claim_already_in_progress_is_guarded', async () => {
    await p.importTasks([{ id: 'c2', title: 'Already claimed', status: 'in-progress', assigned: 'other-agent' }]);
    const result = await p.wg(['claim', 'c2', '--actor', 'agent-1']);
    expect(result.exitCode).not.toBe(0);
    expect(await show('c2')).toMatchObject({ status: 'in-progress', assigned: 'other-agent' });
  });

  it('test_unclaim_via_cli / unclaim_resets_to_open', async () => {
    await p.importTasks([{ id: 'u1', title: 'Unclaim me', status: 'in-progress', assigned: 'agent-1' }]);
    await p.ok(['unclaim', 'u1']);
    expect(await show('u1')).toMatchObject({ status: 'open', assigned: null });
  });

  it('test_done_via_cli', async () => {
    await p.importTasks([{ id: 'd1', title: 'Finish me', status: 'in-progress' }]);
    await p.ok(['done', 'd1']);
    const task = await show('d1');
    expect(task.status).toBe('done');
    expect(task.completed_at).not.toBeNull();
  });

  it('test_fail_retry_lifecycle_via_cli', async () => {
    await p.importTasks([{ id: 'fr1', title: 'Fail and retry', status: 'in-progress' }]);
    await p.ok(['fail', 'fr1', '--reason', 'transient error']);
    expect((await show('fr1')).status).toBe('failed');
    await p.ok(['retry', 'fr1']);
    expect((await show('fr1')).status).toBe('open');
    await p.ok(['claim', 'fr1']);
    expect((await show('fr1')).status).toBe('in-progress');
    await p.ok(['done', 'fr1']);
    expect((await show('fr1')).status).toBe('done');
  });

  it('test_retry_lifecycle_fail_retry_claim_done', async () => {
    await p.importTasks([{ id: 't1', title: 'Retry test' }]);
    await p.ok(['claim', 't1']);
    expect((await show('t1')).status).toBe('in-progress');
    await p.ok(['fail', 't1', '--reason', 'timeout']);
    expect((await show('t1')).status).toBe('failed');
    await p.ok(['retry', 't1']);
    expect(await show('t1')).toMatchObject({ status: 'open', retry_count: 1 });
    await p.ok(['claim', 't1']);
    await p.ok(['done', 't1']);
    expect((await show('t1')).status).toBe('done');
  });

  it('full_retry_lifecycle', async () => {
    await p.importTasks([{ id: 'r1', title: 'Retriable' }]);
    await p.ok(['claim', 'r1', '--actor', 'agent-a']);
    expect((await show('r1')).started_at).not.toBeNull();
    await p.ok(['fail', 'r1', '--reason', 'transient error']);
    expect(await show('r1')).toMatchObject({ status: 'failed', retry_count: 1, failure_reason: 'transient error' });
    await p.ok(['retry', 'r1']);
    // The attempt stays counted across the retry; the reason and the claim go.
    expect(await show('r1')).toMatchObject({ status: 'open', assigned: null, retry_count: 1, failure_reason: null });
    await p.ok(['claim', 'r1', '--actor', 'agent-b']);
    expect((await show('r1')).assigned).toBe('agent-b');
    await p.ok(['done', 'r1']);
    const task = await show('r1');
    expect(task.status).toBe('done');
    expect(task.completed_at).not.toBeNull();
  });

  it('test_retry_respects_max_retries', async () => {
    await p.importTasks([{ id: 't1', title: 'Max retry test', status: 'failed', retry_count: 3, max_retries: 3, failure_reason: 'error' }]);
    const result = await p.wg(['retry', 't1']);
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr).toContain('max retries');
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(await show('t1')).toMatchObject({ status: 'failed', retry_count: 3, failure_reason: 'error' });
  });

  it('test_abandon_task', async () => {
    await p.importTasks([{ id: 'a1', title: 'Abandon me', status: 'in-progress' }]);
    await p.ok(['abandon', 'a1', '--reason', 'no longer needed']);
    expect((await show('a1')).status).toBe('abandoned');
  });
});

describe('wg add, edit, log, archive (upstream integration_cli_workflows.rs, integration_cli_commands.rs)', () => {
  it('test_add_creates_task', async () => {
    await p.ok(['add', 'New task', '--id', 'new-1']);
    expect(await show('new-1')).toMatchObject({ title: 'New task', status: 'open' });
  });

  it('test_add_with_dependencies', async () => {
    await p.importTasks([{ id: 'dep1', title: 'Dependency' }]);
    await p.ok(['add', 'Dependent task', '--id', 'child1', '--after', 'dep1']);
    expect(await afterOf('child1')).toContain('dep1');
  });

  it('test_edit_nonexistent_task_fails', async () => {
    const result = await p.wg(['edit', 'ghost', '--title', 'X']);
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr.trim()).toBe("wg: task 'ghost' not found");
    expect(await list()).toEqual([]);
  });

  it('edit_title_and_description', async () => {
    await p.importTasks([{ id: 'e1', title: 'Old title' }]);
    await p.ok(['edit', 'e1', '--title', 'New title', '-d', 'A description']);
    expect(await show('e1')).toMatchObject({ title: 'New title', description: 'A description' });
  });

  it('edit_tags_add_and_remove', async () => {
    await p.importTasks([{ id: 'e2', title: 'Taggable' }]);
    await p.ok(['edit', 'e2', '--add-tag', 'important', '--add-tag', 'urgent']);
    expect((await show('e2')).tags).toHaveLength(2);
    await p.ok(['edit', 'e2', '--remove-tag', 'urgent']);
    expect((await show('e2')).tags).toEqual(['important']);
  });

  it('test_log_adds_entry / add_log_entry_persists', async () => {
    await p.importTasks([
      { id: 'l1', title: 'Logged task', status: 'in-progress' },
      { id: 'l2', title: 'Logged' },
    ]);
    await p.ok(['log', 'l1', 'Working on implementation']);
    expect((await show('l1')).log.some((entry) => entry.message.includes('Working on implementation'))).toBe(true);
    await p.ok(['log', 'l2', 'Starting work', '--actor', 'agent-1']);
    const log = (await show('l2')).log;
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({ message: 'Starting work', actor: 'agent-1' });
  });

  it('archive_workflow_removes_done_keeps_open', async () => {
    await p.importTasks([
      { id: 'open-1', title: 'Still open' },
      { id: 'arch-1', title: 'Done', status: 'done', completed_at: new Date().toISOString() },
    ]);
    await p.ok(['archive', '--yes']);
    expect(ids(await list())).toEqual(['open-1']);
    expect((await p.wg(['show', 'arch-1'])).exitCode).not.toBe(0);
  });
});

describe('wg blocked, why-blocked, context (upstream integration_cli_workflows.rs)', () => {
  it('test_blocked_shows_blockers_of_task / test_blocked_json_fields', async () => {
    await p.importTasks([
      { id: 'b1', title: 'Blocker one' },
      { id: 'b2', title: 'Blocker two', status: 'in-progress' },
      { id: 'child', title: 'Blocked child', after: ['b1', 'b2'] },
    ]);
    const out = await p.ok(['blocked', 'child']);
    expect(out).toContain('b1');
    expect(out).toContain('b2');
    const blockers = await p.json<Blocker[]>(['blocked', 'child']);
    expect(blockers).toHaveLength(2);
    for (const blocker of blockers) {
      expect(typeof blocker.id).toBe('string');
      expect(typeof blocker.title).toBe('string');
      expect(typeof blocker.status).toBe('string');
    }
    expect(ids(blockers).sort()).toEqual(['b1', 'b2']);
  });

  it('test_blocked_json_no_blockers', async () => {
    await p.importTasks([{ id: 't1', title: 'Free task' }]);
    expect(await p.json<Blocker[]>(['blocked', 't1'])).toEqual([]);
  });

  it('test_blocked_json_excludes_done_blockers', async () => {
    await p.importTasks([
      { id: 'done-dep', title: 'Done dep', status: 'done' },
      { id: 'open-dep', title: 'Open dep' },
      { id: 'child', title: 'Blocked', after: ['done-dep', 'open-dep'] },
    ]);
    expect(ids(await p.json<Blocker[]>(['blocked', 'child']))).toEqual(['open-dep']);
  });

  it('test_blocked_json_nonexistent_fails_gracefully', async () => {
    const result = await p.wg(['blocked', 'ghost', '--json']);
    expect(result.exitCode).not.toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr.trim()).toBe("wg: task 'ghost' not found");
  });

  it('test_why_blocked_shows_blockers / test_why_blocked_json_fields', async () => {
    await p.importTasks([
      { id: 'parent', title: 'Blocker' },
      { id: 'child', title: 'Blocked child', status: 'blocked', after: ['parent'] },
    ]);
    expect(await p.ok(['why-blocked', 'child'])).toContain('parent');
    const report = await p.json<{ task: { id: string }; root_blockers: Array<{ id: string }>; blocking_chain: object }>([
      'why-blocked',
      'child',
    ]);
    expect(report.task.id).toBe('child');
    expect(report.blocking_chain).toBeDefined();
    expect(ids(report.root_blockers)).toEqual(['parent']);
  });

  it('test_context_json_fields / test_context_json_no_deps', async () => {
    await p.importTasks([
      { id: 'dep', title: 'Dependency', status: 'done', artifacts: ['output.txt'] },
      { id: 'child', title: 'Dependent', after: ['dep'] },
      { id: 'solo', title: 'Solo task' },
    ]);
    type Context = { task_id: string; available_context: Array<{ task_id: string; artifacts: string[] }> };
    const context = await p.json<Context>(['context', 'child']);
    expect(context.task_id).toBe('child');
    expect(context.available_context).toHaveLength(1);
    expect(context.available_context[0]?.task_id).toBe('dep');
    expect(context.available_context[0]?.artifacts).toContain('output.txt');
    const solo = await p.json<Context>(['context', 'solo']);
    expect(solo).toMatchObject({ task_id: 'solo', available_context: [] });
  });
});
