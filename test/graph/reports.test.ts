import { describe, expect, it } from 'vitest';
import { AGE_BUCKETS, agingOf, ageBucket, staleInProgress, taskAges } from '../../src/core/graph/analysis/aging';
import { transitiveDependents } from '../../src/core/graph/analysis/bottlenecks';
import { forecastOf, scenario } from '../../src/core/graph/analysis/forecast';
import {
  classifyCycle,
  deadEndOpenTasks,
  healthAging,
  healthBottlenecks,
  healthReport,
  healthSummary,
  healthWorkload,
  recommendations,
  structuralHealth,
} from '../../src/core/graph/analysis/health-report';
import { structureOf } from '../../src/core/graph/analysis/structure';
import { dependentsIndex, indexTasks } from '../../src/core/graph/analysis/task-index';
import { transitiveCounts } from '../../src/core/graph/analysis/transitive-counts';
import { velocityOf, velocityTrend } from '../../src/core/graph/analysis/velocity';
import { workloadOf } from '../../src/core/graph/analysis/workload';
import { agingBar, formatBytes, velocityBar } from '../../src/cli/report-format';
import type { HealthAging, HealthBottleneck, HealthWorkload, StructuralIssue } from '../../src/shared/reports';
import type { Task } from '../../src/shared/task';
import { makeTask } from '../fixtures/objects';

/*
 * Upstream's reports as pure rules, against upstream's own cases (graphwork/workgraph src/commands/{velocity,aging,
 * workload,forecast,structure,analyze,metrics}.rs `mod tests`), each named in its `it`. The commands themselves, their
 * flags, output and reads of the store: test/commands/reports.test.ts.
 */

const NOW = new Date('2026-06-15T12:00:00Z');
const DAY = 86_400_000;
const ago = (days: number) => new Date(NOW.getTime() - days * DAY).toISOString();

/** Upstream's make_task: an open task, nobody's, made now. */
function task(id: string, more: Partial<Task> & { hours?: number; cost?: number } = {}): Task {
  const { hours, cost, ...fields } = more;
  const estimate: Record<string, number> = {};
  if (hours !== undefined) estimate.hours = hours;
  if (cost !== undefined) estimate.cost = cost;
  const extra: Task['extra'] = Object.keys(estimate).length > 0 ? { estimate } : {};
  return makeTask({
    id,
    title: `Task ${id}`,
    status: 'open',
    assigned: null,
    agent: null,
    started_at: null,
    created_at: NOW.toISOString(),
    extra,
    ...fields,
  });
}
/** Upstream's make_done_task: done `days` ago, with its hours if given. */
const done = (id: string, days: number, hours?: number) =>
  task(id, { status: 'done', completed_at: ago(days), ...(hours !== undefined ? { hours } : {}) });
const weeksOf = (counts: number[]) => counts.map((n, i) => ({ week_number: i + 1, tasks_completed: n, hours_completed: 0, task_ids: [] }));

describe('wg velocity (upstream velocity.rs)', () => {
  it('test_velocity_empty_graph', () => {
    const v = velocityOf([], 4, NOW);
    expect(v.weeks).toHaveLength(4);
    expect([v.average_tasks_per_week, v.average_hours_per_week, v.open_tasks, v.weeks_to_clear]).toEqual([0, 0, 0, null]);
  });

  it('test_velocity_single_completion', () => {
    const v = velocityOf([done('t1', 2, 8)], 4, NOW);
    expect(v.weeks[3]).toMatchObject({ tasks_completed: 1, hours_completed: 8 });
    expect([v.average_tasks_per_week, v.average_hours_per_week]).toEqual([0.25, 2]);
  });

  it('test_velocity_multiple_weeks', () => {
    const v = velocityOf(
      [done('t1', 1, 4), done('t2', 3, 4), done('t3', 8, 8), done('t4', 15, 4), done('t5', 16, 4), done('t6', 17, 4), done('t7', 22, 8)],
      4,
      NOW,
    );
    expect(v.weeks.map((w) => w.tasks_completed)).toEqual([1, 3, 1, 2]);
    expect(v.average_tasks_per_week).toBe(7 / 4);
  });

  it('test_velocity_with_open_tasks', () => {
    const v = velocityOf([done('t1', 1, 4), done('t2', 8, 4), task('t3', { hours: 8 }), task('t4', { hours: 16 })], 4, NOW);
    expect([v.open_tasks, v.open_hours]).toEqual([2, 24]);
    expect(v.weeks_to_clear).not.toBeNull();
  });

  it('test_velocity_missing_timestamps', () => {
    const v = velocityOf([done('t1', 1), task('t2', { status: 'done', completed_at: null })], 4, NOW);
    expect(v.tasks_without_timestamp).toBe(1);
    expect(v.weeks[3]?.tasks_completed).toBe(1);
  });

  it('test_trend_increasing / test_trend_decreasing / test_trend_stable', () => {
    expect(velocityTrend(weeksOf([2, 2, 5, 6]))).toBe('increasing');
    expect(velocityTrend(weeksOf([8, 7, 3, 2]))).toBe('decreasing');
    expect(velocityTrend(weeksOf([4, 5, 4, 5]))).toBe('stable');
  });

  it('test_make_bar', () => {
    expect(velocityBar(10, 10, false)).toContain('|'.repeat(25));
    expect(velocityBar(5, 10, false).startsWith('[||||||||||||')).toBe(true);
    expect(velocityBar(3, 10, true)).toContain('[below average]');
    expect(velocityBar(0, 10, false).startsWith(`[${' '.repeat(25)}]`)).toBe(true);
  });

  it('test_velocity_old_completion_excluded', () => {
    const v = velocityOf([done('t1', 30, 8), done('t2', 3, 4)], 4, NOW);
    expect(v.weeks.reduce((s, w) => s + w.tasks_completed, 0)).toBe(1);
  });

  it('test_in_progress_counted_as_open', () => {
    const v = velocityOf([task('t1', { status: 'in-progress', hours: 8 })], 4, NOW);
    expect([v.open_tasks, v.open_hours]).toEqual([1, 8]);
  });
});

