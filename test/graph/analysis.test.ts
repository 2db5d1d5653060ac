import { describe, expect, it } from 'vitest';
import type { Task } from '../../src/shared/task';
import {
  blockingTree,
  countBlockers,
  directBlockers,
  rootBlockers,
  upstreamReady,
  whyBlocked,
} from '../../src/core/graph/analysis/blocking';
import { bottlenecks, recommendation, transitiveDependents } from '../../src/core/graph/analysis/bottlenecks';
import { criticalPath } from '../../src/core/graph/analysis/critical-path';
import { downstreamOf } from '../../src/core/graph/analysis/downstream';
import { checkGraph, findCycles, orphanRefs, structuralCycles } from '../../src/core/graph/analysis/graph-check';
import { closestName as closestId } from '../../src/shared/closest-name';
import { danglingDeps, formatUptime, recentActivity, taskSummary } from '../../src/core/graph/analysis/status-summary';
import { dependentsContext, taskContext } from '../../src/core/graph/analysis/task-context';
import { taskCost } from '../../src/core/graph/analysis/task-cost';
import { dependentsIndex, indexTasks } from '../../src/core/graph/analysis/task-index';
import { makeTask } from '../fixtures/objects';

/*
 * The pure analyses behind upstream's everyday commands, each case ported from upstream's own tests
 * (graphwork/workgraph src/commands/<command>.rs and src/check.rs `mod tests`), named in the `it`.
 */

/** Upstream's `make_task(id, title)`: open, unassigned, no dependencies. */
const task = (id: string, fields: Partial<Task> = {}): Task =>
  makeTask({ id, title: `Task ${id}`, status: 'open', assigned: null, agent: null, started_at: null, ...fields });
const withHours = (id: string, hours: number, fields: Partial<Task> = {}) => task(id, { extra: { estimate: { hours } }, ...fields });
const graph = (...tasks: Task[]) => ({ tasks, index: indexTasks(tasks) });

