import { describe, expect, it } from 'vitest';
import { dispatch } from '../../src/core/ops/dispatch';
import type { OpContext } from '../../src/core/ops/context';
import type { Store } from '../../src/core/store/store';
import type { Agent } from '../../src/shared/agent';
import { parseAge } from '../../src/shared/durations';
import { reapText, sweepText } from '../../src/cli/recovery-format';
import { makeAgent } from '../fixtures/objects';
import { opContextOn, STORE_KINDS, storesPerTest } from '../helpers/temp-store';

/*
 * `wg reap` and `wg sweep` on a real store (SQLite here, PostgreSQL in the postgres project), each case ported from
 * upstream's own tests (graphwork/workgraph, the test modules of its `wg reap` and `wg sweep` commands), named in its
 * `it`. Upstream's registry entries are this app's runs (the agents table); its graph's tasks are imported as
 * upstream's graph.jsonl lines. Both commands are `wg dead-agents`' store operations (--purge, --cleanup).
 *
 * Not ported: upstream's `--reap-targets` cases (test_sweep_reap_targets_flag_exposes_count,
 * test_sweep_dry_run_skips_target_reap; cargo's target/ folders in dead runs' worktrees: `wg worktree gc` removes
 * such a worktree whole), its agent-folder archive (test_sweep_archives_orphaned_agent_for_iteration_history,
 * test_sweep_skips_archive_for_unassigned_orphan: a run's folder stays here, with its task's record), its service's
 * own reconciler and chat-loop tasks (test_reconcile_orphaned_tasks, test_dispatcher_heartbeat_unclaims_dead_agents,
 * test_reconcile_skips_chat_loop_tagged_tasks, test_find_orphaned_skips_chat_loop_tagged_tasks: the coordinator's start
 * here requeues such tasks, tested with it), and test_reap_preserves_next_agent_id (a run's number here is the
 * store's, never reused: no registry counter to keep).
 */

const NOW = new Date('2026-03-01T12:00:00Z');
const ago = (ms: number) => new Date(NOW.getTime() - ms).toISOString();

