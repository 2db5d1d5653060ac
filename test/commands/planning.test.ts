import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dependencyChains } from '../../src/core/graph/analysis/impact';
import { fitWithin, projectSummary } from '../../src/core/graph/analysis/plan-fit';
import { indexTasks } from '../../src/core/graph/analysis/task-index';
import type { CyclesReport, ImpactReport, PlanReport } from '../../src/shared/planning';
import type { Task } from '../../src/shared/task';
import { makeTask } from '../fixtures/objects';
import { InProcessProject } from '../helpers/wg-in-process';

/*
 * Upstream's planning reports `wg cycles`, `wg impact` and `wg plan`, against its own cases, each named in its `it`:
 * src/commands/cycles.rs, impact.rs and plan.rs `mod tests`, the cases of its query module that plan.rs rests on
 * (project_summary, tasks_within_budget, tasks_within_hours) and tests/integration_cycle_detection.rs's test_cli_cycles_*.
 *
 * Not ported: plan.rs test_run_no_init (every command here refuses a folder without a project, as
 * test/cli covers once for all of them); test_budget_plan_output_creation, test_hours_plan_output_creation and
 * test_plan_output_serialization build upstream's Rust output structs by hand, which `wg plan --json` covers below.
 */

let p: InProcessProject;
beforeEach(async () => {
  p = new InProcessProject('wg-planning-');
  await p.ok(['init']);
});
afterEach(() => p.remove());

const est = (hours: number | null, cost: number | null) => ({
  estimate: { ...(hours === null ? {} : { hours }), ...(cost === null ? {} : { cost }) },
});

describe('wg cycles (upstream cycles.rs, tests/integration_cycle_detection.rs)', () => {
  it('test_cycles_no_cycles / test_cycle_analysis_no_cycles / test_cli_cycles_no_cycles', async () => {
    await p.importTasks([{ id: 't2', after: ['t1'] }, { id: 't1' }]);
    expect(await p.ok(['cycles'])).toContain('No cycles detected in after edges.');
    expect(await p.json<CyclesReport>(['cycles'])).toEqual({ cycle_count: 0, cycles: [], back_edges: [] });
  });

  it('test_cycles_detects_simple_cycle / test_cycle_analysis_from_graph / test_cli_cycles_shows_cycle / test_cli_cycles_json_output', async () => {
    await p.importTasks([
      { id: 'write', title: 'Write', after: ['review'] },
      { id: 'review', title: 'Review', after: ['write'] },
    ]);
    const text = await p.ok(['cycles']);
    expect(text).toContain('Cycles detected: 1');
    expect(text).toContain('[REDUCIBLE]');
    const report = await p.json<CyclesReport>(['cycles']);
    expect(report.cycle_count).toBe(1);
    expect(report.cycles[0]).toMatchObject({ members: ['review', 'write'], member_count: 2, reducible: true });
    expect(report.back_edges).toHaveLength(1);
    // The back edge closes the loop onto its header.
    expect(report.back_edges[0]?.to).toBe(report.cycles[0]?.header);
  });

  it('test_cycle_analysis_task_to_cycle_mapping: a task outside the loop is in no cycle; the loop is entered from it', async () => {
    await p.importTasks([{ id: 'a', after: ['b'] }, { id: 'b', after: ['a', 'c'] }, { id: 'c' }]);
    const report = await p.json<CyclesReport>(['cycles']);
    expect(report.cycles.map((c) => c.members)).toEqual([['a', 'b']]);
    // c leads into the loop at b: b is its header, and the edge back onto b is a -> b.
    expect(report.cycles[0]?.header).toBe('b');
    expect(report.back_edges).toEqual([{ from: 'a', to: 'b' }]);
    expect(await p.ok(['cycles'])).toContain('b [open] (header) - Task b');
  });

  it('an irreducible loop (two entries) is named so, with upstream warning', async () => {
    await p.importTasks([{ id: 'x' }, { id: 'y' }, { id: 'a', after: ['b', 'x'] }, { id: 'b', after: ['a', 'y'] }]);
    const text = await p.ok(['cycles']);
    expect(text).toContain('[IRREDUCIBLE]');
    expect(text).toContain('WARNING: Irreducible cycle has multiple entry points.');
    expect(text).toContain('Irreducible cycles: 1');
  });
});

