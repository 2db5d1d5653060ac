import { afterEach, describe, expect, it } from 'vitest';
import { dispatch } from '../../src/core/ops/dispatch';
import type { OpContext } from '../../src/core/ops/context';
import type { ProjectPaths } from '../../src/core/project';
import { makeAgent } from '../fixtures/objects';
import { tempStore } from '../helpers/temp-store';

/*
 * Upstream's triage from inside a run (requeue.rs: "an agent that found a failed dependency adds
 * fix tasks, then requeues its own task"): a run may requeue its own task, never another, and its
 * own run is left to end when its process does.
 */

let temp = tempStore();
afterEach(() => {
  temp.dispose();
  temp = tempStore();
});

function runContext(agentId: string, runId: string): OpContext {
  return { store: temp.store, paths: { dir: temp.dir } as ProjectPaths, actor: agentId, agent: { id: agentId, runId } };
}

function holdTask(taskId: string, agentId: string, runId: string): void {
  temp.store.tasks.add({ title: taskId, id: taskId }, 'user');
  temp.store.tasks.claim(taskId, agentId, 'coordinator');
  temp.store.agents.insert(makeAgent({ id: agentId, task_id: taskId }), null, runId);
}

describe('wg requeue from an agent run', () => {
  it('requeues its own task; its run keeps working until its process ends', async () => {
    holdTask('mine', 'agent-1', 'run-1');
    const result = await dispatch('task:requeue', { id: 'mine', reason: 'added fix-schema' }, runContext('agent-1', 'run-1'));
    expect(result.task).toMatchObject({ status: 'open', assigned: null });
    expect(temp.store.agents.get('agent-1').state).toBe('working');
  });

  it("is refused on another task, and nothing changes", async () => {
    holdTask('mine', 'agent-1', 'run-1');
    holdTask('theirs', 'agent-2', 'run-2');
    await expect(dispatch('task:requeue', { id: 'theirs', reason: 'x' }, runContext('agent-1', 'run-1'))).rejects.toThrow(/only its own task 'mine'/);
    expect(temp.store.get('theirs')).toMatchObject({ status: 'in-progress', assigned: 'agent-2' });
  });

  it('a person requeueing ends the run that held the task', async () => {
    holdTask('mine', 'agent-1', 'run-1');
    await dispatch('task:requeue', { id: 'mine', reason: 'stuck' }, { store: temp.store, paths: { dir: temp.dir } as ProjectPaths, actor: 'user' });
    expect(temp.store.agents.get('agent-1')).toMatchObject({ state: 'killed' });
  });
});
