import { describe, expect, it } from 'vitest';
import { dispatch } from '../../src/core/ops/dispatch';
import type { Store } from '../../src/core/store/store';
import type { OpContext } from '../../src/core/ops/context';
import { discoverWindowMs } from '../../src/core/graph/analysis/discover';
import { coordinateText, discoverText, trajectoryOrSuggestionsText } from '../../src/cli/coordination-format';
import { roundTripsDuring } from '../helpers/round-trips';
import { opContextOn, STORE_KINDS, storesPerTest } from '../helpers/temp-store';

/*
 * `wg coordinate`, `wg discover` and `wg trajectory` on a real store (SQLite here, PostgreSQL in the postgres project),
 * each case ported from upstream's own tests (graphwork/workgraph, the test modules of its `wg coordinate`,
 * `wg discover` and `wg trajectory` commands), named in its `it`. Upstream builds its graph in memory; here the same
 * tasks are imported as upstream's graph.jsonl lines, and the report is the operation's answer (what `--json` prints).
 * Upstream's `test_run_no_workgraph` / `test_run_uninitialized` (no graph in the folder) are the CLI's own refusal of a
 * folder with no project, tested once for every command (test/cli/bad-input.test.ts).
 */

const NOW = new Date('2026-03-01T12:00:00Z');
const hoursAgo = (h: number) => new Date(NOW.getTime() - h * 3_600_000).toISOString();