describe('wg aging (upstream aging.rs)', () => {
  it('test_age_bucket_from_days / test_age_bucket_labels / test_age_bucket_warning_levels', () => {
    const label = (days: number) => AGE_BUCKETS[ageBucket(days)]?.label;
    expect([0, 1, 6, 7, 27, 28, 89, 90, 365].map(label)).toEqual([
      '< 1 day',
      '1-7 days',
      '1-7 days',
      '1-4 weeks',
      '1-4 weeks',
      '1-3 months',
      '1-3 months',
      '> 3 months',
      '> 3 months',
    ]);
    expect(AGE_BUCKETS.map((b) => b.warning)).toEqual([null, null, null, 'WARNING', 'CRITICAL']);
  });

  it('test_make_bar_empty / test_make_bar_full / test_make_bar_half / test_make_bar_zero_max', () => {
    expect(agingBar(0, 10, 10)).toBe('[          ]');
    expect(agingBar(10, 10, 10)).toBe('[||||||||||]');
    expect(agingBar(5, 10, 10)).toBe('[|||||     ]');
    // No brackets when nothing is counted at all, as upstream's.
    expect(agingBar(0, 0, 10)).toBe('          ');
  });

  it('test_collect_task_ages_with_timestamp', () => {
    const { aged, unknown } = taskAges([task('t1', { created_at: ago(5) })], NOW);
    expect(unknown).toBe(0);
    expect(aged.map((a) => [a.task.id, a.days, AGE_BUCKETS[ageBucket(a.days)]?.label])).toEqual([['t1', 5, '1-7 days']]);
  });

  it('test_collect_task_ages_without_timestamp: a creation time that is not one counts as unknown', () => {
    // Every task here has its creation time; one imported with an unreadable one is the case upstream's missing one is.
    expect(taskAges([task('t1', { created_at: 'not a time' })], NOW)).toEqual({ aged: [], unknown: 1 });
  });

  it('test_collect_task_ages_skips_done_tasks', () => {
    expect(taskAges([task('t1', { status: 'done', created_at: ago(5) })], NOW)).toEqual({ aged: [], unknown: 0 });
  });

  it('test_count_by_bucket', () => {
    const a = agingOf(
      [
        task('t1', { created_at: new Date(NOW.getTime() - 12 * 3_600_000).toISOString() }),
        task('t2', { created_at: ago(3) }),
        task('t3', { created_at: ago(14) }),
        task('t4', { created_at: ago(60) }),
        task('t5', { created_at: ago(120) }),
      ],
      NOW,
    );
    expect(a.distribution.map((d) => d.count)).toEqual([1, 1, 1, 1, 1]);
  });

  it('test_find_oldest_tasks', () => {
    const a = agingOf([task('t1', { created_at: ago(10) }), task('t2', { created_at: ago(30) }), task('t3', { created_at: ago(5) })], NOW);
    expect(a.oldest_tasks.slice(0, 2).map((t) => t.id)).toEqual(['t2', 't1']);
  });

  it('test_find_stale_in_progress', () => {
    const stale = staleInProgress(
      [
        task('t1', { status: 'in-progress', started_at: ago(20) }),
        task('t2', { status: 'in-progress', started_at: ago(5) }),
        task('t3', { started_at: ago(20) }),
      ],
      NOW,
      14,
    );
    expect(stale.map((s) => [s.task.id, s.days])).toEqual([['t1', 20]]);
  });
});

