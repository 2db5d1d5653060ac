import { describe, expect, it } from 'vitest';
import { dispatch } from '../../src/core/ops/dispatch';
import { type ResourceNode, resourceOf, resourceUtilization } from '../../src/core/graph/analysis/resource-utilization';
import { amountText, resourcesText } from '../../src/cli/coordination-format';
import type { ResourcesReport } from '../../src/shared/resources';
import type { Task } from '../../src/shared/task';
import { makeTask } from '../fixtures/objects';
import { roundTripsDuring } from '../helpers/round-trips';
import { opContextOn, STORE_KINDS, storesPerTest } from '../helpers/temp-store';

/*
 * `wg resources`, each case ported from upstream's own tests (graphwork/workgraph: the test module of its
 * `wg resources` command, and tests/integration_untested_commands.rs test_resources_*), named in its `it`. Upstream's
 * resources are nodes of its graph.jsonl (`"kind": "resource"`), kept by this app among the graph's other nodes:
 * imported here as upstream writes them. Upstream's `wg resource add` (which writes such a node) is not here.
 */

/** Upstream's make_resource(id, available, unit). */
const resource = (id: string, available: number | null, unit: string | null = 'usd'): ResourceNode => ({ id, name: id, available, unit });
const task = (id: string, cost: number | null, fields: Partial<Task> = {}, requires = ['budget']): Task =>
  makeTask({ id, title: id, status: 'open', extra: { requires, ...(cost === null ? {} : { estimate: { hours: 10, cost } }) }, ...fields });

describe("the utilization (upstream's calculate_utilization)", () => {
  it('test_calculate_utilization_empty_graph / test_calculate_utilization_resource_without_available', () => {
    expect(resourceUtilization([], [])).toEqual([]);
    expect(resourceUtilization([resource('budget', null)], [task('t', 5)])).toEqual([]);
  });

  it('test_calculate_utilization_basic', () => {
    const [u] = resourceUtilization(
      [resource('engineering-budget', 50_000)],
      [task('task-1', 32_000, {}, ['engineering-budget']), task('task-2', 18_000, { status: 'done' }, ['engineering-budget'])],
    );
    expect(u).toMatchObject({
      id: 'engineering-budget',
      available: 50_000,
      committed: 32_000,
      spent: 18_000,
      remaining: 18_000,
      over_budget: false,
    });
    expect(u?.committed_percent).toBeCloseTo(64);
  });

  it('test_calculate_utilization_over_budget', () => {
    const [u] = resourceUtilization(
      [resource('design-budget', 5000)],
      [task('logo-redesign', 4000, {}, ['design-budget']), task('ui-mockups', 2500, {}, ['design-budget'])],
    );
    expect(u).toMatchObject({ committed: 6500, over_budget: true, tasks_at_risk: ['logo-redesign', 'ui-mockups'] });
    expect(u?.committed_percent).toBeCloseTo(130);
  });

  it('test_calculate_utilization_in_progress_counts_as_committed / _blocked_counts_as_committed', () => {
    for (const status of ['in-progress', 'blocked'] as const)
      expect(resourceUtilization([resource('budget', 1000)], [task('task-1', 500, { status })])[0]).toMatchObject({
        committed: 500,
        spent: 0,
      });
    // Failed and abandoned tasks count for neither.
    expect(resourceUtilization([resource('budget', 1000)], [task('f', 500, { status: 'failed' })])[0]).toMatchObject({
      committed: 0,
      spent: 0,
    });
  });

  it('test_calculate_utilization_task_without_cost', () => {
    expect(resourceUtilization([resource('budget', 1000)], [task('task-1', null)])[0]).toMatchObject({
      committed: 0,
      spent: 0,
      over_budget: false,
      tasks_at_risk: [],
    });
  });

  it('test_calculate_utilization_multiple_resources (sorted by id)', () => {
    const util = resourceUtilization(
      [resource('budget-b', 2000), resource('budget-a', 1000)],
      [task('task-1', 500, {}, ['budget-a']), task('task-2', 1500, {}, ['budget-b'])],
    );
    expect(util.map((u) => [u.id, u.committed])).toEqual([
      ['budget-a', 500],
      ['budget-b', 1500],
    ]);
  });

  it('test_format_amount_usd / _other_unit / _no_unit', () => {
    expect([amountText(1000, 'usd'), amountText(40, 'hours'), amountText(100, null)]).toEqual(['$1000', '40 hours', '100']);
  });

  it('a kept node of another kind, or one that is not JSON, is not a resource', () => {
    expect(resourceOf('x', '{"kind":"alien","id":"x"}')).toBeNull();
    expect(resourceOf('x', 'not json')).toBeNull();
    expect(resourceOf('b', '{"kind":"resource","id":"b","type":"money","available":5}')).toEqual({
      id: 'b',
      name: null,
      available: 5,
      unit: null,
    });
  });
});

