import { sqlText } from '../helpers/sql-text';
import { afterEach, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { dispatch } from '../../src/core/ops/dispatch';
import type { OpContext } from '../../src/core/ops/context';
import type { ProjectPaths } from '../../src/core/project';
import { sweepWaits } from '../../src/core/waiting/wait-writes';
import { readWaitSpec } from '../../src/shared/wait-condition';
import { makeAgent } from '../fixtures/objects';
import { STORE_KINDS, tempStore } from '../helpers/temp-store';

describe.each(STORE_KINDS)('on %s', async (kind) => {
  /*
   * `wg wait` against the store: parking (upstream src/commands/wait.rs tests, named in each `it`) and the
   * coordinator's release transaction (upstream coordinator.rs evaluate_waiting_tasks tests).
   */

  let temp = await tempStore(undefined, kind);
  afterEach(async () => {
    await temp.dispose();
    temp = await tempStore(undefined, kind);
  });

  const person = (): OpContext => ({
    store: temp.store,
    paths: { dir: temp.dir, root: temp.dir, serviceDir: join(temp.dir, 'service') } as ProjectPaths,
    actor: 'user',
  });
  const run = (agentId: string, runId: string): OpContext => ({ ...person(), actor: agentId, agent: { id: agentId, runId } });

  async function holdTask(taskId: string, agentId: string, runId: string): Promise<void> {
    await temp.store.tasks.add({ title: taskId, id: taskId }, 'user');
    await temp.store.tasks.claim(taskId, agentId, 'coordinator');
    await temp.store.agents.insert(makeAgent({ id: agentId, task_id: taskId }), null, runId);
  }

  const sweep = () => sweepWaits(temp.store.core, { nowMs: temp.store.core.clock().getTime(), mtimeMs: () => null });

  describe('parking a task (upstream wait.rs)', () => {
    it('test_wg_wait_basic_task_condition: waiting, with the condition and the checkpoint; the agent run goes on until it exits', async () => {
      await temp.store.tasks.add({ title: 'Dependency A', id: 'dep-a' }, 'user');
      await holdTask('main', 'agent-1', 'run-1');
      const task = await dispatch(
        'task:wait',
        { id: 'main', until: 'task:dep-a=done', checkpoint: 'Phase 1 complete' },
        run('agent-1', 'run-1'),
      );
      expect(task).toMatchObject({ status: 'waiting', assigned: 'agent-1' });
      expect(task.extra.checkpoint).toBe('Phase 1 complete');
      expect(readWaitSpec(task.extra)).toEqual({ mode: 'all', conditions: [{ type: 'task-status', task_id: 'dep-a', status: 'done' }] });
      expect((await temp.store.agents.get('agent-1')).state).toBe('working');
    });

    it('test_wg_wait_rejects_non_in_progress', async () => {
      await temp.store.tasks.add({ title: 'Test', id: 't1' }, 'user');
      await expect(dispatch('task:wait', { id: 't1', until: 'message' }, person())).rejects.toThrow(
        "Cannot wait on task 't1': status is 'open', expected 'in-progress'",
      );
    });

    it('test_wg_wait_rejects_nonexistent_task_in_condition: nothing changes', async () => {
      await holdTask('main', 'agent-1', 'run-1');
      await expect(dispatch('task:wait', { id: 'main', until: 'task:nonexistent=done' }, person())).rejects.toThrow('does not exist');
      expect(await temp.store.get('main')).toMatchObject({ status: 'in-progress', extra: {} });
    });

    it('refuses a task waiting for itself (it changes only by running: it waited for good), and nothing changes', async () => {
      await holdTask('main', 'agent-1', 'run-1');
      await temp.store.tasks.add({ title: 'Other', id: 'other' }, 'user');
      for (const until of ['task:main=done', 'task:other=done,task:main=failed']) {
        await expect(dispatch('task:wait', { id: 'main', until }, person())).rejects.toThrow(
          "task 'main' cannot wait for itself: it changes only by running, so it would wait for good",
        );
      }
      expect(await temp.store.get('main')).toMatchObject({ status: 'in-progress', extra: {} });
    });

    it('test_wg_wait_creates_log_entry and test_wg_wait_without_checkpoint', async () => {
      await holdTask('main', 'agent-1', 'run-1');
      const task = await dispatch('task:wait', { id: 'main', until: 'message' }, run('agent-1', 'run-1'));
      expect(task.log.at(-1)).toMatchObject({ actor: 'agent-1', message: 'Agent parked. Waiting for: message' });
      expect(task.extra.checkpoint).toBeUndefined();
    });

    it('a run may park only its own task; a person parking ends the run that held it', async () => {
      await holdTask('mine', 'agent-1', 'run-1');
      await holdTask('theirs', 'agent-2', 'run-2');
      await expect(dispatch('task:wait', { id: 'theirs', until: 'message' }, run('agent-1', 'run-1'))).rejects.toThrow(/refused/);
      expect((await temp.store.get('theirs')).status).toBe('in-progress');
      await dispatch('task:wait', { id: 'theirs', until: 'message' }, person());
      expect((await temp.store.agents.get('agent-2')).state).toBe('done');
    });
  });

  describe('the coordinator releasing parked tasks (upstream evaluate_waiting_tasks)', () => {
    it('test_evaluate_waiting_tasks_transitions_to_open: open, unassigned, the resume context as checkpoint, the session kept', async () => {
      await temp.store.tasks.add({ title: 'Dep', id: 'dep-a' }, 'user');
      await holdTask('main', 'agent-1', 'run-1');
      await dispatch('task:wait', { id: 'main', until: 'task:dep-a=done', checkpoint: 'Phase 1 complete' }, person());
      await sqlText(temp.store.core, "UPDATE tasks SET session_id = 'session-123' WHERE id = 'main'").run();
      expect((await sweep()).changed).toEqual([]);
      expect((await temp.store.get('main')).status).toBe('waiting');
      await dispatch('task:done', { id: 'dep-a' }, person());
      expect((await sweep()).changed).toEqual(['main']);
      const task = await temp.store.get('main');
      expect(task).toMatchObject({ status: 'open', assigned: null, session_id: 'session-123' });
      expect(task.extra.wait_condition).toBeUndefined();
      expect(String(task.extra.checkpoint)).toContain('Resume Context');
      expect(String(task.extra.checkpoint)).toContain('Phase 1 complete');
      expect(task.log.at(-1)?.message).toBe('Wait condition satisfied. Task ready for resume.');
      expect((await dispatch('task:ready', {}, person())).map((t) => t.id)).toContain('main');
    });

    it('test_evaluate_waiting_tasks_autofails_unsatisfiable', async () => {
      await temp.store.tasks.add({ title: 'Dep', id: 'dep-a' }, 'user');
      await holdTask('main', 'agent-1', 'run-1');
      await dispatch('task:wait', { id: 'main', until: 'task:dep-a=done' }, person());
      await dispatch('task:abandon', { id: 'dep-a' }, person());
      await sweep();
      expect(await temp.store.get('main')).toMatchObject({ status: 'failed', failure_reason: expect.stringContaining('unsatisfiable') });
    });

    it('test_message_condition_with_messages: a message after the park releases it; nothing waiting writes nothing', async () => {
      await holdTask('main', 'agent-1', 'run-1');
      await dispatch('task:wait', { id: 'main', until: 'human-input' }, person());
      const rev = await temp.store.core.currentRev();
      expect((await sweep()).changed).toEqual([]);
      expect(await temp.store.core.currentRev()).toBe(rev);
      temp.setNow(new Date(Date.parse('2026-03-01T12:00:01Z')));
      // A person's message releases it by the same sweep, at once (message-handlers.ts): the coordinator's finds nothing left.
      await dispatch('msg:send', { task: 'main', message: 'go ahead' }, person());
      expect((await temp.store.get('main')).status).toBe('open');
      expect((await sweep()).changed).toEqual([]);
    });

    it('file: released once the file changes after the park', async () => {
      const file = join(temp.dir, 'trigger.txt');
      await holdTask('main', 'agent-1', 'run-1');
      await dispatch('task:wait', { id: 'main', until: 'file:trigger.txt' }, person());
      expect(readWaitSpec((await temp.store.get('main')).extra)?.conditions[0]).toMatchObject({ path: file, mtime_at_wait: 0 });
      const real = (path: string) => (path === file ? Date.now() : null);
      expect((await sweepWaits(temp.store.core, { nowMs: Date.now(), mtimeMs: () => null })).files).toEqual([file]);
      writeFileSync(file, 'x');
      expect((await sweepWaits(temp.store.core, { nowMs: Date.now(), mtimeMs: real })).changed).toEqual(['main']);
    });

    it("a waiting task from upstream's graph.jsonl (wait_condition and checkpoint at the top level) is released here too", async () => {
      await dispatch(
        'graph:import',
        {
          jsonl: [
            '{"kind":"task","id":"dep-a","title":"Dep","status":"done"}',
            JSON.stringify({
              kind: 'task',
              id: 'parked',
              title: 'Parked upstream',
              status: 'waiting',
              assigned: 'agent-9',
              checkpoint: 'Waiting for API schema',
              wait_condition: { mode: 'any', conditions: [{ type: 'task-status', task_id: 'dep-a', status: 'done' }] },
            }),
          ].join('\n'),
        },
        person(),
      );
      expect(readWaitSpec((await temp.store.get('parked')).extra)?.mode).toBe('any');
      expect((await sweep()).changed).toEqual(['parked']);
      expect(String((await temp.store.get('parked')).extra.checkpoint)).toContain('Your checkpoint: "Waiting for API schema"');
    });

    it('not released while the run that parked it still runs', async () => {
      await temp.store.tasks.add({ title: 'Dep', id: 'dep-a' }, 'user');
      await holdTask('main', 'agent-1', 'run-1');
      await dispatch('task:wait', { id: 'main', until: 'task:dep-a=done' }, run('agent-1', 'run-1'));
      await dispatch('task:done', { id: 'dep-a' }, person());
      expect((await sweep()).changed).toEqual([]);
      await temp.store.core.write((rev) =>
        temp.store.agents.end('agent-1', { state: 'done', ended_at: temp.store.core.nowIso(), exit_code: 0, reason: null }, rev),
      );
      expect((await sweep()).changed).toEqual(['main']);
    });
  });
});