describe('why-blocked and blocked (upstream why_blocked.rs, blocked.rs)', () => {
  it('test_build_blocking_tree_no_blockers / _single_blocker / _chain', () => {
    expect(blockingTree(graph(task('t1')).index, 't1').children).toEqual([]);
    const single = blockingTree(graph(task('blocker'), task('blocked', { after: ['blocker'] })).index, 'blocked');
    expect(single.children.map((c) => c.id)).toEqual(['blocker']);
    const chain = blockingTree(graph(task('t1'), task('t2', { after: ['t1'] }), task('t3', { after: ['t2'] })).index, 't3');
    expect(chain.children[0]?.id).toBe('t2');
    expect(chain.children[0]?.children[0]?.id).toBe('t1');
  });

  it('test_build_blocking_tree_excludes_done / _handles_cycles', () => {
    const done = graph(task('blocker', { status: 'done' }), task('blocked', { after: ['blocker'] }));
    expect(blockingTree(done.index, 'blocked').children).toEqual([]);
    const loop = blockingTree(graph(task('t1', { after: ['t2'] }), task('t2', { after: ['t1'] })).index, 't1');
    expect(loop.children.map((c) => c.id)).toEqual(['t2']);
    expect(loop.children[0]?.children).toEqual([]);
  });

  it('test_collect_root_blockers / _includes_in_progress / test_count_blockers', () => {
    const chain = graph(task('root'), task('mid', { after: ['root'] }), task('leaf', { after: ['mid'] }));
    expect(rootBlockers(blockingTree(chain.index, 'leaf'))).toEqual(['root']);
    const running = graph(task('root', { status: 'in-progress' }), task('leaf', { after: ['root'] }));
    expect(rootBlockers(blockingTree(running.index, 'leaf'))).toEqual(['root']);
    const three = graph(task('t1'), task('t2', { after: ['t1'] }), task('t3', { after: ['t2'] }));
    expect(countBlockers(blockingTree(three.index, 't3'))).toBe(2);
  });

  it('test_is_task_ready', () => {
    const ready = graph(task('blocker', { status: 'done' }), task('blocked', { after: ['blocker'] }));
    expect(upstreamReady(ready.index, ready.index.get('blocked') as Task)).toBe(true);
    const waiting = graph(task('blocker'), task('blocked', { after: ['blocker'] }));
    expect(upstreamReady(waiting.index, waiting.index.get('blocked') as Task)).toBe(false);
  });

  it('a phantom dependency is a root blocker and the JSON shape is upstream print_json', () => {
    const g = graph(task('a', { status: 'in-progress', assigned: 'agent-1' }), task('t', { after: ['a', 'ghost'] }));
    const result = whyBlocked(g.index, 't');
    expect(result).toEqual({
      task: { id: 't', title: 'Task t', status: 'open' },
      is_blocked: true,
      blocking_chain: {
        id: 't',
        status: 'Open',
        after: [
          { id: 'a', status: 'InProgress', after: [] },
          { id: 'ghost', status: 'Open', after: [], phantom: true },
        ],
      },
      root_blockers: [
        { id: 'a', title: 'Task a', status: 'in-progress', assigned: 'agent-1', is_ready: false },
        { id: 'ghost', phantom: true, status: 'DOES NOT EXIST' },
      ],
      total_blockers: 2,
    });
  });

  it('test_blocker_query_returns_correct_blockers / _excludes_done_blockers / _empty_when_all_done', () => {
    const g = graph(task('b1'), task('b2', { status: 'in-progress' }), task('t1', { after: ['b1', 'b2'] }));
    expect(directBlockers(g.index, 't1').map((b) => b.id)).toEqual(['b1', 'b2']);
    const some = graph(task('b1', { status: 'done' }), task('b2', { status: 'in-progress' }), task('t1', { after: ['b1', 'b2'] }));
    expect(directBlockers(some.index, 't1')).toEqual([{ id: 'b2', title: 'Task b2', status: 'in-progress' }]);
    const all = graph(task('b1', { status: 'done' }), task('b2', { status: 'abandoned' }), task('t1', { after: ['b1', 'b2'] }));
    expect(directBlockers(all.index, 't1')).toEqual([]);
    // A failed dependency does not satisfy (upstream query::after keeps it).
    const failed = graph(task('b1', { status: 'failed' }), task('t1', { after: ['b1'] }));
    expect(directBlockers(failed.index, 't1').map((b) => b.id)).toEqual(['b1']);
  });
});

