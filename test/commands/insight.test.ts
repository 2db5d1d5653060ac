import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { recommendation } from '../../src/core/graph/analysis/bottlenecks';
import { indexTasks } from '../../src/core/graph/analysis/task-index';
import { taskCost } from '../../src/core/graph/analysis/task-cost';
import type { BlockerInfo, CriticalPath, DependentsContext, TaskContext, TaskCost } from '../../src/shared/insight';
import type { ReadyItem } from '../../src/shared/task';
import { makeTask } from '../fixtures/objects';
import { InProcessProject } from '../helpers/wg-in-process';

/*
 * The read-only commands against upstream's own cases no other file ports (graphwork/workgraph
 * src/commands/{ready,context,blocked,critical_path,bottlenecks,cost}.rs `mod tests`), each named in its
 * `it`; the rest are in test/store/ready-delayed.test.ts, test/graph/analysis.test.ts and
 * test/cli/upstream-commands.test.ts. Upstream's shared walk to what waits on a task (src/commands/mod.rs
 * collect_transitive_dependents, impact.rs build_reverse_index) is ported through `wg bottlenecks`, which uses it.
 *
 * Not ported:
 * - upstream's `wg discover` and `wg structure`: in test/coordination/coordination-reports.test.ts and
 *   test/graph/reports.test.ts (`wg impact`'s in test/commands/planning.test.ts);
 * - mod.rs's audit of each operation in upstream's operations.jsonl (docs/upstream.md, "Not here": `wg log
 *   --operations`; here every change is a line in the task's log): provenance_add_records_entry,
 *   provenance_edit_records_field_changes, provenance_claim_unclaim_records_entries, provenance_done_records_entry,
 *   provenance_fail_records_entry, provenance_abandon_records_entry, provenance_retry_records_entry,
 *   provenance_pause_resume_records_entries, provenance_artifact_add_remove_records_entries,
 *   provenance_archive_records_entry, provenance_gc_records_entry, provenance_full_lifecycle_all_ops_recorded;
 * - mod.rs's Rust helpers: graph_path_joins_correctly (a path join), notify_kick_offline_daemon_is_silent_noop and
 *   notify_graph_changed_offline_daemon_is_silent_noop (upstream's IPC nudge to its daemon: the coordinator here
 *   notices the store's commits itself, and no command sends it anything).
 */

let p: InProcessProject;
beforeEach(async () => {
  p = new InProcessProject('wg-insight-');
  await p.ok(['init']);
});
afterEach(() => p.remove());

const inAnHour = () => new Date(Date.now() + 3_600_000).toISOString();

describe('wg ready (upstream ready.rs)', () => {
  it('test_run_done_tasks_excluded / test_run_inprogress_tasks_excluded', async () => {
    await p.importTasks([
      { id: 't1', status: 'done' },
      { id: 't2', status: 'in-progress' },
    ]);
    expect(await p.json<ReadyItem[]>(['ready'])).toEqual([]);
  });

  it('test_run_json_output_ready_task / test_run_json_structure_ready_task: "ready": true, with its fields', async () => {
    await p.importTasks([{ id: 't1', title: 'Ready task', assigned: 'agent-1', estimate: { hours: 2 } }]);
    expect(await p.json<Array<Record<string, unknown>>>(['ready'])).toMatchObject([
      { id: 't1', title: 'Ready task', assigned: 'agent-1', estimate: { hours: 2 }, ready: true },
    ]);
  });

  it('test_run_waiting_task_with_done_blocker / test_run_blocked_task_with_future_ready_after_not_waiting', async () => {
    const later = inAnHour();
    await p.importTasks([
      { id: 'blocker', status: 'done' },
      { id: 't1', title: 'Waiting on delay', after: ['blocker'], ready_after: later },
      { id: 'open-blocker' },
      { id: 't2', after: ['open-blocker'], ready_after: later },
    ]);
    const items = await p.json<ReadyItem[]>(['ready']);
    // t1 waits only on its delay (listed, not ready); t2 waits on an open blocker too (not listed).
    expect(items.map((t) => [t.id, t.ready])).toEqual([
      ['open-blocker', true],
      ['t1', false],
    ]);
  });
});

