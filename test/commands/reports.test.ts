import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AgingReport, ForecastReport, HealthReport, StructureReport, VelocityReport, WorkloadReport } from '../../src/shared/reports';
import { InProcessProject } from '../helpers/wg-in-process';

/*
 * `wg velocity`, `aging`, `workload`, `forecast`, `structure`, `analyze` and `metrics` as commands, against upstream's
 * cases that run its binary (graphwork/workgraph tests/integration_analytics.rs, tests/integration_cli_workflows.rs) and
 * the `run` cases of its modules' `mod tests` (src/commands/{aging,structure,analyze}.rs), each named in its `it`. The
 * rules themselves: test/graph/reports.test.ts; what each reads of the store: test/commands/report-reads.test.ts.
 */

let p: InProcessProject;
beforeEach(async () => {
  p = new InProcessProject('wg-reports-');
  await p.ok(['init']);
});
afterEach(() => p.remove());

const DAY = 86_400_000;
const ago = (days: number) => new Date(Date.now() - days * DAY).toISOString();
/** integration_analytics.rs make_task: made now. */
const open = (id: string, more: Record<string, unknown> = {}) => ({ id, status: 'open', created_at: ago(0), ...more });
/** make_done_task: done `days` ago, made the day before. */
const done = (id: string, days: number, more: Record<string, unknown> = {}) => ({
  id,
  status: 'done',
  created_at: ago(days + 1),
  completed_at: ago(days),
  ...more,
});
/** make_in_progress_task: started `days` ago by `agent`. */
const working = (id: string, agent: string, days: number) => ({
  id,
  status: 'in-progress',
  assigned: agent,
  created_at: ago(days + 1),
  started_at: ago(days),
});

describe('wg velocity (integration_analytics.rs)', () => {
  it('velocity_empty_graph', async () => {
    expect(await p.ok(['velocity'])).toContain('Completion Velocity');
  });

  it('velocity_with_completed_tasks', async () => {
    await p.importTasks([done('d1', 1), done('d2', 8), done('d3', 15), open('o1')]);
    const out = await p.ok(['velocity']);
    for (const part of ['Completion Velocity', 'Week', 'Average:', 'Trend:']) expect(out).toContain(part);
    expect(out).toContain('  Week 4: 1 tasks [|||||||||||||||||||||||||]');
  });

  it('velocity_custom_weeks', async () => {
    await p.importTasks([done('d1', 2)]);
    expect(await p.ok(['velocity', '--weeks', '8'])).toContain('56 days');
  });

  it('velocity_json_output', async () => {
    await p.importTasks([done('d1', 3), open('o1')]);
    const v = await p.json<VelocityReport>(['velocity']);
    expect(v).toMatchObject({
      average_tasks_per_week: 0.25,
      trend: 'increasing',
      open_tasks: 1,
      weeks_to_clear: 4,
      tasks_without_timestamp: 0,
    });
    expect(v.weeks[3]).toEqual({ week_number: 4, tasks_completed: 1, hours_completed: 0, task_ids: ['d1'] });
  });

  it('velocity_all_tasks_open', async () => {
    await p.importTasks([open('o1'), open('o2')]);
    const out = await p.ok(['velocity']);
    expect(out).toContain('Average: 0.0 tasks/week');
    expect(out).toContain('Open tasks (2): unable to estimate (no recent completions)');
  });

  it('--weeks that is not a whole number of weeks: one line, nonzero, nothing printed', async () => {
    for (const weeks of ['x', '-1', '1.5', '99999']) {
      const r = await p.wg(['velocity', '--weeks', weeks]);
      expect(r.exitCode).not.toBe(0);
      expect(r.stdout).toBe('');
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(/--weeks/);
    }
  });
});

describe('wg forecast (integration_analytics.rs)', () => {
  it('forecast_empty_graph', async () => {
    expect(await p.ok(['forecast'])).toContain('All tasks done or no estimates available.');
  });

  it('forecast_with_mixed_tasks', async () => {
    await p.importTasks([done('d1', 2), done('d2', 5), done('d3', 10), open('o1'), open('o2')]);
    const out = await p.ok(['forecast']);
    expect(out).toContain('Remaining work:');
    expect(out).toContain('  Open tasks: 2 (0h estimated)');
  });

  it('forecast_with_estimates: a completion date at the pace of the last four weeks', async () => {
    await p.importTasks([open('o1', { estimate: { hours: 4, cost: 10 } }), done('d1', 3, { estimate: { hours: 2 } })]);
    const out = await p.ok(['forecast']);
    expect(out).toContain('Current velocity: 0.5h/week');
    expect(out).toMatch(/Optimistic \(all estimates accurate\):\n {4}Completion: [A-Z][a-z]{2} \d\d, \d{4}/);
  });

  it('forecast_json_output', async () => {
    await p.importTasks([done('d1', 1), open('o1')]);
    const f = await p.json<ForecastReport>(['forecast']);
    expect(f.remaining_work.open_tasks).toBe(1);
    expect(f.scenarios).toHaveLength(3);
    expect(f.has_velocity_data).toBe(false);
  });
});