describe('check (upstream src/check.rs, src/commands/check.rs)', () => {
  it('test_no_cycles_in_empty_graph / _in_linear_chain / test_detects_simple_cycle / _three_node_cycle', () => {
    expect(findCycles([], new Map())).toEqual([]);
    const line = graph(task('t1'), task('t2', { after: ['t1'] }), task('t3', { after: ['t2'] }));
    expect(findCycles(line.tasks, line.index)).toEqual([]);
    const two = graph(task('t1', { after: ['t2'] }), task('t2', { after: ['t1'] }));
    expect(findCycles(two.tasks, two.index)).not.toEqual([]);
    const three = graph(task('t1', { after: ['t3'] }), task('t2', { after: ['t1'] }), task('t3', { after: ['t2'] }));
    expect(findCycles(three.tasks, three.index)).toEqual([['t1', 't3', 't2']]);
  });

  it('test_detects_orphan_after / test_detects_orphan_blocks / test_multiple_orphans_in_same_task', () => {
    const g = graph(task('t1', { after: ['ghost', 'gone'], extra: { before: ['nowhere'] } }), task('t2', { after: ['t1'] }));
    expect(orphanRefs(g.tasks, g.index).map(({ from, to, relation }) => ({ from, to, relation }))).toEqual([
      { from: 't1', to: 'ghost', relation: 'after' },
      { from: 't1', to: 'gone', relation: 'after' },
      { from: 't1', to: 'nowhere', relation: 'before' },
    ]);
  });

  it('test_check_all_returns_ok_for_valid_graph / _not_ok_for_invalid_graph', () => {
    const valid = graph(task('t1'), task('t2', { after: ['t1'] }));
    expect(checkGraph(valid.tasks, valid.index)).toMatchObject({ ok: true, errors: 0, warnings: 0, node_count: 2 });
    const invalid = graph(task('t1', { after: ['missing'] }));
    expect(checkGraph(invalid.tasks, invalid.index)).toMatchObject({ ok: false, errors: 1 });
  });

  it('test_stale_when_open_and_assigned / test_no_stale_when_in_progress_and_assigned / test_stale_assignments_are_warnings_not_errors', () => {
    const g = graph(
      task('t1', { assigned: 'agent-1' }),
      task('t2', { status: 'in-progress', assigned: 'agent-2' }),
      task('t3', { status: 'done', assigned: 'a' }),
    );
    const result = checkGraph(g.tasks, g.index);
    expect(result.stale_assignments).toEqual([{ task_id: 't1', assigned: 'agent-1' }]);
    expect(result).toMatchObject({ ok: true, warnings: 1 });
  });

  it('test_stuck_blocked_all_deps_done / _mixed_terminal_deps / test_not_stuck_when_dep_still_open / _when_status_is_open', () => {
    const g = graph(
      task('d1', { status: 'done' }),
      task('d2', { status: 'failed' }),
      task('d3'),
      task('stuck', { status: 'blocked', after: ['d1', 'd2'] }),
      task('waits', { status: 'blocked', after: ['d1', 'd3'] }),
      task('open', { after: ['d1'] }),
    );
    expect(checkGraph(g.tasks, g.index).stuck_blocked).toEqual([{ task_id: 'stuck', after_ids: ['d1', 'd2'] }]);
  });

  it('test_fuzzy_match_finds_close_match / _no_close_match / _exact_match_excluded / _picks_closest', () => {
    expect(closestId('implment-auth', ['implement-auth', 'write-docs'])).toBe('implement-auth');
    expect(closestId('zzzzzzz', ['implement-auth'])).toBeNull();
    expect(closestId('same', ['same'])).toBeNull();
    expect(closestId('abcd', ['abce', 'abxx'])).toBe('abce');
  });

  it('structural cycles (Tarjan): one entry is reducible with that header, two entries are not', () => {
    const one = graph(task('start'), task('a', { after: ['start', 'b'] }), task('b', { after: ['a'] }));
    expect(structuralCycles(one.tasks, one.index)).toEqual([{ header: 'a', members: ['a', 'b'], reducible: true }]);
    const two = graph(task('x'), task('y'), task('a', { after: ['x', 'b'] }), task('b', { after: ['y', 'a'] }));
    expect(structuralCycles(two.tasks, two.index)).toEqual([{ header: 'a', members: ['a', 'b'], reducible: false }]);
    const g = graph(...two.tasks);
    expect(checkGraph(g.tasks, g.index)).toMatchObject({ ok: true, warnings: 2 });
  });
});

