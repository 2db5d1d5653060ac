import { afterEach, describe, expect, it } from 'vitest';
import { JobStore } from '../../src/core/agent-daemons/job-store';
import { newRun } from '../../src/core/store/agent-records';
import { transition } from '../../src/core/store/task-writes';
import { statementsDuring } from '../helpers/statements';
import { tempStore } from '../helpers/temp-store';

const opened: Array<{ dispose(): void }> = [];
afterEach(() => {
  for (const t of opened.splice(0)) t.dispose();
});

/** A store with task `id` claimed by `agentId` for an agent daemon, as the dispatcher's claim leaves it. */
function claimedRemotely(id: string, agentId: string) {
  const t = tempStore();
  opened.push(t);
  const { store } = t;
  store.tasks.add({ title: id, id, executor: 'remote' }, 'test');
  store.core.write((rev) => {
    store.agents.insert(
      newRun(
        agentId,
        { task_id: id, executor: 'remote', model: null, model_source: null, runs_elsewhere: true, output_path: null },
        store.core.nowIso(),
        rev,
      ),
      null,
    );
    transition(store.core, { id, status: 'open', assigned: null }, { status: 'in-progress', assigned: agentId }, rev);
  });
  return store;
}

const jobRead = (text: string) => text.includes('remote_jobs');

describe('the remote jobs an orphan look finds', () => {
  it('costs no statement after a look found no active job, until a job is inserted; then it finds the orphans again', () => {
    const store = claimedRemotely('far', 'agent-1');
    const jobs = new JobStore(store.core);
    expect(statementsDuring(store.core, () => expect(jobs.orphaned()).toEqual([])).filter(jobRead)).toHaveLength(1);
    // The dispatcher looks after every commit: with no job anywhere, that is free now.
    expect(statementsDuring(store.core, () => expect(jobs.orphaned()).toEqual([])).filter(jobRead)).toEqual([]);

    const lease = store.core.write(() =>
      jobs.insert({
        agent_id: 'agent-1',
        task_id: 'far',
        token_name: 'box',
        daemon_host: 'box',
        repo: 'r',
        role: null,
        expires_at: new Date(Date.now() + 60_000).toISOString(),
      }),
    );
    // Held by its working agent: active, not orphaned; and looked at again after every commit.
    expect(jobs.orphaned()).toEqual([]);
    expect(statementsDuring(store.core, () => jobs.orphaned()).filter(jobRead)).toHaveLength(1);

    // The run ended on this side (killed): the job is an orphan, reported with its columns only.
    store.core.write((rev) => store.core.sql("UPDATE agents SET state = 'failed', rev = ? WHERE id = 'agent-1'").run(rev));
    const [orphan] = jobs.orphaned();
    expect(orphan).toMatchObject({ lease_id: lease, agent_id: 'agent-1', task_id: 'far', state: 'assigned' });
    expect(orphan).not.toHaveProperty('orphan');

    // Ended: none active again, and the looks stop costing.
    store.core.write(() => jobs.end(lease, 'cancelled', 'the run ended on the coordinator'));
    expect(jobs.orphaned()).toEqual([]);
    expect(statementsDuring(store.core, () => jobs.orphaned()).filter(jobRead)).toEqual([]);
  });

  it('does not trust a look made inside a transaction (it may be rolled back)', () => {
    const store = claimedRemotely('far', 'agent-1');
    const jobs = new JobStore(store.core);
    const lease = store.core.write(() =>
      jobs.insert({
        agent_id: 'agent-1',
        task_id: 'far',
        token_name: 'box',
        daemon_host: 'box',
        repo: 'r',
        role: null,
        expires_at: new Date(Date.now() + 60_000).toISOString(),
      }),
    );
    expect(() =>
      store.core.write(() => {
        jobs.end(lease, 'cancelled', 'ended');
        expect(jobs.orphaned()).toEqual([]);
        throw new Error('rolled back');
      }),
    ).toThrow('rolled back');
    store.core.write((rev) => store.core.sql("UPDATE agents SET state = 'failed', rev = ? WHERE id = 'agent-1'").run(rev));
    expect(jobs.orphaned().map((job) => job.lease_id)).toEqual([lease]);
  });
});