describe('wg impact (upstream impact.rs)', () => {
  it('test_build_reverse_index_empty: a task nothing depends on affects nothing', async () => {
    await p.importTasks([{ id: 't1' }]);
    const r = await p.json<ImpactReport>(['impact', 't1']);
    expect(r.direct_dependents).toEqual([]);
    expect(r.impact_summary).toEqual({ total_tasks_affected: 0, total_hours_at_risk: 0 });
    expect(await p.ok(['impact', 't1'])).toContain('Direct dependents: none');
  });

  it('test_build_reverse_index_simple / test_build_reverse_index_multiple_dependents', async () => {
    await p.importTasks([{ id: 't1' }, { id: 't2', after: ['t1'] }, { id: 't3', after: ['t1'] }]);
    const r = await p.json<ImpactReport>(['impact', 't1']);
    expect(r.direct_dependents.map((d) => d.id).sort()).toEqual(['t2', 't3']);
    expect(r.transitive_dependents).toEqual([]);
    expect((await p.json<ImpactReport>(['impact', 't2'])).direct_dependents).toEqual([]);
  });

  it('test_collect_transitive_dependents: a chain t1 -> t2 -> t3 -> t4', async () => {
    await p.importTasks([{ id: 't1' }, { id: 't2', after: ['t1'] }, { id: 't3', after: ['t2'] }, { id: 't4', after: ['t3'] }]);
    const r = await p.json<ImpactReport>(['impact', 't1']);
    expect(r.direct_dependents.map((d) => d.id)).toEqual(['t2']);
    expect(r.transitive_dependents.map((d) => d.id)).toEqual(['t3', 't4']);
    expect(r.dependency_chains).toEqual([['t2', 't3', 't4']]);
    expect(r.impact_summary.total_tasks_affected).toBe(3);
    expect(await p.ok(['impact', 't1'])).toContain('  - t2 -> t3 -> t4');
  });

  it('test_collect_transitive_dependents_with_diamond: t4, reached twice, counts once', async () => {
    await p.importTasks([{ id: 't1' }, { id: 't2', after: ['t1'] }, { id: 't3', after: ['t1'] }, { id: 't4', after: ['t2', 't3'] }]);
    expect((await p.json<ImpactReport>(['impact', 't1'])).impact_summary.total_tasks_affected).toBe(3);
  });

  it('test_impact_hours_calculation: hours at risk are the dependents’ estimates, not the task’s own', async () => {
    await p.importTasks([
      { id: 't1', ...est(8, null) },
      { id: 't2', after: ['t1'], ...est(16, null) },
      { id: 't3', after: ['t2'], ...est(4, null) },
    ]);
    const r = await p.json<ImpactReport>(['impact', 't1']);
    expect(r.task).toMatchObject({ id: 't1', hours: 8 });
    expect(r.impact_summary.total_hours_at_risk).toBe(20);
    const text = await p.ok(['impact', 't1']);
    expect(text).toContain('Status: Open');
    expect(text).toContain('Estimated: 8h');
    expect(text).toContain('  - t2 (16h)');
    expect(text).toContain('    - Total hours at risk: 20h');
  });

  it('the chains of a loop end where the walk has been (collect_transitive_dependents_handles_cycles)', () => {
    const chains = dependencyChains(
      new Map([
        ['a', ['b']],
        ['b', ['a']],
      ]),
      'a',
    );
    expect(chains).toEqual([['b', 'a', 'b']]);
  });

  it('a task that is not there: one line, exit 3, as every command here', async () => {
    const r = await p.wg(['impact', 'ghost']);
    expect(r.exitCode).toBe(3);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain("task 'ghost' not found");
  });
});

/** The pure rules, as upstream's query module tests them (no store: readiness given). */
const graph = (tasks: Task[]) => ({ tasks, index: indexTasks(tasks) });
const withEstimate = (id: string, hours: number | null, cost: number | null, fields: Partial<Task> = {}) =>
  makeTask({ id, title: id, status: 'open', ...fields, extra: est(hours, cost) });