describe('critical-path (upstream critical_path.rs)', () => {
  it('test_empty_graph_has_no_critical_path / test_single_task_is_critical_path', () => {
    expect(criticalPath([])).toMatchObject({ critical_path: [], task_count: 0, total_hours: 0 });
    expect(criticalPath([withHours('t1', 8)])).toMatchObject({
      task_count: 1,
      total_hours: 8,
      critical_path: [{ id: 't1', hours: 8, after: null }],
    });
  });

  it('test_linear_chain_critical_path', () => {
    const result = criticalPath([withHours('t1', 8), withHours('t2', 16, { after: ['t1'] }), withHours('t3', 4, { after: ['t2'] })]);
    expect(result.critical_path.map((t) => t.id)).toEqual(['t1', 't2', 't3']);
    expect(result.total_hours).toBe(28);
  });

  it('test_nan_estimate_does_not_panic: a corrupt estimate counts as none (1 hour)', () => {
    const result = criticalPath([withHours('t1', Number.NaN), withHours('t2', 4), withHours('t3', 2, { after: ['t1', 't2'] })]);
    expect(result.critical_path.map((t) => t.id)).toEqual(['t2', 't3']);
    expect(result.total_hours).toBe(6);
  });

  it('test_parallel_paths_picks_longest', () => {
    const result = criticalPath([
      withHours('t1', 8),
      withHours('t2', 16, { after: ['t1'] }),
      withHours('t3', 2, { after: ['t1'] }),
      withHours('t4', 4, { after: ['t2', 't3'] }),
    ]);
    expect(result.critical_path.map((t) => t.id)).toEqual(['t1', 't2', 't4']);
    expect(result.total_hours).toBe(28);
    expect(result.slack_analysis).toEqual([{ id: 't3', title: 'Task t3', slack_hours: 26, note: 'can delay without affecting deadline' }]);
  });

  it('test_done_tasks_excluded / test_tasks_without_hours_default_to_one / test_negative_estimate_clamped_to_zero', () => {
    expect(criticalPath([withHours('t1', 8, { status: 'done' }), withHours('t2', 16, { after: ['t1'] })])).toMatchObject({
      total_hours: 16,
      task_count: 1,
    });
    expect(criticalPath([task('t1'), task('t2', { after: ['t1'] })])).toMatchObject({ total_hours: 2, task_count: 2 });
    expect(criticalPath([withHours('t1', 10), withHours('t2', -5, { after: ['t1'] })]).total_hours).toBe(10);
  });

  it('test_cycle_detection / test_orphan_blocker_in_critical_path', () => {
    const looped = criticalPath([task('t1', { after: ['t2'] }), task('t2', { after: ['t1'] })]);
    expect(looped.cycles_skipped).not.toEqual([]);
    expect(looped.critical_path).toEqual([]);
    expect(criticalPath([withHours('t1', 8, { after: ['ghost'] })])).toMatchObject({ total_hours: 8, task_count: 1 });
  });
});

describe('bottlenecks (upstream bottlenecks.rs)', () => {
  it('test_build_reverse_index_simple / test_collect_transitive_dependents / _with_diamond', () => {
    const tasks = [task('a'), task('b', { after: ['a'] }), task('c', { after: ['a'] }), task('d', { after: ['b', 'c'] })];
    const reverse = dependentsIndex(tasks);
    expect(reverse.get('a')).toEqual(['b', 'c']);
    expect([...transitiveDependents(reverse, 'a')].sort()).toEqual(['b', 'c', 'd']);
    expect(bottlenecks(tasks).bottlenecks.map((b) => [b.id, b.direct_blocks, b.transitive_before])).toEqual([
      ['a', 2, 3],
      ['b', 1, 1],
      ['c', 1, 1],
    ]);
  });

  it('test_generate_recommendation_done_task / _high_priority / _medium_priority / _low_impact / _in_progress_critical', () => {
    expect(recommendation('done', 50, 100)).toBeNull();
    expect(recommendation('open', 25, 100)).toBe('High priority - blocking 25% of project');
    expect(recommendation('open', 15, 100)).toBe('Medium priority - blocking 15% of project');
    expect(recommendation('open', 5, 100)).toBeNull();
    expect(recommendation('in-progress', 30, 100)).toBe('Critical path - blocking 30% of project');
  });
});