describe('wg workload (upstream workload.rs)', () => {
  const alice = { id: 'alice', name: 'Alice', capacity: 40 };

  it('test_empty_graph', () => {
    expect(workloadOf([], [], new Set())).toEqual({ agents: [], unassigned_count: 0, ready_unassigned_count: 0 });
  });

  it('test_single_agent_single_task', () => {
    const w = workloadOf([task('t1', { assigned: 'alice', hours: 8 })], [alice], new Set());
    expect(w.agents[0]).toMatchObject({ id: 'alice', assigned_count: 1, assigned_hours: 8, load_percent: 20, is_overloaded: false });
  });

  it('test_overloaded_agent', () => {
    const tasks = [1, 2, 3, 4, 5].map((i) => task(`t${i}`, { assigned: 'bob', hours: 10 }));
    const w = workloadOf(tasks, [{ id: 'bob', name: 'Bob', capacity: 40 }], new Set());
    expect(w.agents[0]).toMatchObject({ assigned_count: 5, assigned_hours: 50, load_percent: 125, is_overloaded: true });
  });

  it('test_unassigned_tasks', () => {
    const w = workloadOf([task('t1'), task('t2')], [], new Set(['t1', 't2']));
    expect([w.unassigned_count, w.ready_unassigned_count]).toEqual([2, 2]);
  });

  it('test_in_progress_tasks_counted', () => {
    const w = workloadOf(
      [task('t1', { assigned: 'alice', status: 'in-progress', hours: 8 }), task('t2', { assigned: 'alice', hours: 4 })],
      [alice],
      new Set(),
    );
    expect(w.agents[0]).toMatchObject({ assigned_count: 2, assigned_hours: 12, in_progress_count: 1 });
  });

  it('test_done_tasks_not_counted', () => {
    const w = workloadOf([task('t1', { assigned: 'alice', status: 'done', hours: 8 })], [alice], new Set());
    expect(w.agents[0]).toMatchObject({ assigned_count: 0, assigned_hours: 0 });
  });

  it('test_agent_without_capacity', () => {
    const w = workloadOf(
      [task('t1', { assigned: 'claude-agent', hours: 8 })],
      [{ id: 'claude-agent', name: 'Claude Agent', capacity: null }],
      new Set(),
    );
    expect(w.agents[0]).toMatchObject({ assigned_count: 1, assigned_hours: 8, capacity: null, load_percent: null, is_overloaded: false });
  });

  it('test_implicit_agent_from_assignment', () => {
    const w = workloadOf([task('t1', { assigned: 'implicit-agent', hours: 8 })], [], new Set());
    expect(w.agents).toMatchObject([{ id: 'implicit-agent', name: 'implicit-agent', assigned_count: 1, assigned_hours: 8 }]);
  });
});