describe.each(STORE_KINDS)('on %s', (kind) => {
  const newStore = storesPerTest(kind);

  async function project(
    tasks: Array<Record<string, unknown>>,
    runs: Array<Partial<Agent> & Pick<Agent, 'id' | 'task_id'>>,
  ): Promise<{ store: Store; ctx: OpContext }> {
    const t = await newStore();
    if (tasks.length > 0)
      await t.store.importJsonl(
        tasks.map((line) => JSON.stringify({ kind: 'task', title: `Task ${String(line.id)}`, ...line })).join('\n'),
      );
    await t.store.core.write(async (rev) => {
      for (const run of runs) {
        await t.store.agents.insert(makeAgent(run), null);
        if (run.ended_at) await t.store.agents.update(run.id, { ended_at: run.ended_at }, rev);
        if (run.pid) await t.store.agents.setPids([[run.id, run.pid]], rev);
      }
    });
    return { store: t.store, ctx: opContextOn(t) };
  }

  describe('wg reap', () => {
    /** Upstream's make_registry_with_agents: working, dead, done, failed and idle (here: a second working) runs. */
    const registry = (ended: Partial<Record<string, string>> = {}) =>
      project(
        [],
        [
          { id: 'agent-1', task_id: 'task-alive', state: 'working' },
          { id: 'agent-2', task_id: 'task-dead', state: 'dead', ended_at: ended['agent-2'] ?? null },
          { id: 'agent-3', task_id: 'task-done', state: 'done', ended_at: ended['agent-3'] ?? null },
          { id: 'agent-4', task_id: 'task-failed', state: 'failed', ended_at: ended['agent-4'] ?? null },
          { id: 'agent-5', task_id: 'task-idle', state: 'working' },
        ],
      );
    const ids = async (store: Store) => (await store.agents.list()).map((a) => a.id);

    it('test_is_reapable / test_collect_reapable_no_filter / test_reap_removes_dead_done_failed: the dead run goes; a done or failed one is its record and stays', async () => {
      const { store, ctx } = await registry();
      const result = await dispatch('agent:reap', {}, ctx);
      expect(result).toEqual({
        dry_run: false,
        count: 1,
        dead: 1,
        done: 0,
        failed: 0,
        agents: [{ id: 'agent-2', task_id: 'task-dead', status: 'dead', completed_at: null }],
      });
      expect(await ids(store)).toEqual(['agent-1', 'agent-3', 'agent-4', 'agent-5']);
      expect(reapText(result)).toBe("Reaped 1 agent(s) (1 dead, 0 done, 0 failed)\n  agent-2 [dead] — task 'task-dead'");
    });

    it('test_collect_reapable_with_age_filter / test_reap_with_older_than_filter', async () => {
      const { store, ctx } = await registry({ 'agent-2': ago(2 * 3_600_000) });
      const { ctx: recentCtx, store: recent } = await project([], [{ id: 'agent-9', task_id: 't', state: 'dead', ended_at: ago(30_000) }]);
      expect((await dispatch('agent:reap', { olderThan: '1h' }, ctx)).agents.map((a) => a.id)).toEqual(['agent-2']);
      expect(await ids(store)).not.toContain('agent-2');
      // Dead for 30 seconds: too recent for --older-than 1h.
      expect((await dispatch('agent:reap', { olderThan: '1h' }, recentCtx)).count).toBe(0);
      expect(await ids(recent)).toEqual(['agent-9']);
    });

    it('test_collect_reapable_no_reapable_agents / test_reap_empty_registry', async () => {
      const { ctx } = await project([], [{ id: 'agent-1', task_id: 'task-1', state: 'working' }]);
      const result = await dispatch('agent:reap', {}, ctx);
      expect(result.count).toBe(0);
      expect(reapText(result)).toBe('No agents to reap.');
    });

    it('test_reap_dry_run_does_not_modify_registry / test_reap_json_output', async () => {
      const { store, ctx } = await registry();
      const result = await dispatch('agent:reap', { dryRun: true }, ctx);
      expect([result.dry_run, result.count, result.agents.map((a) => a.id)]).toEqual([true, 1, ['agent-2']]);
      expect(await ids(store)).toEqual(['agent-1', 'agent-2', 'agent-3', 'agent-4', 'agent-5']);
      expect(reapText(result)).toBe("Would reap 1 agent(s):\n  agent-2 [dead] — task 'task-dead'");
    });

    it('a dead run whose task is still in progress on it stays, so the task is not held by a run nobody knows', async () => {
      const { store, ctx } = await project(
        [{ id: 'stuck', status: 'in-progress', assigned: 'agent-1' }],
        [{ id: 'agent-1', task_id: 'stuck', state: 'dead' }],
      );
      const result = await dispatch('agent:reap', {}, ctx);
      expect([result.count, result.still_holding]).toEqual([0, ['agent-1']]);
      expect(await ids(store)).toEqual(['agent-1']);
      expect(reapText(result)).toContain("'wg sweep' requeues those tasks first");
    });

    it('a bad --older-than is refused in one line, nothing changed', async () => {
      const { store, ctx } = await registry();
      await expect(dispatch('agent:reap', { olderThan: 'abc' }, ctx)).rejects.toThrow(/^--older-than takes a duration/);
      expect(await ids(store)).toHaveLength(5);
    });
  });

  describe('wg sweep', () => {
    /**
     * Upstream's setup_with_dead_agent: stuck-task in progress on a dead run, healthy-task on a live one (this test's own
     * process), done-task done. Beside them, this app's cases: a run the store calls working whose process is gone, an
     * open task still claimed by a run that ended, and a person's claim (no run of that name), which is left alone.
     */
    const withDeadAgent = () =>
      project(
        [
          { id: 'stuck-task', title: 'Stuck Task', status: 'in-progress', assigned: 'agent-1' },
          { id: 'healthy-task', title: 'Healthy Task', status: 'in-progress', assigned: 'agent-2' },
          { id: 'done-task', title: 'Done Task', status: 'done', assigned: 'agent-3' },
          { id: 'gone-task', title: 'Gone Task', status: 'in-progress', assigned: 'agent-4' },
          { id: 'ended-claim', title: 'Ended Claim', status: 'open', assigned: 'agent-5' },
          { id: 'person-task', title: 'Person Task', status: 'in-progress', assigned: 'erik' },
        ],
        [
          { id: 'agent-1', task_id: 'stuck-task', state: 'dead' },
          { id: 'agent-2', task_id: 'healthy-task', state: 'working', pid: process.pid },
          { id: 'agent-3', task_id: 'done-task', state: 'dead' },
          // A pid no process has (above the kernel's pid_max).
          { id: 'agent-4', task_id: 'gone-task', state: 'working', pid: 99_999_999 },
          { id: 'agent-5', task_id: 'ended-claim', state: 'done' },
        ],
      );

    /**
     * A run the store calls working whose process is gone: found dead by its pid on SQLite. On a team's graph (the
     * postgres project) a run no coordinator of this folder started ran on another machine, where its pid means
     * something: it is left to its coordinator, as `wg dead-agents` leaves it.
     */
    const goneTask = {
      task_id: 'gone-task',
      title: 'Gone Task',
      assigned_agent: 'agent-4',
      reason: "InProgress task; agent 'agent-4' is dead (process 99999999 is gone)",
    };
    const swept = kind === 'sqlite' ? ['ended-claim', 'gone-task', 'stuck-task'] : ['ended-claim', 'stuck-task'];

    it('test_sweep_detects_dead_agents / test_sweep_dry_run_does_not_modify', async () => {
      const { store, ctx } = await withDeadAgent();
      const result = await dispatch('graph:sweep', { dryRun: true }, ctx);
      expect(result.orphaned).toEqual([
        {
          task_id: 'stuck-task',
          title: 'Stuck Task',
          assigned_agent: 'agent-1',
          reason: "InProgress task; agent 'agent-1' is marked dead",
        },
        ...(kind === 'sqlite' ? [goneTask] : []),
        { task_id: 'ended-claim', title: 'Ended Claim', assigned_agent: 'agent-5', reason: "Open task; agent 'agent-5' has ended (done)" },
      ]);
      expect(result.fixed).toEqual([]);
      expect((await store.get('stuck-task')).status).toBe('in-progress');
      expect((await store.agents.get('agent-4')).state).toBe('working');
      expect(sweepText(result)).toContain(
        `Found ${result.orphaned_count} orphaned task(s) (dry run, no changes made):\n\n  stuck-task — "Stuck Task"\n`,
      );
    });

    it('test_sweep_unclaims_stuck / test_sweep_json_output / test_reconciler_preserves_open_tasks_with_live_claims', async () => {
      const { store, ctx } = await withDeadAgent();
      const result = await dispatch('graph:sweep', {}, ctx);
      expect([...result.fixed].sort()).toEqual(swept);
      expect(result.orphaned_count).toBe(swept.length);
      for (const id of swept) expect(await store.get(id)).toMatchObject({ status: 'open', assigned: null });
      // The log says which run held it (`wg dead-agents --cleanup`'s line; upstream's says "Sweep").
      expect((await store.get('stuck-task')).log.at(-1)?.message).toContain('agent-1');
      expect(await store.get('healthy-task')).toMatchObject({ status: 'in-progress', assigned: 'agent-2' });
      expect(await store.get('person-task')).toMatchObject({ status: 'in-progress', assigned: 'erik' });
      expect((await store.agents.get('agent-4')).state).toBe(kind === 'sqlite' ? 'dead' : 'working');
      expect(sweepText(result)).toContain(`Fixed ${swept.length} task(s) (reset to Open):`);
    });

    it('test_sweep_idempotent / test_sweep_no_orphans', async () => {
      const { ctx } = await withDeadAgent();
      await dispatch('graph:sweep', {}, ctx);
      const again = await dispatch('graph:sweep', {}, ctx);
      expect([again.orphaned, again.fixed]).toEqual([[], []]);
      expect(sweepText(again)).toBe('No orphaned tasks found. Everything looks clean.');
    });

    it('test_sweep_inprogress_no_agent: a task in progress with no assignee is a person’s, left alone (upstream resets it)', async () => {
      const { store, ctx } = await project([{ id: 'no-agent', title: 'No Agent Task', status: 'in-progress' }], []);
      expect((await dispatch('graph:sweep', {}, ctx)).orphaned).toEqual([]);
      expect((await store.get('no-agent')).status).toBe('in-progress');
    });
  });
});

describe("wg reap's --older-than (upstream's parse_duration)", () => {
  it('test_parse_duration_seconds / _minutes / _hours / _days / _weeks / _no_unit_defaults_to_seconds', () => {
    expect(['30s', '5m', '1h', '7d', '2w', '60'].map(parseAge)).toEqual([30, 300, 3600, 604_800, 1_209_600, 60]);
  });
  it('test_parse_duration_empty_fails / test_parse_duration_invalid_number', () => {
    expect([parseAge(''), parseAge('abc')]).toEqual([null, null]);
  });
});