describe('wg aging (integration_analytics.rs, aging.rs run)', () => {
  it('aging_empty_graph / test_run_empty_graph', async () => {
    expect(await p.ok(['aging'])).toContain('Task Age Distribution:');
  });

  it('aging_with_tasks_of_varying_age / test_run_with_tasks', async () => {
    await p.importTasks([open('r1'), open('old1', { created_at: ago(45) }), open('vo1', { created_at: ago(120) })]);
    const out = await p.ok(['aging']);
    expect(out).toContain('    1-3 months:   1 tasks  [|||||||||||||||||||||||||] [WARNING]');
    expect(out).toContain('  1. vo1 (120 days) - unassigned - blocked by: nothing');
  });

  it('aging_with_stale_in_progress', async () => {
    await p.importTasks([working('stale1', 'agent-1', 20), working('fresh1', 'agent-2', 1)]);
    const out = await p.ok(['aging']);
    expect(out).toContain('Stale in-progress tasks (started > 14 days ago):\n  - stale1 (started 20 days ago) - @agent-1');
    expect(out).not.toContain('fresh1 (started');
  });

  it('aging_json_output / test_run_json_output', async () => {
    await p.importTasks([open('t1')]);
    const a = await p.json<AgingReport>(['aging']);
    expect(a.distribution[0]).toEqual({ bucket: '< 1 day', count: 1, warning_level: null });
    expect(a.oldest_tasks).toEqual([{ id: 't1', title: 'Task t1', age_days: 0, assigned: null, after: [] }]);
    expect([a.stale_in_progress, a.tasks_with_unknown_age]).toEqual([[], 0]);
  });
});

describe('wg workload (integration_analytics.rs)', () => {
  it('workload_empty_graph', async () => {
    expect(await p.ok(['workload'])).toBe('No tasks or agents found.');
  });

  it('workload_with_assigned_tasks', async () => {
    await p.importTasks([working('t1', 'agent-a', 1), working('t2', 'agent-a', 2), working('t3', 'agent-b', 1), open('t4')]);
    const out = await p.ok(['workload']);
    expect(out).toContain(
      '  agent-a (agent-a)\n    Assigned: 2 tasks (0h estimated)\n    In progress: 2 tasks\n    Load: N/A (no capacity set)',
    );
    expect(out).toContain('Unassigned tasks: 1\n  Ready & unassigned: 1 (potential parallelization)');
  });

  it('workload_json_output', async () => {
    await p.importTasks([working('t1', 'agent-x', 1), open('t2')]);
    const w = await p.json<WorkloadReport>(['workload']);
    expect(w.agents).toEqual([
      {
        id: 'agent-x',
        name: 'agent-x',
        assigned_count: 1,
        assigned_hours: 0,
        in_progress_count: 1,
        capacity: null,
        load_percent: null,
        is_overloaded: false,
      },
    ]);
    expect([w.unassigned_count, w.ready_unassigned_count]).toEqual([1, 1]);
  });

  it("an agency identity is listed by its name, with nothing assigned (upstream's agents of agency/cache/agents)", async () => {
    const role = await p.json<{ id: string }>(['role', 'add', 'Programmer', '-d', 'Writes code', '--outcome', 'Working code']);
    const tradeoff = await p.json<{ id: string }>(['tradeoff', 'add', 'Careful', '-d', 'Takes care', '--accept', 'Slow']);
    await p.ok(['agent', 'create', 'Ada', '--role', role.id, '--tradeoff', tradeoff.id]);
    const w = await p.json<WorkloadReport>(['workload']);
    expect(w.agents).toMatchObject([{ name: 'Ada', assigned_count: 0, capacity: null }]);
    expect(await p.ok(['workload'])).toMatch(/ {2}Ada \([0-9a-f]{8}\)\n {4}Assigned: 0 tasks \(0h estimated\)/);
  });
});