describe('wg context (upstream context.rs)', () => {
  const context = (id: string) => p.json<TaskContext>(['context', id]);

  it('test_context_task_with_no_dependencies / test_context_dependency_with_no_artifacts', async () => {
    await p.importTasks([
      { id: 't1', title: 'Independent task' },
      { id: 'p', status: 'done' },
      { id: 'c', after: ['p'] },
    ]);
    expect((await context('t1')).available_context).toEqual([]);
    expect(await p.ok(['context', 't1'])).toContain('No artifacts available from dependencies yet.');
    // A dependency with nothing to hand over is not listed, as upstream's context leaves it out.
    expect((await context('c')).available_context).toEqual([]);
  });

  it('test_context_multiple_dependency_artifacts / test_context_json_output_structure: available against declared inputs', async () => {
    await p.importTasks([
      { id: 't1', title: 'Producer A', status: 'done', artifacts: ['a.txt', 'b.txt'] },
      { id: 't2', title: 'Producer B', status: 'done', artifacts: ['c.txt'] },
      { id: 't3', title: 'Consumer', after: ['t1', 't2'], inputs: ['a.txt', 'c.txt', 'd.txt'] },
    ]);
    const c = await context('t3');
    expect(c).toMatchObject({
      task_id: 't3',
      task_title: 'Consumer',
      declared_inputs: ['a.txt', 'c.txt', 'd.txt'],
      missing_inputs: ['d.txt'],
    });
    expect(c.available_context.map((a) => [a.task_id, a.artifacts])).toEqual([
      ['t1', ['a.txt', 'b.txt']],
      ['t2', ['c.txt']],
    ]);
    expect(await p.ok(['context', 't3'])).toContain('  d.txt [missing]');
  });

  it('test_dependents_task_not_found / test_context_no_workgraph / test_dependents_no_workgraph / test_context_empty_graph', async () => {
    for (const args of [
      ['context', 't1'],
      ['context', 't1', '--dependents'],
    ])
      expect((await p.wg(args)).exitCode).toBe(3);
    const bare = new InProcessProject('wg-insight-bare-');
    try {
      for (const args of [
        ['context', 't1'],
        ['context', 't1', '--dependents'],
      ])
        expect((await bare.wg(args)).stderr).toContain("run 'wg init'");
    } finally {
      bare.remove();
    }
  });

  it('test_dependents_multiple_consumers / test_dependents_json_output / test_dependents_deliverables_matching', async () => {
    await p.importTasks([
      { id: 't1', title: 'Producer', artifacts: ['shared.txt', 'extra.txt'], deliverables: ['shared.txt', 'expected.txt'] },
      { id: 't2', title: 'Consumer 1', after: ['t1'], inputs: ['shared.txt'] },
      { id: 't3', title: 'Consumer 2', after: ['t1'], inputs: ['shared.txt', 'expected.txt', 'extra.txt'] },
    ]);
    const d = await p.json<DependentsContext>(['context', 't1', '--dependents']);
    expect(d.dependents.map((x) => [x.task_id, x.needs])).toEqual([
      ['t2', ['shared.txt']],
      ['t3', ['shared.txt', 'expected.txt', 'extra.txt']],
    ]);
    const text = await p.ok(['context', 't1', '--dependents']);
    expect(text).toContain('  shared.txt [produced]\n  expected.txt [expected]\n  extra.txt [extra]');
    expect(text).toContain('  t3 - Consumer 2');
  });
});

describe('wg blocked (upstream blocked.rs)', () => {
  it('test_run_task_with_blockers / test_run_json_output_with_blockers / test_blocker_query_excludes_done_blockers', async () => {
    await p.importTasks([
      { id: 'b1', title: 'Done blocker', status: 'done' },
      { id: 'b2', title: 'Open blocker' },
      { id: 't1', after: ['b1', 'b2'] },
    ]);
    expect(await p.json<BlockerInfo[]>(['blocked', 't1'])).toEqual([{ id: 'b2', title: 'Open blocker', status: 'open' }]);
    expect(await p.ok(['blocked', 't1'])).toContain('b2');
  });

  it('test_run_unblocked_task / test_run_json_empty_blockers / test_blocker_query_empty_for_unblocked_task / test_blocker_query_empty_when_all_done', async () => {
    await p.importTasks([
      { id: 't1', title: 'No blockers' },
      { id: 'd', status: 'done' },
      { id: 't2', after: ['d'] },
    ]);
    expect(await p.json(['blocked', 't1'])).toEqual([]);
    expect(await p.ok(['blocked', 't1'])).toBe("Task 't1' has no blockers");
    expect(await p.json(['blocked', 't2'])).toEqual([]);
  });
});