describe('status (upstream status.rs)', () => {
  const now = new Date('2026-03-10T15:00:00Z');
  it('test_gather_task_summary', () => {
    const g = graph(
      task('t1'),
      task('t2', { status: 'in-progress' }),
      task('t3', { status: 'done', completed_at: '2026-03-10T09:00:00.000Z' }),
      task('t4', { after: ['t1'] }),
    );
    expect(taskSummary(g.tasks, g.index, new Set(['t1']), now, false)).toEqual({
      in_progress: 1,
      ready: 1,
      blocked: 1,
      delayed: 0,
      done_today: 1,
      done_total: 1,
      needs_you: 0,
    });
  });

  it('test_gather_task_summary_delayed_vs_blocked', () => {
    const g = graph(task('blocker'), task('delayed', { not_before: '2026-03-11T00:00:00.000Z' }), task('blocked', { after: ['blocker'] }));
    expect(taskSummary(g.tasks, g.index, new Set(['blocker']), now, false)).toMatchObject({ delayed: 1, blocked: 1, ready: 1 });
  });

  it('test_gather_task_summary_hides_dot_prefixed / test_gather_recent_activity_hides_dot_prefixed', () => {
    const g = graph(
      task('real'),
      task('.evaluate-real', { status: 'in-progress' }),
      task('.assign-x', { status: 'done', completed_at: '2026-03-10T10:00:00.000Z' }),
      task('real-done', { status: 'done', completed_at: '2026-03-10T11:00:00.000Z' }),
    );
    expect(taskSummary(g.tasks, g.index, new Set(['real']), now, false)).toMatchObject({ ready: 1, in_progress: 0, done_total: 1 });
    expect(taskSummary(g.tasks, g.index, new Set(['real']), now, true)).toMatchObject({ ready: 1, in_progress: 1, done_total: 2 });
    expect(recentActivity(g.tasks, false).map((r) => r.task_id)).toEqual(['real-done']);
    expect(recentActivity(g.tasks, true)).toHaveLength(2);
  });

  it('test_gather_recent_activity: the five newest, newest first, as HH:MM', () => {
    const done = Array.from({ length: 7 }, (_, i) =>
      task(`t${i + 1}`, { status: 'done', completed_at: `2026-03-10T0${9 - i}:30:00.000Z` }),
    );
    const recent = recentActivity(done, false);
    expect(recent).toHaveLength(5);
    expect(recent[0]).toEqual({ time: '09:30', task_id: 't1', title: 'Task t1' });
  });

  it('test_gather_dangling_deps_found / _resolves_when_created', () => {
    const g = graph(task('t1', { after: ['nonexistent'] }));
    expect(danglingDeps(g.tasks, g.index)).toEqual([{ task_id: 't1', missing_dep: 'nonexistent', relation: 'after' }]);
    const fixed = graph(task('t1', { after: ['nonexistent'] }), task('nonexistent'));
    expect(danglingDeps(fixed.tasks, fixed.index)).toEqual([]);
  });

  it("upstream's format_duration", () => {
    expect([formatUptime(45), formatUptime(125), formatUptime(3600), formatUptime(7500), formatUptime(90_000)]).toEqual([
      '45s',
      '2m 5s',
      '1h',
      '2h 5m',
      '1d 1h',
    ]);
  });
});