describe.each(STORE_KINDS)('wg resources on %s', (kind) => {
  const newStore = storesPerTest(kind);

  async function resources(lines: Array<Record<string, unknown>>) {
    const t = await newStore();
    if (lines.length > 0)
      await t.store.importJsonl(lines.map((line) => JSON.stringify({ kind: 'task', title: 'Task', ...line })).join('\n'));
    let report: ResourcesReport = { resources: [], alerts: [] };
    const trips = await roundTripsDuring(async () => {
      report = await dispatch('graph:resources', {}, opContextOn(t));
    });
    return { report, trips };
  }
  const budget = (id: string, name: string, available: number) => ({ kind: 'resource', id, name, type: 'money', available, unit: 'usd' });

  it('test_resources_no_resources / test_resources_json_empty', async () => {
    const { report } = await resources([{ id: 't1', title: 'Some task' }]);
    expect(report).toEqual({ resources: [], alerts: [] });
    expect(resourcesText(report)).toContain('No resources with capacity defined');
  });

  it('test_resources_basic_utilization / test_json_output_structure, in the round trips of reading the tasks alone', async () => {
    const { report, trips } = await resources([
      budget('eng-budget', 'Engineering Budget', 10_000),
      { id: 'task-1', title: 'Build feature', requires: ['eng-budget'], estimate: { hours: 10, cost: 5000 } },
      { id: 'task-2', title: 'Done feature', status: 'done', requires: ['eng-budget'], estimate: { hours: 5, cost: 2000 } },
    ]);
    expect(report.resources).toEqual([
      {
        id: 'eng-budget',
        name: 'Engineering Budget',
        available: 10_000,
        unit: 'usd',
        committed: 5000,
        spent: 2000,
        remaining: 5000,
        committed_percent: 50,
        over_budget: false,
        tasks_at_risk: [],
      },
    ]);
    expect(resourcesText(report)).toBe(
      [
        'Resource Utilization:',
        '',
        '  Engineering Budget ($10000 available)',
        '    Committed (open tasks): $5000 (50%)',
        '    Spent (done tasks): $2000',
        '    Remaining: $5000',
      ].join('\n'),
    );
    // The resources are sent with the tasks' rows: no round trip beyond the two of reading the whole tasks (their rows,
    // then their logs and links; one when the two batches leave together). Read one after the other, it would be three.
    // SQLite makes none.
    if (kind === 'postgres') expect(trips).toBeLessThanOrEqual(2);
    else expect(trips).toBe(0);
  });

  it('test_resources_over_budget_alert', async () => {
    const { report } = await resources([
      budget('small-budget', 'Small Budget', 100),
      { id: 'expensive', title: 'Expensive task', requires: ['small-budget'], estimate: { hours: 100, cost: 500 } },
    ]);
    expect(report.alerts.map((u) => [u.id, u.tasks_at_risk])).toEqual([['small-budget', ['expensive']]]);
    expect(resourcesText(report)).toContain(
      '  ALERT: Small Budget ($100 available)\n    Committed: $500 (500% - OVER BUDGET)\n    Tasks at risk: expensive',
    );
  });

  it('test_resources_json_output', async () => {
    const { report } = await resources([
      budget('budget', 'Budget', 5000),
      { id: 't1', title: 'Task', requires: ['budget'], estimate: { hours: 10, cost: 2000 } },
    ]);
    expect(report.resources[0]).toMatchObject({ id: 'budget', available: 5000, committed: 2000, over_budget: false });
    expect(report.alerts).toEqual([]);
  });
});