describe('wg forecast (upstream forecast.rs)', () => {
  it('test_forecast_empty_graph', () => {
    const f = forecastOf([], NOW);
    expect(f.remaining_work).toMatchObject({ open_tasks: 0, blocked_tasks: 0, in_progress_tasks: 0, total_hours: 0 });
    expect([f.has_velocity_data, f.has_estimates]).toEqual([false, false]);
  });

  it('test_forecast_all_done', () => {
    const f = forecastOf([done('t1', 1, 8), done('t2', 2, 4)], NOW);
    expect([f.remaining_work.open_tasks, f.remaining_work.total_hours]).toEqual([0, 0]);
  });

  it('test_remaining_work_calculation', () => {
    const f = forecastOf(
      [task('t1', { hours: 8 }), task('t2', { status: 'in-progress', hours: 4 }), task('t3', { status: 'blocked', hours: 12 })],
      NOW,
    );
    expect(f.remaining_work).toEqual({
      open_tasks: 1,
      open_hours: 8,
      in_progress_tasks: 1,
      in_progress_hours: 4,
      blocked_tasks: 1,
      blocked_hours: 12,
      total_hours: 24,
    });
  });

  it('test_after_incomplete_dependency', () => {
    const f = forecastOf([task('t1', { hours: 8 }), task('t2', { hours: 4, after: ['t1'] })], NOW);
    expect(f.remaining_work).toMatchObject({ open_tasks: 1, open_hours: 8, blocked_tasks: 1, blocked_hours: 4 });
  });

  it('test_scenarios_with_velocity', () => {
    const f = forecastOf(
      [done('done1', 1, 10), done('done2', 3, 10), done('done3', 5, 10), done('done4', 8, 10), task('open1', { hours: 100 })],
      NOW,
    );
    expect(f.has_velocity_data).toBe(true);
    expect(f.scenarios.map((s) => s.name.split(' ')[0])).toEqual(['Optimistic', 'Realistic', 'Pessimistic']);
    expect(f.scenarios.map((s) => s.estimated_hours)).toEqual([100, 130, 150]);
    // 40 hours in four weeks is 10 a week: 100 hours is 70 days from now, in upstream's `%b %d, %Y`.
    expect(f.scenarios[0]?.completion_date).toBe('Aug 24, 2026');
  });

  it('test_scenarios_without_velocity', () => {
    const f = forecastOf([task('t1', { hours: 100 })], NOW);
    expect(f.has_velocity_data).toBe(false);
    expect(f.scenarios).toHaveLength(3);
    expect(f.scenarios[0]?.completion_date).toBeNull();
  });

  it('test_find_key_blockers', () => {
    const f = forecastOf([task('root', { hours: 8 }), ...[1, 2, 3, 4, 5].map((i) => task(`t${i}`, { hours: 4, after: ['root'] }))], NOW);
    expect(f.blockers[0]).toMatchObject({ id: 'root', tasks_blocked: 5 });
  });

  it('test_critical_path_linear', () => {
    const f = forecastOf([task('t1', { hours: 8 }), task('t2', { hours: 4, after: ['t1'] }), task('t3', { hours: 2, after: ['t2'] })], NOW);
    expect(f.critical_path).toEqual({ path: ['t1', 't2', 't3'], total_hours: 14 });
  });

  it('test_critical_path_branching', () => {
    const f = forecastOf(
      [task('t1', { hours: 4 }), task('t2', { hours: 2, after: ['t1'] }), task('t3', { hours: 10, after: ['t1'] })],
      NOW,
    );
    expect(f.critical_path).toEqual({ path: ['t1', 't3'], total_hours: 14 });
  });

  it('test_no_estimates', () => {
    const f = forecastOf([task('t1'), task('t2')], NOW);
    expect([f.has_estimates, f.remaining_work.total_hours, f.remaining_work.open_tasks]).toEqual([false, 0, 2]);
  });

  it('test_json_serialization', () => {
    const parsed = JSON.parse(JSON.stringify(forecastOf([task('t1', { hours: 8 })], NOW))) as Record<string, unknown>;
    expect(typeof (parsed.remaining_work as Record<string, unknown>).open_tasks).toBe('number');
    expect([Array.isArray(parsed.scenarios), Array.isArray(parsed.blockers)]).toEqual([true, true]);
  });

  it('test_blocker_minimum_threshold', () => {
    expect(forecastOf([task('root', { hours: 8 }), task('t1', { hours: 4, after: ['root'] })], NOW).blockers).toEqual([]);
  });

  it('test_critical_path_with_cycle: a loop of an imported graph ends, its work counted', () => {
    const f = forecastOf(
      [task('t1', { hours: 4, after: ['t3'] }), task('t2', { hours: 8, after: ['t1'] }), task('t3', { hours: 2, after: ['t2'] })],
      NOW,
    );
    expect(f.remaining_work.open_tasks + f.remaining_work.blocked_tasks).toBeGreaterThan(0);
    // Every task waits on another of the loop: none is where a chain starts.
    expect(f.critical_path).toBeNull();
  });

  it('test_create_scenario_huge_hours_no_overflow', () => {
    expect(scenario('huge', 0, Number.MAX_VALUE / 2, 1, NOW).completion_date).toBeNull();
  });
});

describe('wg structure (upstream structure.rs)', () => {
  it('test_entry_points_simple / test_dead_ends_detection', () => {
    const s = structureOf([task('t1'), task('t2', { after: ['t1'] })]);
    expect(s.entry_points).toEqual(['t1']);
    expect(s.dead_ends).toEqual([{ id: 't2', status: 'open', expected: false, warning: true }]);
  });

  it('test_transitive_dependents: a chain of six, five wait on its first', () => {
    const chain = ['t1', 't2', 't3', 't4', 't5', 't6'].map((id, i, ids) => task(id, i === 0 ? {} : { after: [ids[i - 1] as string] }));
    expect(structureOf(chain).high_impact_roots).toEqual([{ id: 't1', transitive_dependents: 5 }]);
  });

  it('test_transitive_dependents_diamond: the task both sides lead to counted once', () => {
    const tasks = [task('t1'), task('t2', { after: ['t1'] }), task('t3', { after: ['t1'] }), task('t4', { after: ['t2', 't3'] })];
    const dependents = new Map([
      ['t1', ['t2', 't3']],
      ['t2', ['t4']],
      ['t3', ['t4']],
    ]);
    expect(transitiveDependents(dependents, 't1').size).toBe(3);
    // Three is under the five of a high-impact root.
    expect(structureOf(tasks).high_impact_roots).toEqual([]);
  });

  it('test_empty_graph', () => {
    expect(structureOf([])).toEqual({ entry_points: [], dead_ends: [], high_impact_roots: [] });
  });

  it('test_json_output: a task named like a deliverable is an expected dead end', () => {
    expect(structureOf([task('api-design', { title: 'Design API' })]).dead_ends).toEqual([
      { id: 'api-design', status: 'open', expected: false, warning: true },
    ]);
    expect(structureOf([task('write-docs', { title: 'Write documentation' })]).dead_ends[0]?.expected).toBe(true);
  });
});