describe('context, cost and resume propagation', () => {
  it('test_context_shows_available_artifacts / test_missing_inputs / test_context_deep_dependency_chain', () => {
    const g = graph(
      task('t1', { status: 'done', artifacts: ['output.txt'], extra: { deliverables: ['output.txt'] } }),
      task('t2', { after: ['t1'], extra: { inputs: ['output.txt', 'missing.txt'] } }),
      task('t3', { after: ['t2'] }),
    );
    expect(taskContext(g.index, 't2')).toEqual({
      task_id: 't2',
      task_title: 'Task t2',
      declared_inputs: ['output.txt', 'missing.txt'],
      available_context: [{ task_id: 't1', task_title: 'Task t1', status: 'done', artifacts: ['output.txt'] }],
      missing_inputs: ['missing.txt'],
    });
    // Only direct dependencies: t3 sees nothing of t1's.
    expect(taskContext(g.index, 't3').available_context).toEqual([]);
  });

  it('test_dependents_shows_consumers', () => {
    const g = graph(
      task('t1', { artifacts: ['output.txt'], extra: { deliverables: ['output.txt'] } }),
      task('t2', { after: ['t1'], extra: { inputs: ['output.txt'] } }),
    );
    expect(dependentsContext(g.tasks, g.index, 't1')).toEqual({
      task_id: 't1',
      artifacts: ['output.txt'],
      deliverables: ['output.txt'],
      dependents: [{ task_id: 't2', title: 'Task t2', needs: ['output.txt'] }],
    });
  });

  it("a dependency's structured results are context too (this app's wg done --artifacts '{…}')", () => {
    const g = graph(task('api', { status: 'done', results: { url: 'http://x' } }), task('ui', { after: ['api'] }));
    expect(taskContext(g.index, 'ui').available_context).toEqual([
      { task_id: 'api', task_title: 'Task api', status: 'done', artifacts: [], results: { url: 'http://x' } },
    ]);
  });

  const cost = (id: string, value: number | null, after: string[] = [], spent = 0) =>
    task(id, { after, extra: value === null ? {} : { estimate: { cost: value } }, cost_usd: spent });

  it('cost: test_cost_aggregation_through_dependencies / test_cost_transitive_dependencies (and what their runs spent)', () => {
    const direct = graph(cost('dep1', 200), cost('dep2', 300), cost('main', 500, ['dep1', 'dep2'], 0.25));
    expect(taskCost(direct.index, 'main')).toEqual({ task_id: 'main', total_cost: 1000, spent_usd: 0.25 });
    const chain = graph(cost('leaf', 100, [], 0.5), cost('mid', 200, ['leaf']), cost('root', 300, ['mid']));
    expect(taskCost(chain.index, 'root')).toEqual({ task_id: 'root', total_cost: 600, spent_usd: 0.5 });
  });

  it('cost: test_cost_handles_diamond_dependencies (the shared dependency counted once)', () => {
    const g = graph(cost('leaf', 100), cost('mid1', 200, ['leaf']), cost('mid2', 300, ['leaf']), cost('root', 400, ['mid1', 'mid2']));
    expect(taskCost(g.index, 'root').total_cost).toBe(1000);
  });

  it('cost: test_cost_handles_cycle (each task once, no endless walk)', () => {
    const g = graph(cost('t1', 100, ['t2']), cost('t2', 200, ['t1']));
    expect(taskCost(g.index, 't1').total_cost).toBe(300);
  });

  it('cost: test_cost_missing_estimate / test_cost_missing_cost_field_in_estimate / test_cost_dep_missing_estimate', () => {
    expect(taskCost(graph(cost('t1', null)).index, 't1').total_cost).toBe(0);
    expect(taskCost(graph(withHours('t1', 10)).index, 't1').total_cost).toBe(0);
    expect(taskCost(graph(cost('dep', null), cost('main', 500, ['dep'])).index, 'main').total_cost).toBe(500);
  });

  it('cost: a total is never below what was spent (it said $0.00 beside "Spent by their runs so far: $0.01")', () => {
    // No estimates: the total is what the runs spent. One task past its estimate counts what it spent.
    expect(taskCost(graph(cost('dep', null, [], 0.004), cost('main', null, ['dep'], 0.008)).index, 'main')).toEqual({
      task_id: 'main',
      total_cost: 0.012,
      spent_usd: 0.012,
    });
    expect(taskCost(graph(cost('dep', 1, [], 2.5), cost('main', 10, ['dep'], 0.5)).index, 'main').total_cost).toBe(12.5);
  });

  it('resume: discover_downstream follows after and before edges, sorted', () => {
    const g = graph(
      task('seed'),
      task('b', { after: ['seed'] }),
      task('c', { after: ['b'] }),
      task('other'),
      task('later'),
      task('x', { extra: { before: ['later'] }, after: ['seed'] }),
    );
    expect(downstreamOf(g.tasks, g.index, 'seed')).toEqual(['b', 'c', 'later', 'seed', 'x']);
  });
});