describe('wg plan (upstream plan.rs, and query.rs project_summary / tasks_within_budget / tasks_within_hours)', () => {
  const setupPlanGraph = () =>
    p.importTasks([
      { id: 't1', ...est(4, 400) },
      { id: 't2', ...est(8, 800) },
    ]);

  it('test_run_no_constraints: the overview', async () => {
    await setupPlanGraph();
    expect((await p.ok(['plan'])).trimEnd()).toBe(
      'Project Status:\n  Tasks: 2 open, 0 done, 0 in-progress\n  Estimated: $1200 / 12 hours remaining\n  Ready: 2 tasks\n  Blocked: 0 tasks',
    );
  });

  it('test_run_with_budget / test_tasks_within_budget_basic', async () => {
    await setupPlanGraph();
    const r = await p.json<PlanReport>(['plan', '--budget', '1000']);
    expect(r.budget_plan).toMatchObject({ budget: 1000, remaining: 600 });
    expect(r.budget_plan?.fits.map((t) => t.id)).toEqual(['t1']);
    expect(r.budget_plan?.exceeds.map((t) => t.id)).toEqual(['t2']);
    expect(r.hours_plan).toBeUndefined();
    const text = await p.ok(['plan', '--budget', '1000']);
    expect(text).toContain('With budget of $1000, you can complete:');
    expect(text).toContain('  [x] t1 ($400, 4h) - ready');
    expect(text).toContain('  Remaining: $600');
    expect(text).toContain('  [ ] t2 ($800, 8h) - exceeds remaining budget');
  });

  it('test_run_with_hours / test_tasks_within_hours_basic', async () => {
    await setupPlanGraph();
    const r = await p.json<PlanReport>(['plan', '--hours', '10']);
    expect(r.hours_plan).toMatchObject({ hours: 10, remaining: 6 });
    expect(r.hours_plan?.fits.map((t) => t.id)).toEqual(['t1']);
    expect(await p.ok(['plan', '--hours', '6'])).toContain('  [x] t1 (4h, $400) - ready');
  });

  it('test_run_json_output / test_run_budget_and_hours: both plans, and the summary', async () => {
    await setupPlanGraph();
    const r = await p.json<PlanReport>(['plan', '--budget', '1500', '--hours', '20']);
    expect(r.summary).toMatchObject({ open: 2, total_cost: 1200, total_hours: 12 });
    expect(r.budget_plan?.fits).toHaveLength(2);
    expect(r.hours_plan?.fits).toHaveLength(2);
    expect(await p.ok(['plan', '--budget', '1500', '--hours', '20'])).toContain('With 20 hours, you can complete:');
  });

  it('test_run_empty_graph / test_project_summary_empty / test_tasks_within_budget_empty', async () => {
    expect((await p.json<PlanReport>(['plan'])).summary).toEqual({
      open: 0,
      done: 0,
      in_progress: 0,
      ready: 0,
      blocked: 0,
      total_cost: 0,
      total_hours: 0,
    });
    const r = await p.json<PlanReport>(['plan', '--budget', '1000']);
    expect(r.budget_plan).toEqual({ budget: 1000, fits: [], exceeds: [], remaining: 1000 });
    expect(await p.ok(['plan', '--budget', '1000'])).toContain('  No tasks fit within this budget.');
  });

  it('test_project_summary_with_tasks', async () => {
    await p.importTasks([
      { id: 't1', ...est(10, 1000) },
      { id: 't2', status: 'done', ...est(5, 500) },
      { id: 't3', status: 'in-progress', ...est(8, 800) },
      { id: 't4', after: ['t1'], ...est(4, 400) },
    ]);
    expect((await p.json<PlanReport>(['plan'])).summary).toEqual({
      open: 2,
      done: 1,
      in_progress: 1,
      ready: 1,
      blocked: 1,
      total_cost: 1400,
      total_hours: 14,
    });
  });

  it('test_tasks_within_budget_prioritizes_ready: the blocker first, then what it lets start', async () => {
    await p.importTasks([
      { id: 'blocked', after: ['blocker'], ...est(2, 200) },
      { id: 'blocker', ...est(4, 400) },
    ]);
    const r = await p.json<PlanReport>(['plan', '--budget', '1000']);
    expect(r.budget_plan?.fits.map((t) => [t.id, t.is_ready])).toEqual([
      ['blocker', true],
      ['blocked', false],
    ]);
    expect(r.budget_plan?.remaining).toBe(400);
    expect(await p.ok(['plan', '--budget', '1000'])).toContain('  [x] blocked ($200, 2h) - unblocked');
  });

  it('test_tasks_within_budget_excludes_done', async () => {
    await p.importTasks([
      { id: 'done', status: 'done', ...est(10, 1000) },
      { id: 'open', ...est(5, 500) },
    ]);
    const r = await p.json<PlanReport>(['plan', '--budget', '1000']);
    expect(r.budget_plan?.fits.map((t) => t.id)).toEqual(['open']);
    expect(r.budget_plan?.remaining).toBe(500);
  });

  it('test_tasks_within_budget_zero_budget / test_tasks_within_budget_zero_cost_task_zero_budget / test_tasks_within_budget_negative_budget', () => {
    const priced = graph([withEstimate('t1', 1, 100)]);
    const zero = fitWithin(priced.tasks, priced.index, new Set(['t1']), 0, 'cost');
    expect(zero).toMatchObject({ fits: [], remaining: 0 });
    expect(zero.exceeds).toHaveLength(1);
    const free = graph([makeTask({ id: 't1', status: 'open' })]);
    expect(fitWithin(free.tasks, free.index, new Set(['t1']), 0, 'cost').fits.map((t) => t.id)).toEqual(['t1']);
    expect(fitWithin(free.tasks, free.index, new Set(['t1']), -10, 'cost')).toMatchObject({ fits: [], remaining: -10 });
  });

  it('test_tasks_within_budget_none_estimates / test_tasks_within_hours_none_estimates', () => {
    const g = graph([makeTask({ id: 't1', status: 'open' }), withEstimate('t2', 5, null)]);
    expect(fitWithin(g.tasks, g.index, new Set(['t1', 't2']), 50, 'cost')).toMatchObject({ remaining: 50 });
    expect(fitWithin(g.tasks, g.index, new Set(['t1', 't2']), 50, 'cost').fits).toHaveLength(2);
    const onlyCost = graph([withEstimate('t1', null, 999)]);
    expect(fitWithin(onlyCost.tasks, onlyCost.index, new Set(['t1']), 10, 'hours')).toMatchObject({ remaining: 10 });
  });

  it('test_tasks_within_budget_exact_fit / test_tasks_within_budget_tiny_overshoot', () => {
    const g = graph([withEstimate('t1', null, 500)]);
    expect(fitWithin(g.tasks, g.index, new Set(['t1']), 500, 'cost')).toMatchObject({ remaining: 0 });
    const over = graph([withEstimate('t1', null, 100)]);
    const r = fitWithin(over.tasks, over.index, new Set(['t1']), 99.99999999, 'cost');
    expect(r.fits).toEqual([]);
    expect(r.exceeds).toHaveLength(1);
  });

  it('test_tasks_within_budget_cascading_unblock: a lets b start, b lets c', async () => {
    await p.importTasks([
      { id: 'a', ...est(null, 10) },
      { id: 'b', after: ['a'], ...est(null, 20) },
      { id: 'c', after: ['b'], ...est(null, 30) },
    ]);
    const r = await p.json<PlanReport>(['plan', '--budget', '100']);
    expect(r.budget_plan?.fits.map((t) => t.id)).toEqual(['a', 'b', 'c']);
    expect(r.budget_plan?.remaining).toBe(40);
  });

  it('projectSummary counts incomplete as open and work awaiting its evaluation as in progress (upstream project_summary)', () => {
    const tasks = [
      makeTask({ id: 'i', status: 'incomplete' }),
      makeTask({ id: 'e', status: 'pending-eval' }),
      makeTask({ id: 'f', status: 'failed' }),
    ];
    expect(projectSummary(tasks, new Set())).toMatchObject({ open: 1, in_progress: 1, blocked: 0 });
  });

  it('bad input: a budget that is not a number is one line and exit 1 (a refused input, as every operation refuses one), nothing planned', async () => {
    const r = await p.wg(['plan', '--budget', 'lots']);
    expect(r.exitCode).toBe(1);
    expect(r.stderr.trim()).toBe('wg: a budget is a number of dollars');
  });
});
