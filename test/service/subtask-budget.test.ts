import { afterEach, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { dispatch } from '../../src/core/ops/dispatch';
import type { OpContext } from '../../src/core/ops/context';
import { sweepWaits } from '../../src/core/waiting/wait-writes';
import type { Task } from '../../src/shared/task';
import { makeAgent } from '../fixtures/objects';
import { opContextOn, runContextOn, STORE_KINDS, tempStore } from '../helpers/temp-store';

/*
 * A run's subtasks (`wg add --subtask`) count against guardrails.max_child_tasks_per_agent with its
 * follow-ups: each parks its task, whose next run could add another, a run after a run without end.
 */

describe.each(STORE_KINDS)('on %s', async (kind) => {
  let temp = await tempStore(undefined, kind);
  afterEach(async () => {
    await temp.dispose();
    temp = await tempStore(undefined, kind);
  });

  const person = (): OpContext => opContextOn(temp);
  const run = (agentId: string, runId: string): OpContext => runContextOn(temp, agentId, runId);
  const add = (input: Record<string, unknown>, ctx: OpContext) => dispatch('task:add', input, ctx) as Promise<Task>;

  /** The coordinator's claim of the task for a new run. */
  async function startRun(taskId: string, agentId: string, runId: string): Promise<void> {
    await temp.store.tasks.claim(taskId, agentId, 'coordinator');
    await temp.store.agents.insert(makeAgent({ id: agentId, task_id: taskId }), null, runId);
  }

  it("counts a run's subtasks against guardrails.max_child_tasks_per_agent, over the runs of its task", async () => {
    writeFileSync(person().paths.config, '[guardrails]\nmax_child_tasks_per_agent = 2\n');
    await temp.store.tasks.add({ title: 'Parent', id: 'parent' }, 'user');
    for (const n of [1, 2]) {
      await startRun('parent', `agent-${n}`, `run-${n}`);
      await add({ title: `Sub ${n}`, id: `sub-${n}`, subtask: true }, run(`agent-${n}`, `run-${n}`));
      // upstream's add.rs: the parent's log says what it waits for, under its run's name.
      expect((await temp.store.get('parent')).log.at(-1)).toMatchObject({
        actor: `agent-${n}`,
        message: `Agent parked. Waiting for subtask 'sub-${n}' to complete.`,
      });
      // Its run exits, as a parked run does; the subtask is done; the coordinator lets its task go.
      await temp.store.core.write((rev) =>
        temp.store.agents.end(`agent-${n}`, { state: 'done', ended_at: temp.store.core.nowIso(), exit_code: 0, reason: null }, rev),
      );
      await dispatch('task:done', { id: `sub-${n}` }, person());
      await sweepWaits(temp.store.core, { nowMs: Date.now(), mtimeMs: () => null });
      expect((await temp.store.get('parent')).status).toBe('open');
    }
    await startRun('parent', 'agent-3', 'run-3');
    const refusal =
      "the runs of task 'parent' have added 2 follow-ups, the most they may (guardrails.max_child_tasks_per_agent); use wg log or wg fail to say why more are needed";
    await expect(add({ title: 'Sub 3', id: 'sub-3', subtask: true }, run('agent-3', 'run-3'))).rejects.toThrow(refusal);
    await expect(add({ title: 'After', id: 'after' }, run('agent-3', 'run-3'))).rejects.toThrow(refusal);
    expect((await temp.store.list()).map((t) => t.id)).toEqual(['parent', 'sub-1', 'sub-2']);
    // A person adds what they like.
    expect((await add({ title: 'By hand', id: 'by-hand', after: ['parent'] }, person())).id).toBe('by-hand');
  });
});
