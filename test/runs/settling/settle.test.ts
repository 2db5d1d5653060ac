import { describe, expect, it } from 'vitest';
import { settle } from '../../../src/core/runs/settling/settle';
import { newRun } from '../../../src/core/store/agent-records';
import { transition } from '../../../src/core/store/task-writes';
import { statementsDuring } from '../../helpers/statements';
import { STORE_KINDS, storesPerTest } from '../../helpers/temp-store';

describe.each(STORE_KINDS)('on %s', (kind) => {
  const newStore = storesPerTest(kind);

  /** A store with task `id` claimed by agent-1, as the coordinator's claim leaves it. */
  async function claimed(id: string, schedule?: string) {
    const t = await newStore();
    const { store } = t;
    await store.tasks.add({ title: id, id, exec: 'true', schedule }, 'test');
    await store.core.write(async (rev) => {
      await store.agents.insert(
        newRun(
          'agent-1',
          { task_id: id, executor: 'shell', model: null, model_source: null, runs_elsewhere: false, output_path: null },
          store.core.nowIso(),
          rev,
        ),
        null,
      );
      await transition(store.core, { id, status: 'open', assigned: null }, { status: 'in-progress', assigned: 'agent-1' }, rev);
    });
    return store;
  }

  /** rearmSchedule's look at the task (schedule-writes.ts). */
  const rearmRead = (text: string) => text.includes("status IN ('done', 'failed')");

  describe('settling a run', () => {
    it('does not look for a schedule to rearm on a task that has none (most tasks), whether it is done or failed', async () => {
      for (const outcome of ['complete', 'fail'] as const) {
        const store = await claimed('plain');
        const seen = await statementsDuring(store.core, async () => {
          const changed =
            outcome === 'complete'
              ? await settle(store, { type: 'complete', agent_id: 'agent-1', task_id: 'plain', exit_code: 0 })
              : await settle(store, {
                  type: 'fail',
                  agent_id: 'agent-1',
                  task_id: 'plain',
                  reason: 'exit code 1',
                  agent_state: 'failed',
                  exit_code: 1,
                });
          expect(changed).toBe(true);
        });
        expect(seen.filter(rearmRead)).toEqual([]);
        expect((await store.get('plain')).status).toBe(outcome === 'complete' ? 'done' : 'failed');
      }
    });

    it("counts a failed attempt in retry_count, as upstream's `wg fail` does, and a start that could not work not at all", async () => {
      // Upstream's wrapper settles a nonzero exit with `wg fail` (src/commands/spawn/execution.rs), whose retry_count += 1
      // (fail.rs) tests/integration_e2e_smoke.rs smoke_test_fail_retry_lifecycle checks.
      const store = await claimed('exits');
      await settle(store, {
        type: 'fail',
        agent_id: 'agent-1',
        task_id: 'exits',
        reason: 'exit code 1',
        agent_state: 'failed',
        exit_code: 1,
        attempt: true,
      });
      expect(await store.get('exits')).toMatchObject({ status: 'failed', retry_count: 1, failure_reason: 'exit code 1' });
      const never = await claimed('never');
      await settle(never, {
        type: 'fail',
        agent_id: 'agent-1',
        task_id: 'never',
        reason: 'no commit yet',
        agent_state: 'failed',
        exit_code: null,
      });
      expect(await never.get('never')).toMatchObject({ status: 'failed', retry_count: 0 });
    });

    it('still opens a repeating task again for its next occurrence', async () => {
      const store = await claimed('daily', '0 9 * * *');
      expect(await settle(store, { type: 'complete', agent_id: 'agent-1', task_id: 'daily', exit_code: 0 })).toBe(true);
      const task = await store.get('daily');
      expect(task.status).toBe('open');
      expect(task.not_before).not.toBeNull();
      expect(task.log.at(-1)?.message).toMatch(/^Run done; next run at /);
    });
  });
});