describe.each(STORE_KINDS)('on %s', (kind) => {
  const newStore = storesPerTest(kind);

  async function project(lines: Array<Record<string, unknown>>): Promise<{ store: Store; ctx: OpContext }> {
    const t = await newStore();
    if (lines.length > 0)
      await t.store.importJsonl(
        lines.map((line) => JSON.stringify({ kind: 'task', title: `Task ${String(line.id)}`, ...line })).join('\n'),
      );
    return { store: t.store, ctx: opContextOn(t) };
  }
  const coordinate = async (lines: Array<Record<string, unknown>>) => dispatch('graph:coordinate', {}, (await project(lines)).ctx);
  const ids = (list: ReadonlyArray<{ id: string }>) => list.map((t) => t.id);

  describe('wg coordinate', () => {
    it('test_coordination_status_empty_graph', async () => {
      expect(await coordinate([])).toEqual({ ready: [], in_progress: [], blocked: [], done_count: 0, total_count: 0 });
    });

    it('test_coordination_status_single_ready_task', async () => {
      const s = await coordinate([{ id: 't1', title: 'Task 1' }]);
      expect([ids(s.ready), s.in_progress, s.blocked, s.done_count, s.total_count]).toEqual([['t1'], [], [], 0, 1]);
    });

    it('test_coordination_status_with_in_progress', async () => {
      const s = await coordinate([{ id: 't1', status: 'in-progress', assigned: 'agent-1' }]);
      expect(s.ready).toEqual([]);
      expect(s.in_progress).toEqual([{ id: 't1', title: 'Task t1', assigned: 'agent-1' }]);
    });

    it('test_coordination_status_with_blocked / test_blocked_task_summary_from_task', async () => {
      const s = await coordinate([{ id: 'blocker' }, { id: 'blocked', title: 'Blocked task', after: ['blocker'] }]);
      expect(ids(s.ready)).toEqual(['blocker']);
      expect(s.blocked).toEqual([{ id: 'blocked', title: 'Blocked task', after: ['blocker'] }]);
    });

    it('test_coordination_status_counts_done', async () => {
      const s = await coordinate([{ id: 'done', status: 'done' }, { id: 'open' }]);
      expect([s.done_count, s.total_count]).toEqual([1, 2]);
    });

    it('test_coordination_status_with_estimates / test_task_summary_from_task', async () => {
      const s = await coordinate([
        { id: 't1', estimate: { hours: 8, cost: 800 } },
        { id: 't2', assigned: 'agent', estimate: { hours: 4 } },
      ]);
      expect(s.ready).toEqual([
        { id: 't1', title: 'Task t1', estimate: { hours: 8, cost: 800 } },
        { id: 't2', title: 'Task t2', assigned: 'agent', estimate: { hours: 4 } },
      ]);
    });

    it('test_coordination_status_unblocked_when_blocker_done', async () => {
      const s = await coordinate([
        { id: 'blocker', status: 'done' },
        { id: 'blocked', after: ['blocker'] },
      ]);
      expect(ids(s.ready)).toEqual(['blocked']);
      expect(s.blocked).toEqual([]);
    });

    it('test_coordination_status_multi_level_blocking', async () => {
      const s = await coordinate([{ id: 't1' }, { id: 't2', after: ['t1'] }, { id: 't3', after: ['t2'] }]);
      expect(ids(s.ready)).toEqual(['t1']);
      expect(ids(s.blocked)).toEqual(['t2', 't3']);
    });

    it('test_coordination_status_multiple_blockers_for_one_task', async () => {
      const s = await coordinate([{ id: 't1' }, { id: 't2' }, { id: 't3', after: ['t1', 't2'] }]);
      expect(ids(s.ready)).toEqual(['t1', 't2']);
      expect(s.blocked.map((b) => b.after)).toEqual([['t1', 't2']]);
    });

    it('test_coordination_status_partial_blocker_completion', async () => {
      const s = await coordinate([{ id: 't1', status: 'done' }, { id: 't2' }, { id: 't3', after: ['t1', 't2'] }]);
      expect(ids(s.blocked)).toEqual(['t3']);
    });

    it('test_coordination_status_all_tasks_done', async () => {
      const s = await coordinate([
        { id: 't1', status: 'done' },
        { id: 't2', status: 'done' },
      ]);
      expect(s).toEqual({ ready: [], in_progress: [], blocked: [], done_count: 2, total_count: 2 });
    });

    it('test_coordination_status_all_tasks_blocked (a dependency not in the graph blocks)', async () => {
      const s = await coordinate([
        { id: 't1', after: ['nonexistent1'] },
        { id: 't2', after: ['nonexistent2'] },
      ]);
      expect(ids(s.blocked)).toEqual(['t1', 't2']);
      expect(s.ready).toEqual([]);
    });

    it('test_coordination_status_failed_tasks_not_in_progress / test_coordination_status_done_not_ready', async () => {
      const s = await coordinate([
        { id: 't1', status: 'failed' },
        { id: 't2', status: 'abandoned' },
        { id: 't3', status: 'done' },
      ]);
      expect([s.in_progress, s.ready]).toEqual([[], []]);
    });

    it('a failed dependency holds its dependent here: blocked, where upstream lists it nowhere', async () => {
      const s = await coordinate([
        { id: 'broke', status: 'failed' },
        { id: 'next', after: ['broke'] },
      ]);
      expect([ids(s.ready), ids(s.blocked)]).toEqual([[], ['next']]);
    });

    it('test_json_serialization / test_json_output_skip_serializing_none / test_json_full_graph_roundtrip', async () => {
      const s = await coordinate([
        { id: 't1', title: 'Ready task', assigned: 'agent-1', estimate: { hours: 4, cost: 100 } },
        { id: 't2', status: 'in-progress', assigned: 'agent-2' },
        { id: 't3', after: ['t1'] },
        { id: 't4', status: 'done' },
        { id: 't5', title: 'No estimate or assignment' },
      ]);
      const parsed = JSON.parse(JSON.stringify(s)) as Record<string, unknown>;
      expect(parsed).toEqual({
        ready: [
          { id: 't1', title: 'Ready task', assigned: 'agent-1', estimate: { hours: 4, cost: 100 } },
          { id: 't5', title: 'No estimate or assignment' },
        ],
        in_progress: [{ id: 't2', title: 'Task t2', assigned: 'agent-2' }],
        blocked: [{ id: 't3', title: 'Task t3', after: ['t1'] }],
        done_count: 1,
        total_count: 5,
      });
    });

    it('test_coordination_status_large_graph, the tasks and the ready ones read together', async () => {
      const lines = [
        ...Array.from({ length: 50 }, (_, i) => ({ id: `ready-${i}` })),
        ...Array.from({ length: 25 }, (_, i) => ({ id: `ip-${i}`, status: 'in-progress' })),
        ...Array.from({ length: 25 }, (_, i) => ({ id: `done-${i}`, status: 'done' })),
      ];
      const { ctx } = await project(lines);
      let s: Awaited<ReturnType<typeof coordinate>> | null = null;
      const trips = await roundTripsDuring(async () => {
        s = await dispatch('graph:coordinate', {}, ctx);
      });
      const status = s as unknown as Awaited<ReturnType<typeof coordinate>>;
      expect([status.ready.length, status.in_progress.length, status.done_count, status.total_count]).toEqual([50, 25, 25, 100]);
      // The tasks and the ready ones are sent together: each is its rows, then their logs and links, so at most two
      // round trips (one when the batches leave together); read one after the other it would be four. SQLite makes none.
      if (kind === 'postgres') expect(trips).toBeLessThanOrEqual(2);
      else expect(trips).toBe(0);
    });

    it('test_run_empty_graph / test_run_with_max_parallel (for people)', async () => {
      expect(coordinateText(await coordinate([]), undefined)).toBe('Progress: 0/0 tasks done\n\nAll tasks complete!');
      const ten = await coordinate(Array.from({ length: 10 }, (_, i) => ({ id: `t${i}`, title: `Task ${i}` })));
      const text = coordinateText(ten, 3);
      expect(text).toContain('Ready for parallel execution (3 of 10 tasks):');
      expect(text.match(/^Task: /gm)).toHaveLength(3);
      expect(coordinateText(await coordinate([{ id: 'e', estimate: { hours: 8, cost: 800 } }]), undefined)).toContain(
        '  Estimate: 8h, $800',
      );
    });
  });

  describe('wg discover', () => {
    async function discover(lines: Array<Record<string, unknown>>, input: { since?: string; withArtifacts?: boolean } = {}) {
      return dispatch('graph:discover', input, (await project(lines)).ctx);
    }
    const done = (id: string, hours: number, more: Record<string, unknown> = {}) => ({
      id,
      status: 'done',
      completed_at: hoursAgo(hours),
      ...more,
    });

    it('test_run_no_recent_tasks', async () => {
      expect(await discover([done('old', 48)], { since: '24h' })).toEqual([]);
      expect(discoverText([], '24h', NOW.getTime())).toBe('No tasks completed in the last 24h.');
    });

    it('test_run_with_recent_tasks (its tags, artifacts and last log)', async () => {
      const log = [{ timestamp: hoursAgo(1), actor: 'agent-1', message: 'Done!' }];
      const found = await discover([done('recent', 2, { tags: ['test'], artifacts: ['output.txt'], log })], {
        since: '24h',
        withArtifacts: true,
      });
      expect(found).toEqual([
        {
          id: 'recent',
          title: 'Task recent',
          completed_at: hoursAgo(2),
          tags: ['test'],
          artifacts: ['output.txt'],
          last_log: { timestamp: hoursAgo(1), message: 'Done!' },
        },
      ]);
      expect(discoverText(found, '24h', NOW.getTime())).toBe(
        [
          'Recently completed (1 tasks in last 24h):',
          '',
          '  [test]',
          '    recent — Task recent (2h ago)',
          '      artifact: output.txt',
          '      last log: Done!',
        ].join('\n'),
      );
    });

    it('test_run_json_output (no artifacts without --with-artifacts)', async () => {
      const found = await discover([done('recent', 2, { tags: ['test'], artifacts: ['out.txt'] })], { since: '24h' });
      expect(found.map((t) => Object.keys(t))).toEqual([['id', 'title', 'completed_at', 'tags']]);
    });

    it('test_run_default_since (24h) / test_run_untagged_tasks', async () => {
      const found = await discover([done('recent', 2), done('yesterday', 25)]);
      expect(ids(found)).toEqual(['recent']);
      expect(discoverText(found, '24h', NOW.getTime())).toContain('  [untagged]\n    recent — Task recent (2h ago)');
    });

    it('test_run_mixed_recent_and_old, most recent first; an open task is not listed', async () => {
      const found = await discover([done('older', 3), done('recent', 1), done('old', 48), { id: 'open' }], { since: '24h' });
      expect(ids(found)).toEqual(['recent', 'older']);
    });

    it('a bad --since is refused in one line', async () => {
      await expect(discover([], { since: 'abch' })).rejects.toThrow(/^--since takes a time window such as 24h, 7d or 30m/);
    });
  });

  describe('wg trajectory', () => {
    async function trajectory(lines: Array<Record<string, unknown>>, input: { task: string; actor?: string }) {
      return dispatch('task:trajectory', input, (await project(lines)).ctx);
    }

    it('test_simple_trajectory', async () => {
      const t = await trajectory(
        [
          { id: 't1', title: 'Producer', deliverables: ['output.txt'] },
          { id: 't2', title: 'Consumer', after: ['t1'], inputs: ['output.txt'] },
        ],
        { task: 't1' },
      );
      expect(Array.isArray(t) ? null : [t.steps.length, t.claim_order, t.steps[1]?.receives]).toEqual([2, ['t1', 't2'], ['output.txt']]);
    });

    it('test_trajectory_with_no_dependents / test_run_trajectory', async () => {
      const t = await trajectory([{ id: 't1', title: 'Standalone' }], { task: 't1' });
      expect(t).toEqual({
        root_task: 't1',
        steps: [{ id: 't1', title: 'Standalone', status: 'open', depth: 0, receives: [], produces: [], hours: null }],
        total_hours: null,
        claim_order: ['t1'],
      });
      expect(trajectoryOrSuggestionsText(t, undefined)).toBe('Trajectory from: t1\n\nt1 - Standalone\n\nClaim order: t1');
    });

    it('test_trajectory_chain (and its estimate in all)', async () => {
      const t = await trajectory(
        [
          { id: 't1', deliverables: ['a.txt'], estimate: { hours: 2 } },
          { id: 't2', after: ['t1'], inputs: ['a.txt'], deliverables: ['b.txt'], estimate: { hours: 3 } },
          { id: 't3', after: ['t2'], inputs: ['b.txt'] },
        ],
        { task: 't1' },
      );
      if (Array.isArray(t)) throw new Error('a trajectory was asked for');
      expect([t.steps.length, t.claim_order, t.total_hours]).toEqual([3, ['t1', 't2', 't3'], 5]);
      expect(trajectoryOrSuggestionsText(t, undefined)).toBe(
        [
          'Trajectory from: t1',
          'Total estimated: 5h',
          '',
          't1 - Task t1 (2h)',
          '  → produces: a.txt',
          '  t2 - Task t2 (3h)',
          '    ← receives: a.txt',
          '    → produces: b.txt',
          '    t3 - Task t3',
          '      ← receives: b.txt',
          '',
          'Claim order: t1 → t2 → t3',
        ].join('\n'),
      );
    });

    it('test_suggest_for_actor: from each ready task, scored by what is left to do', async () => {
      const s = await trajectory(
        [
          { id: 't1', title: 'Rust Task', skills: ['rust'] },
          { id: 'a', deliverables: ['x'] },
          { id: 'b', after: ['a'], inputs: ['x'] },
          { id: 'gone', status: 'done' },
        ],
        { task: 'ignored-with-actor', actor: 'rust-dev' },
      );
      expect(s).toEqual([
        { root_task: 'a', score: 25, steps: 2, total_hours: null, claim_order: ['a', 'b'] },
        { root_task: 't1', score: 10, steps: 1, total_hours: null, claim_order: ['t1'] },
      ]);
      expect(trajectoryOrSuggestionsText(s, 'rust-dev')).toBe(
        [
          'Suggested trajectories for: rust-dev',
          '',
          '1. a → 2 tasks [score: 25]',
          '   Path: a → b',
          '2. t1 → 1 tasks [score: 10]',
          '   Path: t1',
        ].join('\n'),
      );
    });

    it('a task not in the graph is refused', async () => {
      await expect(trajectory([], { task: 'nope' })).rejects.toThrow(/nope/);
    });
  });
});

describe("wg discover's --since (upstream's parse_duration)", () => {
  it('test_parse_duration_hours / _days / _minutes / _no_unit_defaults_hours', () => {
    expect([discoverWindowMs('24h'), discoverWindowMs('7d'), discoverWindowMs('30m'), discoverWindowMs('12')]).toEqual([
      24 * 3_600_000,
      7 * 86_400_000,
      30 * 60_000,
      12 * 3_600_000,
    ]);
  });

  it('test_parse_duration_empty_fails / test_parse_duration_invalid_number_fails', () => {
    expect([discoverWindowMs(''), discoverWindowMs('abch'), discoverWindowMs('1.5h'), discoverWindowMs('-5h')]).toEqual([
      null,
      null,
      null,
      null,
    ]);
  });
});
