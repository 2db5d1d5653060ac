import { describe, expect, it } from 'vitest';
import { dispatch } from '../../src/core/ops/dispatch';
import type { OpContext } from '../../src/core/ops/context';
import type { Store } from '../../src/core/store/store';
import type { OpName } from '../../src/shared/ops/registry';
import type { AgingReport, ForecastReport, HealthReport, StructureReport, VelocityReport } from '../../src/shared/reports';
import { roundTripsDuring } from '../helpers/round-trips';
import { statementsDuring } from '../helpers/statements';
import { opContextOn, STORE_KINDS, storesPerTest } from '../helpers/temp-store';
import { makeAgent } from '../fixtures/objects';

/**
 * What `wg velocity`, `aging`, `workload`, `forecast`, `structure`, `analyze` and `metrics` read of the store, on each
 * store: their answers from a graph kept there, and what each costs, as round trips to PostgreSQL (statements on
 * SQLite): the reads a report needs are sent together, not one after another.
 */
describe.each(STORE_KINDS)('on %s', (kind) => {
  const newStore = storesPerTest(kind);

  /** A store at 2026-03-01 holding upstream's tasks, as graph.jsonl lines. */
  async function project(lines: Array<Record<string, unknown>>): Promise<{ store: Store; ctx: OpContext }> {
    const t = await newStore();
    await t.store.importJsonl(lines.map((line) => JSON.stringify({ kind: 'task', title: `Task ${String(line.id)}`, ...line })).join('\n'));
    return { store: t.store, ctx: opContextOn(t) };
  }

  async function read<N extends OpName>(store: Store, ctx: OpContext, name: N): Promise<{ result: unknown; cost: number }> {
    let result: unknown = null;
    const work = async () => {
      result = await dispatch(name, {} as never, ctx);
    };
    const cost = kind === 'sqlite' ? (await statementsDuring(store.core, work)).length : await roundTripsDuring(work);
    return { result, cost };
  }

  // The store's clock is 2026-03-01T12:00Z.
  const graph = [
    { id: 'root', status: 'open', created_at: '2025-11-01T12:00:00Z', estimate: { hours: 8, cost: 80 } },
    ...[1, 2, 3, 4, 5].map((i) => ({
      id: `c${i}`,
      status: 'open',
      after: ['root'],
      created_at: '2026-02-28T12:00:00Z',
      estimate: { hours: 2 },
    })),
    { id: 'wip', status: 'in-progress', assigned: 'agent-7', created_at: '2026-02-01T12:00:00Z', started_at: '2026-02-10T12:00:00Z' },
    { id: 'shipped', status: 'done', created_at: '2026-02-20T12:00:00Z', completed_at: '2026-02-27T12:00:00Z', estimate: { hours: 4 } },
  ];

  it('wg velocity, wg aging, wg forecast and wg structure read the graph once', async () => {
    const { store, ctx } = await project(graph);
    const velocity = await read(store, ctx, 'graph:velocity');
    const v = velocity.result as VelocityReport;
    expect([v.open_tasks, v.open_hours, v.average_hours_per_week, v.weeks[3]?.task_ids]).toEqual([7, 18, 1, ['shipped']]);
    const aging = await read(store, ctx, 'graph:aging');
    const a = aging.result as AgingReport;
    expect([a.oldest_tasks[0]?.id, a.oldest_tasks[0]?.age_days]).toEqual(['root', 120]);
    expect(a.stale_in_progress).toEqual([{ id: 'wip', title: 'Task wip', started_days_ago: 19, assigned: 'agent-7' }]);
    const forecast = await read(store, ctx, 'graph:forecast');
    const f = forecast.result as ForecastReport;
    expect(f.remaining_work).toMatchObject({ open_tasks: 1, blocked_tasks: 5, in_progress_tasks: 1, total_hours: 18 });
    expect(f.critical_path).toEqual({ path: ['root', 'c1'], total_hours: 10 });
    expect(f.blockers).toEqual([{ id: 'root', title: 'Task root', status: 'open', hours_remaining: 8, tasks_blocked: 5 }]);
    // 18 hours at 1 a week: 126 days after 2026-03-01.
    expect(f.scenarios[0]?.completion_date).toBe('Jul 05, 2026');
    const structure = await read(store, ctx, 'graph:structure');
    const s = structure.result as StructureReport;
    expect([s.entry_points, s.high_impact_roots]).toEqual([['root', 'wip', 'shipped'], [{ id: 'root', transitive_dependents: 5 }]]);
    // PostgreSQL: the rows and what each task carries beside them (dependencies, tags, its worktree) sent together (as
    // `wg list` reads them, two: the rows first). SQLite: those four statements.
    const once = kind === 'postgres' ? 1 : 4;
    expect([velocity.cost, aging.cost, forecast.cost, structure.cost]).toEqual([once, once, once, once]);
  });

  it('wg workload and wg analyze read the graph, the ready tasks and their third part in one round trip', async () => {
    const { store, ctx } = await project(graph);
    const workload = await read(store, ctx, 'graph:workload');
    expect(workload.result).toEqual({
      agents: [
        {
          id: 'agent-7',
          name: 'agent-7',
          assigned_count: 1,
          assigned_hours: 0,
          in_progress_count: 1,
          capacity: null,
          load_percent: null,
          is_overloaded: false,
        },
      ],
      unassigned_count: 6,
      ready_unassigned_count: 1,
    });
    const analyze = await read(store, ctx, 'graph:analyze');
    const h = analyze.result as HealthReport;
    expect(h.summary).toEqual({
      total_tasks: 8,
      open: 6,
      in_progress: 1,
      done: 1,
      blocked: 5,
      ready: 1,
      estimated_hours: 18,
      estimated_cost: 80,
    });
    expect(h.bottlenecks).toEqual([{ id: 'root', transitive_before: 5, status: 'open', severity: 'critical' }]);
    expect([h.aging.old_open_count, h.aging.stale_in_progress_count]).toEqual([1, 1]);
    expect(h.recommendations.map((r) => [r.action, r.task])).toEqual([
      ['assign_and_start', 'root'],
      ['review', 'root'],
    ]);
    // PostgreSQL: the graph (as above), the ready tasks' ids and the identities (workload) or resource nodes (analyze),
    // in one read transaction sent together (it was three with `wg list`'s read and the ready tasks read whole). SQLite:
    // the graph's four statements and one each.
    expect([workload.cost, analyze.cost]).toEqual(kind === 'postgres' ? [1, 1] : [6, 6]);
  });

  it('wg metrics counts removed worktrees, recover/ branches and dead runs in one round trip', async () => {
    const { store, ctx } = await project([
      { id: 'a', status: 'open' },
      { id: 'b', status: 'open' },
      { id: 'c', status: 'open' },
    ]);
    // Three runs: one found dead, one working, one done; the worktrees of two of them, one removed with its commits
    // kept on a recover/ branch, and a person's own worktree, removed too (not a clean-up of the coordinator's).
    await store.core.write(async (rev) => {
      await store.agents.insert(makeAgent({ id: 'agent-1', task_id: 'a', state: 'dead' }), null);
      await store.agents.insert(makeAgent({ id: 'agent-2', task_id: 'b', state: 'working' }), null);
      await store.agents.insert(makeAgent({ id: 'agent-3', task_id: 'c', state: 'done' }), null);
      const worktree = (id: string, task: string, owner: 'agent' | 'person') => ({
        id,
        task_id: task,
        agent_id: owner === 'agent' ? id : null,
        path: `/tmp/${id}`,
        branch: `wg/${id}`,
        base_branch: 'main',
        base_commit: 'abc',
        owner,
      });
      await store.worktrees.insert(worktree('agent-1', 'a', 'agent'), rev);
      await store.worktrees.insert(worktree('agent-2', 'b', 'agent'), rev);
      await store.worktrees.insert(worktree('mine', 'c', 'person'), rev);
      await store.worktrees.update('agent-1', { state: 'removed', recover_branch: 'recover/agent-1' }, rev);
      await store.worktrees.update('mine', { state: 'removed' }, rev);
    });
    const metrics = await read(store, ctx, 'graph:metrics');
    expect(metrics.result).toMatchObject({
      cleanup_success: 1,
      cleanup_failure: 0,
      recovery_branches: 1,
      dead_agent_cleanups: 1,
      success_rate_percent: 100,
      timing: { timed_operations: 0, resource_stats: { worktrees_removed: 1 } },
    });
    // PostgreSQL: the worktrees and the dead runs sent together; SQLite: those two statements.
    expect(metrics.cost).toBe(kind === 'postgres' ? 1 : 2);
  });
});