describe('wg analyze (upstream analyze.rs)', () => {
  const none: HealthWorkload = { total_actors: 0, balanced_actors: 0, overloaded: [] };
  const noAging: HealthAging = { old_open_count: 0, stale_in_progress_count: 0, issues: [] };
  const bottleneck = (id: string, more: Partial<HealthBottleneck> = {}): HealthBottleneck => ({
    id,
    transitive_before: 3,
    status: 'open',
    severity: 'critical',
    ...more,
  });
  const oldOpen = (id: string, days: number) => ({ task_id: id, days, issue_type: 'old_open' as const });
  const fanOut = (root: Partial<Task>, children = 4) => [
    task('t1', root),
    ...Array.from({ length: children }, (_, i) => task(`t${i + 2}`, { after: ['t1'] })),
  ];

  it('test_compute_summary_empty', () => {
    expect(healthSummary([], new Set())).toMatchObject({ total_tasks: 0, open: 0, in_progress: 0, done: 0, blocked: 0, ready: 0 });
  });

  it('test_compute_summary_with_tasks', () => {
    const s = healthSummary(
      [task('t1', { hours: 10, cost: 1000 }), task('t2', { status: 'done' }), task('t3', { status: 'in-progress', hours: 5, cost: 500 })],
      new Set(['t1']),
    );
    expect(s).toMatchObject({ total_tasks: 3, open: 1, in_progress: 1, done: 1, estimated_hours: 15, estimated_cost: 1500 });
  });

  it('test_compute_summary_single_task', () => {
    expect(healthSummary([task('t1')], new Set(['t1']))).toMatchObject({ total_tasks: 1, open: 1, ready: 1, blocked: 0 });
  });

  it('test_compute_summary_blocked_task_counted', () => {
    expect(healthSummary([task('t1'), task('t2', { after: ['t1'] })], new Set(['t1']))).toMatchObject({ blocked: 1, ready: 1, open: 2 });
  });

  it('test_compute_summary_explicit_blocked_status', () => {
    expect(healthSummary([task('t1', { status: 'blocked', hours: 3, cost: 100 })], new Set())).toMatchObject({
      blocked: 1,
      estimated_hours: 3,
      estimated_cost: 100,
    });
  });

  it('test_compute_summary_failed_abandoned_not_counted', () => {
    const s = healthSummary(
      [task('t1', { status: 'failed', hours: 10, cost: 500 }), task('t2', { status: 'abandoned', hours: 20, cost: 1000 })],
      new Set(),
    );
    expect(s).toMatchObject({ total_tasks: 2, open: 0, in_progress: 0, done: 0, estimated_hours: 0, estimated_cost: 0 });
  });

  it('test_compute_summary_done_not_counted_as_in_progress', () => {
    expect(healthSummary([task('t1', { status: 'done', hours: 5, cost: 200 })], new Set())).toMatchObject({
      in_progress: 0,
      estimated_hours: 0,
      estimated_cost: 0,
    });
  });

  it('test_compute_summary_no_estimates', () => {
    expect(healthSummary([task('t1'), task('t2')], new Set())).toMatchObject({ estimated_hours: 0, estimated_cost: 0 });
  });

  it('test_compute_structural_health_clean', () => {
    const tasks = [task('t1')];
    expect(structuralHealth(tasks, indexTasks(tasks)).issues.filter((i) => i.severity === 'ok').length).toBeGreaterThanOrEqual(2);
  });

  it('test_compute_structural_health_with_orphan', () => {
    const tasks = [task('t1', { after: ['nonexistent'] })];
    expect(structuralHealth(tasks, indexTasks(tasks)).issues).toContainEqual({
      severity: 'critical',
      message: '1 orphan reference(s) found',
      details: ['t1 -> nonexistent (after)'],
    });
  });

  it('test_structural_health_dead_end_tasks / test_structural_health_done_tasks_not_dead_end', () => {
    const deadEnd = (tasks: Task[]) =>
      structuralHealth(tasks, indexTasks(tasks)).issues.some((i) => i.severity === 'warning' && i.message.includes('dead-end'));
    expect(deadEnd([task('orphan1'), task('orphan2')])).toBe(true);
    expect(deadEnd([task('t1', { status: 'done' })])).toBe(false);
  });

  it('test_structural_health_deploy_not_dead_end / test_dead_end_doc_excluded / test_find_dead_end_open_tasks', () => {
    const deliverables = [
      task('deploy-prod', { title: 'Deploy to production' }),
      task('release-v2', { title: 'Release version 2' }),
      task('final-review', { title: 'Final review' }),
      task('write-docs', { title: 'Write documentation for API' }),
    ];
    expect(deadEndOpenTasks(deliverables)).toEqual([]);
    const found = deadEndOpenTasks([
      task('t1'),
      task('t2', { after: ['t1'] }),
      task('t3', { title: 'Forgotten task' }),
      task('deploy', { title: 'Deploy to production' }),
    ]);
    expect(found).toEqual(['t2', 't3']);
  });

  it('test_dead_end_empty_graph / test_dead_end_all_done', () => {
    expect(deadEndOpenTasks([])).toEqual([]);
    expect(deadEndOpenTasks([task('t1', { status: 'done' }), task('t2', { status: 'done' })])).toEqual([]);
  });

  it('test_compute_bottlenecks_with_chain', () => {
    const chain = [task('t1'), task('t2', { after: ['t1'] }), task('t3', { after: ['t2'] }), task('t4', { after: ['t3'] })];
    expect(healthBottlenecks(chain, NOW)[0]).toMatchObject({ id: 't1', transitive_before: 3 });
  });

  it('test_compute_bottlenecks_empty_graph / test_compute_bottlenecks_no_dependencies', () => {
    expect(healthBottlenecks([], NOW)).toEqual([]);
    expect(healthBottlenecks([task('t1'), task('t2'), task('t3')], NOW)).toEqual([]);
  });

  it('test_compute_bottlenecks_fan_out', () => {
    expect(healthBottlenecks(fanOut({}), NOW)).toMatchObject([{ id: 't1', transitive_before: 4 }]);
  });

  it('test_compute_bottlenecks_done_task_severity_ok', () => {
    expect(healthBottlenecks(fanOut({ status: 'done' }), NOW)[0]?.severity).toBe('ok');
  });

  it('test_compute_bottlenecks_in_progress_with_days', () => {
    expect(healthBottlenecks(fanOut({ status: 'in-progress', started_at: ago(5) }), NOW)[0]?.days_in_progress).toBe(5);
  });

  it('test_compute_bottlenecks_truncated_to_5', () => {
    const tasks = Array.from({ length: 8 }, (_, r) => [
      task(`root${r}`),
      ...[0, 1, 2].map((c) => task(`child${r}_${c}`, { after: [`root${r}`] })),
    ]).flat();
    expect(healthBottlenecks(tasks, NOW)).toHaveLength(5);
  });

  it('test_compute_bottlenecks_severity_critical_for_large_open', () => {
    expect(healthBottlenecks(fanOut({}), NOW)[0]?.severity).toBe('critical');
  });

  it('test_compute_workload / test_compute_workload_multiple_actors', () => {
    expect(healthWorkload([task('t1', { assigned: 'alice', hours: 50 })])).toMatchObject({ total_actors: 1, balanced_actors: 1 });
    const two = [
      task('t1', { assigned: 'alice', hours: 10 }),
      task('t2', { assigned: 'bob', hours: 20 }),
      task('t3', { assigned: 'alice', hours: 15 }),
    ];
    expect(healthWorkload(two).total_actors).toBe(2);
  });

  it('test_compute_workload_empty_graph / test_compute_workload_done_tasks_excluded / test_compute_workload_unassigned_not_counted', () => {
    expect(healthWorkload([])).toEqual(none);
    expect(healthWorkload([task('t1', { status: 'done', assigned: 'alice', hours: 100 })]).total_actors).toBe(0);
    expect(healthWorkload([task('t1')]).total_actors).toBe(0);
  });

  it('test_compute_workload_detects_overloaded_actor', () => {
    const w = healthWorkload([
      task('t0', { assigned: 'alice', hours: 10 }),
      task('t1', { assigned: 'bob', hours: 10 }),
      task('t2', { assigned: 'charlie', hours: 100 }),
    ]);
    expect(w.total_actors).toBe(3);
    expect(w.overloaded).toMatchObject([{ id: 'charlie', is_overloaded: true }]);
    expect(w.balanced_actors).toBe(2);
  });

  it('test_compute_aging / test_compute_aging_empty_graph / test_compute_aging_recent_task_not_flagged', () => {
    const old = healthAging([task('t1', { created_at: ago(100) })], NOW);
    expect(old.old_open_count).toBe(1);
    expect(old.issues).not.toEqual([]);
    expect(healthAging([], NOW)).toEqual(noAging);
    expect(healthAging([task('t1', { created_at: ago(10) })], NOW)).toEqual(noAging);
  });

  it('test_compute_aging_stale_in_progress / test_compute_aging_in_progress_not_stale', () => {
    const stale = healthAging([task('t1', { status: 'in-progress', started_at: ago(20) })], NOW);
    expect(stale.stale_in_progress_count).toBe(1);
    expect(stale.issues).toEqual([{ task_id: 't1', days: 20, issue_type: 'stale_in_progress' }]);
    expect(healthAging([task('t1', { status: 'in-progress', started_at: ago(5) })], NOW).stale_in_progress_count).toBe(0);
  });

  it('test_compute_aging_issues_sorted_by_days_desc / test_compute_aging_truncated_to_5', () => {
    const three = healthAging(
      [task('t1', { created_at: ago(100) }), task('t2', { created_at: ago(200) }), task('t3', { created_at: ago(150) })],
      NOW,
    );
    expect(three.issues.map((i) => i.days)).toEqual([200, 150, 100]);
    const eight = healthAging(
      Array.from({ length: 8 }, (_, i) => task(`t${i}`, { created_at: ago(100 + i) })),
      NOW,
    );
    expect([eight.old_open_count, eight.issues.length]).toEqual([8, 5]);
  });

  it('test_compute_aging_no_created_at_ignored: a creation time that is not one is left out', () => {
    expect(healthAging([task('t1', { created_at: '' })], NOW).old_open_count).toBe(0);
  });

  it('test_generate_recommendations_with_bottleneck', () => {
    const recs = recommendations({ issues: [] }, [bottleneck('critical-task', { transitive_before: 8 })], none, noAging);
    expect(recs[0]).toEqual({
      priority: 1,
      action: 'assign_and_start',
      task: 'critical-task',
      reason: 'critical bottleneck - blocks 8 tasks',
    });
  });

  it('test_recommendations_stale_in_progress_bottleneck', () => {
    const recs = recommendations(
      { issues: [] },
      [bottleneck('stale-task', { status: 'in-progress', assigned: 'alice', severity: 'warning', days_in_progress: 20 })],
      none,
      noAging,
    );
    expect(recs.find((r) => r.action === 'check_on')?.reason).toContain('20 days');
  });

  it('test_recommendations_old_open_tasks', () => {
    const recs = recommendations({ issues: [] }, [], none, {
      ...noAging,
      old_open_count: 2,
      issues: [oldOpen('old1', 120), oldOpen('old2', 95)],
    });
    expect(recs.filter((r) => r.action === 'review')).toHaveLength(2);
  });

  it('test_recommendations_structural_critical', () => {
    const recs = recommendations({ issues: [{ severity: 'critical', message: '3 orphan reference(s) found' }] }, [], none, noAging);
    expect(recs.filter((r) => r.action === 'fix_structural').map((r) => r.reason)).toEqual(['3 orphan reference(s) found']);
  });

  it('test_recommendations_overloaded_actor', () => {
    const recs = recommendations(
      { issues: [] },
      [],
      { total_actors: 2, balanced_actors: 1, overloaded: [{ id: 'alice', load_percent: 150, is_overloaded: true }] },
      noAging,
    );
    expect(recs.filter((r) => r.action === 'redistribute').map((r) => r.reason)).toEqual(['@alice at 150% capacity']);
  });

  it('test_recommendations_truncated_to_5', () => {
    const issues: StructuralIssue[] = [
      { severity: 'critical', message: 'issue 1' },
      { severity: 'critical', message: 'issue 2' },
    ];
    const recs = recommendations(
      { issues },
      [bottleneck('b1', { transitive_before: 10 }), bottleneck('b2', { transitive_before: 8 })],
      { total_actors: 1, balanced_actors: 0, overloaded: [{ id: 'alice', load_percent: 200, is_overloaded: true }] },
      { old_open_count: 3, stale_in_progress_count: 0, issues: [oldOpen('old1', 200), oldOpen('old2', 150), oldOpen('old3', 120)] },
    );
    expect(recs).toHaveLength(5);
    expect(recs.map((r) => r.priority)).toEqual([1, 2, 3, 4, 5]);
  });

  it('test_recommendations_empty_when_all_clear', () => {
    expect(recommendations({ issues: [] }, [], none, noAging)).toEqual([]);
  });

  it('test_analysis_output_json_serialization / test_severity_serialization', () => {
    const report = healthReport(
      [task('t1', { assigned: 'alice', hours: 10, cost: 500 }), ...[2, 3, 4, 5, 6].map((i) => task(`t${i}`, { after: ['t1'] }))],
      new Set(['t1']),
      NOW,
    );
    const parsed = JSON.parse(JSON.stringify(report)) as HealthReportJson;
    expect(parsed.summary.total_tasks).toBe(6);
    expect(parsed.summary.estimated_hours).toBe(10);
    expect(parsed.structural.issues[0]?.severity).toBe('ok');
    expect(parsed.bottlenecks[0]).toMatchObject({ id: 't1', assigned: 'alice', severity: 'critical' });
    expect(parsed.workload.total_actors).toBe(1);
  });

  it('test_analysis_output_json_skips_none_fields', () => {
    const tasks = [task('t1'), task('t2', { after: ['t1'] }), task('t3', { after: ['t2'] }), task('t4', { after: ['t3'] })];
    const parsed = JSON.parse(JSON.stringify(healthReport(tasks, new Set(['t1']), NOW))) as HealthReportJson;
    expect(parsed.structural.issues[0]).not.toHaveProperty('details');
    expect(parsed.bottlenecks[0]).not.toHaveProperty('assigned');
    expect(parsed.bottlenecks[0]).not.toHaveProperty('days_in_progress');
  });

  it('test_classify_cycle_intentional_with_recurring_tag / _with_cycle_tag / short / long / medium', () => {
    const graph = (n: number, tags: string[] = []) => {
      const tasks = Array.from({ length: n }, (_, i) => task(`t${i}`, i === 0 ? { tags } : {}));
      return { ids: tasks.map((t) => t.id), index: indexTasks(tasks) };
    };
    const classOf = (g: ReturnType<typeof graph>) => classifyCycle(g.ids, g.index);
    expect(classOf(graph(2, ['recurring'])).classification).toBe('intentional');
    expect(classOf(graph(2, ['cycle:intentional'])).classification).toBe('intentional');
    expect(classOf(graph(2)).classification).toBe('warning');
    expect(classOf(graph(6))).toEqual({ classification: 'warning', reason: 'Long cycle (6 nodes) likely unintentional' });
    expect(classOf(graph(3))).toEqual({ classification: 'info', reason: 'Medium cycle (3 nodes) needs review' });
  });

  it('test_collect_transitive_dependents_deep_chain / _diamond / _no_dependents (and commands/mod.rs collect_transitive_dependents_handles_cycles)', () => {
    const chain = new Map([
      ['t1', ['t2']],
      ['t2', ['t3']],
      ['t3', ['t4']],
      ['t4', ['t5']],
    ]);
    expect([...transitiveDependents(chain, 't1')].sort()).toEqual(['t2', 't3', 't4', 't5']);
    expect(transitiveDependents(new Map(), 't1').size).toBe(0);
    // A loop: the task itself waits on itself too.
    expect(
      [
        ...transitiveDependents(
          new Map([
            ['a', ['b']],
            ['b', ['a']],
          ]),
          'a',
        ),
      ].sort(),
    ).toEqual(['a', 'b']);
  });

  it('a loop of an imported graph is a warning of its structural health (upstream check_all cycles, classified)', () => {
    const loop = [task('a', { after: ['b'] }), task('b', { after: ['a'] })];
    expect(structuralHealth(loop, indexTasks(loop)).issues).toContainEqual({
      severity: 'warning',
      message: '1 cycle(s) detected (1 warning, 0 intentional)',
    });
  });
});