describe('wg critical-path, wg bottlenecks, wg cost (upstream critical_path.rs, bottlenecks.rs, cost.rs)', () => {
  it('test_format_hours_whole / test_format_hours_decimal: 8h, 1.5h; a total of 47.25 hours is "47.2" (Rust\'s tie to even)', async () => {
    await p.ok(['add', 'A', '--id', 'a', '--hours', '8']);
    await p.ok(['add', 'B', '--id', 'b', '--hours', '1.5', '--after', 'a']);
    const text = await p.ok(['critical-path']);
    expect(text).toContain('8h');
    expect(text).toContain('1.5h');
    expect(text).not.toContain('8.0h');
    await p.ok(['add', 'C', '--id', 'c', '--hours', '37.75', '--after', 'b']);
    expect(await p.ok(['critical-path'])).toContain('Critical path (3 tasks, estimated 47.2 hours):');
  });

  it('test_build_forward_index: the path goes from a task to what waits on it', async () => {
    await p.ok(['add', 'A', '--id', 'a', '--hours', '1']);
    await p.ok(['add', 'B', '--id', 'b', '--hours', '1', '--after', 'a']);
    await p.ok(['add', 'C', '--id', 'c', '--hours', '1', '--after', 'a']);
    const path = await p.json<CriticalPath>(['critical-path']);
    expect(path.critical_path.map((t) => [t.id, t.after])).toEqual([
      ['a', null],
      ['b', 'a'],
    ]);
  });

  it('test_format_hours_nan_and_infinity: an estimate that is no number counts as none', async () => {
    await p.importTasks([{ id: 'odd', estimate: { hours: 'lots' } }]);
    const path = await p.json<CriticalPath>(['critical-path']);
    expect(path.total_hours).toBe(1);
  });

  it('test_generate_recommendation_high_priority / test_generate_recommendation_medium_priority / test_generate_recommendation_low_impact / test_generate_recommendation_in_progress_critical / test_generate_recommendation_done_task', () => {
    expect(recommendation('open', 3, 10)).toContain('30%');
    expect(recommendation('open', 2, 20)).toContain('10%');
    expect(recommendation('open', 1, 100)).toBeNull();
    expect(recommendation('in-progress', 5, 20)).toContain('Critical path');
    expect(recommendation('done', 5, 10)).toBeNull();
  });

  it('test_build_reverse_index_empty / test_collect_transitive_dependents_with_diamond', async () => {
    expect((await p.json<{ bottlenecks: unknown[] }>(['bottlenecks'])).bottlenecks).toEqual([]);
    await p.importTasks([{ id: 'root' }, { id: 'l', after: ['root'] }, { id: 'r', after: ['root'] }, { id: 'join', after: ['l', 'r'] }]);
    const b = await p.json<{ bottlenecks: Array<{ id: string; direct_blocks: number; transitive_before: number }> }>(['bottlenecks']);
    expect(b.bottlenecks.find((x) => x.id === 'root')).toMatchObject({ direct_blocks: 2, transitive_before: 3 });
  });

  it('test_run_single_task_with_cost / test_single_task_cost / test_run_task_no_cost / test_cost_nonexistent_task_returns_zero', async () => {
    await p.ok(['add', 'Task 1', '--id', 't1', '--hours', '10', '--cost', '1000']);
    await p.ok(['add', 'Task 2', '--id', 't2']);
    expect(await p.json<TaskCost>(['cost', 't1'])).toMatchObject({ task_id: 't1', total_cost: 1000 });
    expect((await p.json<TaskCost>(['cost', 't2'])).total_cost).toBe(0);
    expect(taskCost(indexTasks([makeTask({ id: 't1' })]), 'nonexistent').total_cost).toBe(0);
  });
});

describe('what waits on a task, as wg bottlenecks counts it (upstream commands/mod.rs collect_transitive_dependents, impact.rs)', () => {
  type Row = { id: string; direct_blocks: number; transitive_before: number };
  const counts = async () =>
    (await p.json<{ bottlenecks: Row[] }>(['bottlenecks'])).bottlenecks.map((b) => [b.id, b.direct_blocks, b.transitive_before]);

  it('collect_transitive_dependents_empty_index: a task nothing waits on is no bottleneck', async () => {
    await p.importTasks([{ id: 'a' }]);
    expect(await counts()).toEqual([]);
  });

  it('collect_transitive_dependents_direct / test_build_reverse_index_multiple_dependents', async () => {
    await p.importTasks([{ id: 'a' }, { id: 'b', after: ['a'] }, { id: 'c', after: ['a'] }]);
    expect(await counts()).toEqual([['a', 2, 2]]);
  });

  it('collect_transitive_dependents_chain', async () => {
    await p.importTasks([{ id: 'a' }, { id: 'b', after: ['a'] }, { id: 'c', after: ['b'] }, { id: 'd', after: ['c'] }]);
    expect(await counts()).toEqual([
      ['a', 1, 3],
      ['b', 1, 2],
      ['c', 1, 1],
    ]);
  });

  it('collect_transitive_dependents_diamond: d, reached twice, counts once', async () => {
    await p.importTasks([{ id: 'a' }, { id: 'b', after: ['a'] }, { id: 'c', after: ['a'] }, { id: 'd', after: ['b', 'c'] }]);
    expect(await counts()).toEqual([
      ['a', 2, 3],
      ['b', 1, 1],
      ['c', 1, 1],
    ]);
  });

  it('collect_transitive_dependents_handles_cycles: the walk ends, and each task of a loop is among what waits on it', async () => {
    // An imported graph may hold a loop (this app refuses to make one; `wg check` names it).
    await p.importTasks([
      { id: 'a', after: ['b'] },
      { id: 'b', after: ['a'] },
    ]);
    expect(await counts()).toEqual([
      ['a', 1, 2],
      ['b', 1, 2],
    ]);
  });
});