describe('wg structure (integration_cli_workflows.rs, structure.rs run)', () => {
  it('test_structure_json_output', async () => {
    await p.importTasks([open('parent'), open('child', { after: ['parent'] })]);
    expect(await p.json<StructureReport>(['structure'])).toEqual({
      entry_points: ['parent'],
      dead_ends: [{ id: 'child', status: 'open', expected: false, warning: true }],
      high_impact_roots: [],
    });
  });

  it('test_empty_graph / test_entry_points_simple / test_dead_ends_detection', async () => {
    expect(await p.ok(['structure'])).toBe('No tasks in graph.');
    await p.importTasks([open('t1'), open('t2', { after: ['t1'] }), done('release', 1)]);
    expect(await p.ok(['structure'])).toBe(
      [
        'Entry points (2 tasks):',
        '  t1, release',
        '',
        'Dead ends (2 tasks):',
        '  t2 (WARNING: no dependents, status=open)',
        '  release (expected - final deliverable)',
        '',
        'High-impact roots (blocking 5+ tasks transitively):',
        '  (none)',
      ].join('\n'),
    );
  });
});

describe('wg analyze (integration_cli_workflows.rs, analyze.rs run)', () => {
  it('test_analyze_runs_on_graph / test_run_graph_with_all_statuses', async () => {
    await p.importTasks([open('parent'), open('child', { after: ['parent'] }), done('done1', 1)]);
    const out = await p.ok(['analyze']);
    expect(out).toContain('SUMMARY\n  Total tasks: 3 (2 open, 0 in-progress, 1 done, 1 blocked)\n  Ready to start: 1 tasks');
    expect(out).toContain('[WARNING] 1 dead-end task(s) with status=open (may be forgotten)\n      - child');
  });

  it('test_analyze_json_output / test_run_complex_graph_json', async () => {
    await p.importTasks([
      open('t1', { estimate: { hours: 10, cost: 500 }, assigned: 'alice' }),
      open('t2', { after: ['t1'], estimate: { hours: 5, cost: 200 } }),
      open('t3', { created_at: ago(100) }),
      done('t4', 1),
    ]);
    const h = await p.json<HealthReport>(['analyze']);
    expect(h.summary).toEqual({
      total_tasks: 4,
      open: 3,
      in_progress: 0,
      done: 1,
      blocked: 1,
      ready: 2,
      estimated_hours: 15,
      estimated_cost: 700,
    });
    expect(h.aging).toEqual({
      old_open_count: 1,
      stale_in_progress_count: 0,
      issues: [{ task_id: 't3', days: 100, issue_type: 'old_open' }],
    });
    expect(h.recommendations).toEqual([{ priority: 1, action: 'review', task: 't3', reason: 'open 100 days' }]);
  });

  it('test_run_empty_graph / test_run_single_task_graph', async () => {
    expect(await p.ok(['analyze'])).toContain('Total tasks: 0');
    await p.importTasks([open('t1')]);
    expect(await p.ok(['analyze'])).toContain('[OK] No orphan references\n  [OK] No cycles detected');
  });
});

describe('wg metrics (upstream metrics.rs)', () => {
  it("counts what the store keeps of clean-ups: none in a new project, in upstream's text and --json shape", async () => {
    const out = await p.ok(['metrics']);
    expect(out).toContain('=== WG Cleanup Metrics ===');
    expect(out).toContain('  🔥 Dead Agents: 0');
    expect(out).toContain('No cleanup timing data available.');
    const m = await p.json<Record<string, unknown>>(['metrics']);
    expect(Object.keys(m)).toEqual([
      'cleanup_success',
      'cleanup_failure',
      'recovery_branches',
      'orphaned_cleanups',
      'dead_agent_cleanups',
      'success_rate_percent',
      'timing',
    ]);
  });
});

describe('outside a project (aging.rs test_run_no_workgraph_initialized, analyze.rs test_run_no_workgraph)', () => {
  it('each report refuses in one line, nonzero', async () => {
    const bare = new InProcessProject('wg-reports-bare-');
    try {
      for (const command of ['velocity', 'aging', 'workload', 'forecast', 'structure', 'analyze', 'metrics']) {
        const r = await bare.wg([command]);
        expect(r.exitCode, command).not.toBe(0);
        expect(r.stderr.trim().split('\n'), command).toHaveLength(1);
      }
    } finally {
      bare.remove();
    }
  });
});