describe('wg metrics (upstream metrics.rs)', () => {
  it('test_format_bytes', () => {
    expect([0, 512, 1024, 1536, 1024 ** 2, 1024 ** 3, 1536 * 1024 ** 2].map(formatBytes)).toEqual([
      '0B',
      '512B',
      '1.0KB',
      '1.5KB',
      '1.0MB',
      '1.0GB',
      '1.5GB',
    ]);
  });
});

interface HealthReportJson {
  summary: Record<string, number>;
  structural: { issues: Array<Record<string, unknown>> };
  bottlenecks: Array<Record<string, unknown>>;
  workload: Record<string, number>;
}

describe('what waits on each task, counted at once (transitive-counts.ts)', () => {
  it("is upstream's walk from each task (collect_transitive_dependents) on 500 graphs with loops, self-loops and missing ids", () => {
    let seed = 7;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    for (let round = 0; round < 500; round++) {
      const n = 1 + Math.floor(random() * 40);
      const tasks = Array.from({ length: n }, (_, i) =>
        task(`t${i}`, {
          after: Array.from({ length: Math.floor(random() * 3) }, () => (random() < 0.1 ? 'missing' : `t${Math.floor(random() * n)}`)),
        }),
      );
      const dependents = dependentsIndex(tasks);
      const walked = new Map(tasks.map((t) => [t.id, transitiveDependents(dependents, t.id).size]));
      expect(transitiveCounts(tasks)).toEqual(walked);
    }
  });

  it('a chain of 5,000: the last four wait on the first, each task on none of the later ones', () => {
    const chain = Array.from({ length: 5000 }, (_, i) => task(`t${i}`, i === 0 ? {} : { after: [`t${i - 1}`] }));
    const counts = transitiveCounts(chain);
    expect([counts.get('t0'), counts.get('t4995'), counts.get('t4999')]).toEqual([4999, 4, 0]);
  });
});
