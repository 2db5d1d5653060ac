import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { incompleteText } from '../../src/cli/insight-format';
import { dispatch } from '../../src/core/ops/dispatch';
import type { OpContext } from '../../src/core/ops/context';
import type { ProjectPaths } from '../../src/core/project';
import { makeAgent } from '../fixtures/objects';
import { STORE_KINDS, tempStore } from '../helpers/temp-store';

describe.each(STORE_KINDS)('on %s', async (kind) => {
  /*
   * Upstream's triage from inside a run (requeue.rs: "an agent that found a failed dependency adds
   * fix tasks, then requeues its own task"): a run may requeue its own task, never another, and its
   * own run is left to end when its process does.
   */

  let temp = await tempStore(undefined, kind);
  /** The store's folder, with settings files of its own there (none exist: every setting is its default). */
  const storePaths = () =>
    ({ dir: temp.dir, config: join(temp.dir, 'config.toml'), globalConfig: join(temp.dir, 'global-config.toml') }) as ProjectPaths;
  afterEach(async () => {
    await temp.dispose();
    temp = await tempStore(undefined, kind);
  });

  function runContext(agentId: string, runId: string): OpContext {
    return { store: temp.store, paths: storePaths(), actor: agentId, agent: { id: agentId, runId } };
  }

  async function holdTask(taskId: string, agentId: string, runId: string): Promise<void> {
    await temp.store.tasks.add({ title: taskId, id: taskId }, 'user');
    await temp.store.tasks.claim(taskId, agentId, 'coordinator');
    await temp.store.agents.insert(makeAgent({ id: agentId, task_id: taskId }), null, runId);
  }

  describe('wg requeue from an agent run', () => {
    it('requeues its own task; its run keeps working until its process ends', async () => {
      await holdTask('mine', 'agent-1', 'run-1');
      const result = await dispatch('task:requeue', { id: 'mine', reason: 'added fix-schema' }, runContext('agent-1', 'run-1'));
      expect(result.task).toMatchObject({ status: 'open', assigned: null });
      expect((await temp.store.agents.get('agent-1')).state).toBe('working');
    });

    it('is refused on another task, and nothing changes', async () => {
      await holdTask('mine', 'agent-1', 'run-1');
      await holdTask('theirs', 'agent-2', 'run-2');
      await expect(dispatch('task:requeue', { id: 'theirs', reason: 'x' }, runContext('agent-1', 'run-1'))).rejects.toThrow(
        /only its own task 'mine'/,
      );
      expect(await temp.store.get('theirs')).toMatchObject({ status: 'in-progress', assigned: 'agent-2' });
    });

    it('a person requeueing ends the run that held the task', async () => {
      await holdTask('mine', 'agent-1', 'run-1');
      await dispatch('task:requeue', { id: 'mine', reason: 'stuck' }, { store: temp.store, paths: storePaths(), actor: 'user' });
      expect(await temp.store.agents.get('agent-1')).toMatchObject({ state: 'killed' });
    });
  });

  describe('wg incomplete (upstream incomplete.rs)', () => {
    const person = () => ({ store: temp.store, paths: storePaths(), actor: 'user' });

    it('test_incomplete_increments_retry_count / test_incomplete_clears_assigned_and_session / test_incomplete_cooldown_sets_ready_after', async () => {
      await holdTask('t1', 'agent-1', 'run-1');
      const task = await dispatch('task:incomplete', { id: 't1', reason: 'tests still red' }, runContext('agent-1', 'run-1'));
      expect(task).toMatchObject({
        status: 'incomplete',
        retry_count: 1,
        assigned: null,
        session_id: null,
        failure_reason: 'tests still red',
      });
      // Upstream's incomplete_retry_delay: 30 s before it is dispatched again, as upstream's ready_after.
      expect(task.extra.ready_after).toBe('2026-03-01T12:00:30.000Z');
      expect(task.not_before).toBeNull();
      expect(task.log.at(-1)?.message).toBe('Task marked as incomplete (attempt #1 (2 remaining)): tests still red');
      expect((await temp.store.ready()).map((t) => t.id)).toEqual([]);
      // `wg ready` lists it under "Waiting on delay".
      expect((await dispatch('task:ready', {}, person())).map((t) => [t.id, t.ready])).toEqual([['t1', false]]);
      temp.setNow(new Date('2026-03-01T12:00:31Z'));
      expect((await temp.store.ready()).map((t) => t.id)).toEqual(['t1']);
    });

    // upstream: src/commands/retry.rs test_retry_incomplete_clears_ready_after
    it("test_retry_incomplete_clears_ready_after: wg retry ends the incomplete task's delay", async () => {
      await holdTask('t1', 'agent-1', 'run-1');
      await dispatch('task:incomplete', { id: 't1' }, person());
      const retried = await temp.store.tasks.retry('t1', 'user');
      expect(retried).toMatchObject({ status: 'open', not_before: null });
      expect(retried.extra.ready_after).toBeUndefined();
      expect((await temp.store.ready()).map((t) => t.id)).toEqual(['t1']);
    });

    it('test_incomplete_exhaustion_transitions_to_failed / test_incomplete_task_level_max_retries_overrides_config', async () => {
      await temp.store.tasks.add({ title: 't1', id: 't1', maxRetries: 2 }, 'user');
      await dispatch('task:incomplete', { id: 't1' }, person());
      await temp.store.tasks.claim('t1', 'agent-1', 'coordinator', true);
      const failed = await dispatch('task:incomplete', { id: 't1', reason: 'again' }, person());
      expect(failed).toMatchObject({
        status: 'failed',
        retry_count: 2,
        failure_reason: 'Retry exhausted (2/2 attempts). Last incomplete reason: again',
      });
    });

    it('test_incomplete_already_incomplete_is_noop / test_incomplete_terminal_task_errors', async () => {
      await temp.store.tasks.add({ title: 't1', id: 't1' }, 'user');
      await dispatch('task:incomplete', { id: 't1' }, person());
      const logged = (await temp.store.get('t1')).log.length;
      const again = await dispatch('task:incomplete', { id: 't1', reason: 'needs tests' }, person());
      expect(again.retry_count).toBe(1);
      expect((await temp.store.get('t1')).log).toHaveLength(logged);
      // Upstream prints that and nothing else: the reason given was not recorded.
      expect(incompleteText(again, 'needs tests')).toBe("Task 't1' is already incomplete");
      await temp.store.tasks.add({ title: 'done', id: 'd1' }, 'user');
      await temp.store.tasks.done('d1', {}, 'user');
      await expect(dispatch('task:incomplete', { id: 'd1' }, person())).rejects.toThrow(
        "task 'd1' is done and cannot be marked as incomplete",
      );
    });

    it("an agent cannot mark another run's task incomplete (the ownership rule, noted in its log)", async () => {
      await holdTask('mine', 'agent-1', 'run-1');
      await holdTask('theirs', 'agent-2', 'run-2');
      await expect(dispatch('task:incomplete', { id: 'theirs' }, runContext('agent-1', 'run-1'))).rejects.toThrow(/refused/);
      expect((await temp.store.get('theirs')).status).toBe('in-progress');
    });
  });
});
