import { afterEach, describe, expect, it } from 'vitest';
import type { TaskStatus } from '../../src/shared/task';
import { tasksOfTable } from '../../src/shared/task-table';
import { wrongBlockerCounts } from '../../src/core/store/dependency-writes';
import { nextScheduledAt, requireTaskRow } from '../../src/core/store/task-reads';
import { transition } from '../../src/core/store/task-writes';
import { readyByRule } from '../helpers/ready-by-rule';
import { STORE_KINDS, tempStore } from '../helpers/temp-store';

describe.each(STORE_KINDS)('on %s', (kind) => {
  /*
   * Issue 25 item 2: everyday semantics as upstream workgraph's code has them, each ported from the
   * upstream test named in its comment (graphwork/workgraph).
   */

  let envs: Array<Awaited<ReturnType<typeof tempStore>>> = [];
  afterEach(async () => {
    for (const env of envs) await env.dispose();
    envs = [];
  });
  async function fresh(now = new Date('2026-06-01T12:00:00Z')) {
    const env = await tempStore(now, kind);
    envs.push(env);
    return env;
  }
  const row = (fields: Record<string, unknown>) => JSON.stringify({ kind: 'task', status: 'open', title: 'T', ...fields });

  describe('priority as upstream reads it (graph.rs deserialize_priority)', () => {
    // upstream: src/graph.rs test_priority_serde_migration_from_named_enum
    it('reads named levels, numbers, and a missing priority as the default', async () => {
      const { store } = await fresh();
      await store.importJsonl(
        [
          row({ id: 't1', priority: 'critical' }),
          row({ id: 't2', priority: 'high' }),
          row({ id: 't3', priority: 'normal' }),
          row({ id: 't4', priority: 'low' }),
          row({ id: 't5', priority: 'idle' }),
          row({ id: 't6', priority: 42 }),
          row({ id: 't7' }),
        ].join('\n'),
      );
      expect(await Promise.all(['t1', 't2', 't3', 't4', 't5', 't6', 't7'].map(async (id) => (await store.get(id)).priority_value))).toEqual(
        [100, 50, 10, 5, 0, 42, 10],
      );
    });

    // upstream: tests/smoke/scenarios/priority_int_and_string_deserialize.sh
    it('reads a map-shaped priority, a fraction, a negative number or an unknown name as the default, not as an error', async () => {
      const { store } = await fresh();
      const imported = await store.importJsonl(
        [
          row({ id: 'int-prio', priority: 10 }),
          row({ id: 'str-prio', priority: 'high' }),
          row({ id: 'map-prio', priority: { name: 'normal', value: 50 } }),
          row({ id: 'frac-prio', priority: 2.5 }),
          row({ id: 'neg-prio', priority: -3 }),
          row({ id: 'odd-prio', priority: 'urgent' }),
          row({ id: 'bool-prio', priority: true }),
        ].join('\n'),
      );
      expect(imported.imported).toBe(7);
      expect((await store.list()).map((t) => [t.id, t.priority_value])).toEqual([
        ['int-prio', 10],
        ['str-prio', 50],
        ['map-prio', 10],
        ['frac-prio', 10],
        ['neg-prio', 10],
        ['odd-prio', 10],
        ['bool-prio', 10],
      ]);
    });
  });

  /** A graph as upstream writes it: one task a line. */
  async function graph(rows: Array<Record<string, unknown>>) {
    const env = await fresh();
    await env.store.importJsonl(rows.map(row).join('\n'));
    return env.store;
  }
  const statusOf = async (store: Awaited<ReturnType<typeof graph>>, id: string) => (await store.get(id)).status;
  const readyIds = async (store: Awaited<ReturnType<typeof graph>>) => (await store.ready()).map((t) => t.id);

  describe('wg abandon, as upstream abandon.rs', () => {
    // upstream: src/commands/abandon.rs test_abandon_cascades_to_system_tasks
    it('abandons X with its .evaluate-X and .verify-X; a regular dependent stays open and is ready at once', async () => {
      const store = await graph([
        { id: 't1', title: 'Main task' },
        { id: '.evaluate-t1', after: ['t1'] },
        { id: '.verify-t1', after: ['t1'] },
        { id: 't2', title: 'Depends on t1', after: ['t1'] },
      ]);
      const t1 = await store.tasks.abandon('t1', 'decomposed', 'user');
      expect(t1).toMatchObject({ status: 'abandoned', failure_reason: 'decomposed' });
      expect(await statusOf(store, '.evaluate-t1')).toBe('abandoned');
      expect(await statusOf(store, '.verify-t1')).toBe('abandoned');
      expect(await store.get('.evaluate-t1')).toMatchObject({ failure_reason: "Parent task 't1' was abandoned" });
      expect((await store.get('.evaluate-t1')).log.map((l) => l.message)).toContain("Auto-abandoned: parent 't1' was abandoned");
      expect(await statusOf(store, 't2')).toBe('open');
      // Without the cascade t2 waited for ever for an evaluation nobody would run.
      expect(await readyIds(store)).toEqual(['t2']);
    });

    // upstream: src/commands/abandon.rs test_abandon_does_not_cascade_to_terminal
    it('leaves a finished system task as it is', async () => {
      const store = await graph([{ id: 't1' }, { id: '.evaluate-t1', after: ['t1'], status: 'done' }]);
      await store.tasks.abandon('t1', undefined, 'user');
      expect(await statusOf(store, '.evaluate-t1')).toBe('done');
    });

    // upstream: src/commands/abandon.rs test_abandon_cascades_eval_scaffold_with_flip
    it('reaches .evaluate-X through .flip-X by its name, and not a regular dependent', async () => {
      const store = await graph([
        { id: 't1' },
        { id: '.flip-t1', after: ['t1'] },
        { id: '.evaluate-t1', after: ['.flip-t1'] },
        { id: 't2', after: ['t1'] },
      ]);
      await store.tasks.abandon('t1', 'decomposed', 'user');
      expect(await Promise.all(['t1', '.flip-t1', '.evaluate-t1', 't2'].map((id) => statusOf(store, id)))).toEqual([
        'abandoned',
        'abandoned',
        'abandoned',
        'open',
      ]);
    });

    // upstream: src/commands/abandon.rs test_abandon_cascades_to_assign_task, test_abandon_does_not_cascade_done_assign
    it('abandons an open .assign-X (which X depends on), not a done one', async () => {
      const open = await graph([
        { id: 't1', after: ['.assign-t1'] },
        { id: '.assign-t1', before: ['t1'] },
      ]);
      await open.tasks.abandon('t1', 'no longer needed', 'user');
      expect(await statusOf(open, '.assign-t1')).toBe('abandoned');
      const done = await graph([
        { id: 't1', after: ['.assign-t1'] },
        { id: '.assign-t1', before: ['t1'], status: 'done' },
      ]);
      await done.tasks.abandon('t1', undefined, 'user');
      expect(await statusOf(done, '.assign-t1')).toBe('done');
    });

    // upstream: src/commands/abandon.rs test_abandon_already_abandoned_is_noop, test_abandon_done_task_errors
    it('changes nothing when already abandoned, and refuses a done task', async () => {
      const store = await graph([
        { id: 't1', status: 'abandoned' },
        { id: 't2', status: 'done' },
      ]);
      const before = await store.get('t1');
      expect(await store.tasks.abandon('t1', 'again', 'user')).toEqual(before);
      await expect(() => store.tasks.abandon('t2', undefined, 'user')).rejects.toThrow(/already done/);
    });
  });

  describe('a task after both X and .evaluate-X (its blocker count once went to -1: never ready)', () => {
    const both = (x: string) =>
      graph([
        { id: 'x', status: x },
        { id: '.evaluate-x', after: ['x'] },
        { id: 'z', after: ['x', '.evaluate-x'] },
      ]);
    const setStatus = (store: Awaited<ReturnType<typeof graph>>, id: string, status: TaskStatus) =>
      store.core.write(async (rev) => transition(store.core, await requireTaskRow(store.core, id), { status }, rev));

    it('is ready once X is done and .evaluate-X done', async () => {
      const store = await both('done');
      await store.tasks.done('.evaluate-x', {}, 'evaluator');
      expect(await readyIds(store)).toEqual(['z']);
      expect(await wrongBlockerCounts(store.core)).toEqual([]);
    });

    it('waits while X awaits its score after .evaluate-X is done, and is ready when X is done', async () => {
      const store = await both('pending-eval');
      await store.tasks.done('.evaluate-x', {}, 'evaluator');
      expect(await readyIds(store)).toEqual([]);
      expect(await wrongBlockerCounts(store.core)).toEqual([]);
      await setStatus(store, 'x', 'done');
      expect(await readyIds(store)).toEqual(['z']);
      expect(await wrongBlockerCounts(store.core)).toEqual([]);
    });

    it('is ready once X is abandoned, .evaluate-X with it', async () => {
      const store = await both('in-progress');
      await store.tasks.abandon('x', undefined, 'user');
      expect(await statusOf(store, '.evaluate-x')).toBe('abandoned');
      expect(await readyIds(store)).toEqual(['z']);
      expect(await wrongBlockerCounts(store.core)).toEqual([]);
    });
  });

  describe('wg done, as upstream done.rs', () => {
    // upstream: src/commands/done.rs test_done_with_unresolved_blockers_fails; tests/integration_cli_workflows.rs test_done_blocked_task_fails
    it('refuses a task an unfinished dependency holds back, with upstream words, and changes nothing', async () => {
      const store = await graph([
        { id: 'blocker', title: 'Blocker' },
        { id: 'd2', title: 'Blocked done', status: 'in-progress', after: ['blocker'] },
      ]);
      await expect(() => store.tasks.done('d2', {}, 'user')).rejects.toThrow(
        "Cannot mark 'd2' as done: blocked by 1 unresolved task(s): blocker (Blocker): open",
      );
      expect(await statusOf(store, 'd2')).toBe('in-progress');
    });

    // upstream: src/commands/done.rs test_done_with_resolved_blockers_succeeds, test_done_with_failed_blocker_succeeds,
    // test_done_with_abandoned_blocker_succeeds
    it.each(['done', 'failed', 'abandoned'])('completes a task whose dependency is %s', async (status) => {
      const store = await graph([
        { id: 'blocker', status },
        { id: 't', after: ['blocker'] },
      ]);
      expect((await store.tasks.done('t', {}, 'user')).status).toBe('done');
    });

    it('lets a system task finish on its soft-done task', async () => {
      const store = await graph([
        { id: 'x', status: 'pending-eval' },
        { id: '.evaluate-x', after: ['x'] },
        { id: 'y', after: ['x'] },
      ]);
      expect((await store.tasks.done('.evaluate-x', {}, 'user')).status).toBe('done');
      await expect(() => store.tasks.done('y', {}, 'user')).rejects.toThrow(/blocked by 1 unresolved task\(s\): x \(T\): pending-eval/);
    });

    // upstream: done.rs run_inner "cycle-aware: only exempt back-edge blockers" (a blocker in the task's own cycle)
    it.each(['loop-head', 'loop-tail'])('lets %s of an imported loop finish while the other is open', async (id) => {
      const store = await graph([
        { id: 'loop-head', after: ['loop-tail'], cycle_config: { max_iterations: 3 } },
        { id: 'loop-tail', after: ['loop-head'] },
        { id: 'outside' },
        { id: 'after-outside', after: ['outside', 'loop-head'] },
      ]);
      expect((await store.tasks.done(id, {}, 'user')).status).toBe('done');
      await expect(() => store.tasks.done('after-outside', {}, 'user')).rejects.toThrow(
        /Cannot mark 'after-outside' as done: blocked by \d unresolved task\(s\): .*outside \(T\): open/,
      );
    });
  });

  describe("an imported loop's back edge, which upstream's wg ready exempts", () => {
    // Said on the task in every read, so the window and `wg show` leave it out of what holds the task (task-hold.ts),
    // as the store's readiness does: the loop's header was ready while its card said "waiting on" the loop's tail.
    it('is marked on the task that has it in one read, a list, the graph table and a summary; an export does not write it', async () => {
      const store = await graph([
        { id: 'pre', status: 'done' },
        { id: 'loop-head', after: ['pre', 'loop-tail'], cycle_config: { max_iterations: 3 } },
        { id: 'loop-tail', after: ['loop-head', 'gone'] },
      ]);
      expect(await readyIds(store)).toEqual(['loop-head']);
      const reads = [
        await store.get('loop-head'),
        (await store.list()).find((t) => t.id === 'loop-head'),
        tasksOfTable((await store.snapshot()).tasks).find((t) => t.id === 'loop-head'),
        (await store.summaries()).find((t) => t.id === 'loop-head'),
      ];
      for (const head of reads) expect(head).toMatchObject({ after: ['pre', 'loop-tail'], loop_back: ['loop-tail'] });
      // A dependency on an id not in the graph is kept too, but it holds the task: not a loop's.
      for (const tail of [await store.get('loop-tail'), tasksOfTable((await store.snapshot()).tasks).find((t) => t.id === 'loop-tail')])
        expect(tail).toMatchObject({ after: ['loop-head', 'gone'], loop_back: [] });
      expect(await store.exportJsonl()).not.toContain('loop_back');
      expect(await store.exportJsonl({ upstream: true })).not.toContain('loop_back');
    });
  });

  describe('wg fail and wg retry, as upstream fail.rs and retry.rs', () => {
    // upstream: src/commands/fail.rs test_fail_increments_retry_count, test_fail_no_reason_clears_failure_reason,
    // test_fail_already_failed_is_noop; tests/integration_cli_commands.rs multiple_failures_increment_retry_count
    it('counts each failure, clears the reason when none is given, and does nothing to a failed task', async () => {
      const store = await graph([{ id: 't1', failure_reason: 'old reason' }]);
      expect(await store.tasks.fail('t1', undefined, 'user')).toMatchObject({ status: 'failed', retry_count: 1, failure_reason: null });
      expect(await store.tasks.fail('t1', 'again', 'user')).toMatchObject({ status: 'failed', retry_count: 1, failure_reason: null });
      await store.tasks.retry('t1', 'user');
      expect(await store.tasks.fail('t1', 'timeout exceeded', 'user')).toMatchObject({
        retry_count: 2,
        failure_reason: 'timeout exceeded',
      });
    });

    // upstream: src/commands/retry.rs test_retry_preserves_retry_count, test_retry_clears_failure_reason, test_retry_clears_assigned
    it('reopens without counting again, its failure cleared', async () => {
      const store = await graph([{ id: 't1', status: 'failed', retry_count: 2, failure_reason: 'boom', assigned: 'agent-1' }]);
      expect(await store.tasks.retry('t1', 'user')).toMatchObject({ status: 'open', retry_count: 2, failure_reason: null, assigned: null });
    });

    // upstream: src/commands/retry.rs test_retry_max_retries_exceeded, test_retry_within_max_retries_succeeds
    it('refuses a failed task whose own max_retries is used up', async () => {
      const store = await graph([
        { id: 'used', status: 'failed', retry_count: 3, max_retries: 3 },
        { id: 'left', status: 'failed', retry_count: 1, max_retries: 3 },
      ]);
      await expect(() => store.tasks.retry('used', 'user')).rejects.toThrow(
        "Task 'used' has reached max retries (3/3). Consider abandoning or increasing max_retries.",
      );
      expect((await store.tasks.retry('left', 'user')).status).toBe('open');
    });

    // upstream: src/commands/retry.rs test_retry_in_progress_task_resets_to_open
    it('reopens an in-progress task, counting the attempt, with the reason in the log', async () => {
      const store = await graph([{ id: 't1', status: 'in-progress', retry_count: 0, assigned: 'agent-gone', session_id: 's-1' }]);
      const task = await store.tasks.retry('t1', 'user', 'hung 20min');
      expect(task).toMatchObject({ status: 'open', retry_count: 1, assigned: null, session_id: null });
      expect(task.log.at(-1)?.message).toBe('Retry #1 from in-progress (hung 20min)');
    });

    // upstream: src/commands/retry.rs retry_in_progress "Honor max_retries before incrementing"
    it('refuses an in-progress task whose own max_retries is used up, and changes nothing', async () => {
      const store = await graph([{ id: 't1', status: 'in-progress', retry_count: 2, max_retries: 2, assigned: 'agent-1' }]);
      await expect(() => store.tasks.retry('t1', 'user')).rejects.toThrow(
        "Task 't1' has reached max retries (2/2). Consider abandoning or increasing max_retries.",
      );
      expect(await store.get('t1')).toMatchObject({ status: 'in-progress', retry_count: 2, assigned: 'agent-1' });
    });
  });

  describe('a paused task names dependencies not made yet', () => {
    // upstream: src/commands/add.rs nonexistent_blocker_allowed_when_paused; src/commands/resume.rs test_resume_only_with_dangling_dep_fails
    it('is added paused, refused at publish while they are missing, and published once they exist', async () => {
      const { store } = await fresh();
      await expect(() => store.tasks.add({ title: 'Eager', after: ['not-yet-made'] }, 'user')).rejects.toThrow(
        /dependency 'not-yet-made' does not exist/,
      );
      const later = await store.tasks.add({ title: 'Later', after: ['not-yet-made'], paused: true }, 'user');
      expect(later).toMatchObject({ paused: true, after: ['not-yet-made'] });
      await expect(() => store.tasks.setPaused('later', false, 'user')).rejects.toThrow(
        "Cannot publish task 'later': dangling dependencies: 'not-yet-made'",
      );
      expect((await store.get('later')).paused).toBe(true);
      await store.tasks.add({ title: 'Not yet made' }, 'user');
      expect((await store.tasks.setPaused('later', false, 'user')).paused).toBe(false);
      // It waits for the dependency as any task does, then runs.
      expect(await readyIds(store)).toEqual(['not-yet-made']);
      await store.tasks.done('not-yet-made', {}, 'user');
      expect(await readyIds(store)).toEqual(['later']);
    });
  });

  describe("upstream's ready_after holds a task back like not_before (query.rs is_time_ready)", () => {
    const now = new Date('2026-06-01T12:00:00Z');
    const cases = {
      future: { ready_after: '2099-01-01T00:00:00Z' },
      past: { ready_after: '2020-01-01T00:00:00Z' },
      garbage: { ready_after: 'garbage' },
      'both-past': { not_before: '2020-01-01T00:00:00Z', ready_after: '2020-06-01T00:00:00Z' },
      'not-before-past-ready-after-future': { not_before: '2020-01-01T00:00:00Z', ready_after: '2099-01-01T00:00:00Z' },
      // As upstream writes it (chrono's to_rfc3339: nanoseconds, an offset).
      'in-a-second': { ready_after: '2026-06-01T12:00:01.000000001+00:00' },
      'another-offset': { ready_after: '2026-06-01T13:30:00+02:00' },
    };

    // upstream: src/query.rs test_is_time_ready_future_ready_after, test_is_time_ready_past_ready_after,
    // test_is_time_ready_invalid_ready_after, test_is_time_ready_both_timestamps_past, test_is_time_ready_not_before_past_ready_after_future
    it('in the store (SQL) and by the pure rule alike', async () => {
      const { store } = await fresh(now);
      await store.importJsonl(
        Object.entries(cases)
          .map(([id, fields]) => row({ id, ...fields }))
          .join('\n'),
      );
      const expected = ['another-offset', 'both-past', 'garbage', 'past'];
      expect((await readyIds(store)).sort()).toEqual(expected);
      expect(await readyByRule(store, now)).toEqual(expected);
      await expect(store.tasks.claim.bind(store.tasks, 'future', 'agent-1', 'user')).rejects.toThrow(
        /is not due until 2099-01-01T00:00:00.000Z \(its ready_after\)/,
      );
    });

    it("wakes the coordinator at the soonest of them (its timer's time), and the task is ready from then", async () => {
      const env = await fresh(now);
      await env.store.importJsonl(
        Object.entries(cases)
          .map(([id, fields]) => row({ id, ...fields }))
          .join('\n'),
      );
      expect(await nextScheduledAt(env.store.core, env.store.core.clock())).toBe('2026-06-01T12:00:01.000Z');
      env.setNow(new Date('2026-06-01T12:00:01.000Z'));
      expect(await readyIds(env.store)).toContain('in-a-second');
      expect(await nextScheduledAt(env.store.core, env.store.core.clock())).toBe('2099-01-01T00:00:00.000Z');
    });

    // upstream: src/commands/retry.rs test_retry_incomplete_clears_ready_after
    it('is cleared by wg retry, and written back as it came otherwise', async () => {
      const { store } = await fresh(now);
      await store.importJsonl(
        [
          row({ id: 'later', status: 'incomplete', ready_after: '2099-01-01T00:00:00Z' }),
          row({ id: 'kept', ready_after: '2099-01-01T00:00:00Z' }),
        ].join('\n'),
      );
      expect((await store.tasks.retry('later', 'user')).extra.ready_after).toBeUndefined();
      expect(await readyIds(store)).toEqual(['later']);
      expect(await store.exportJsonl({ upstream: true })).toContain('"ready_after":"2099-01-01T00:00:00Z"');
    });
  });
});
