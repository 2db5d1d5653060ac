import { describe, expect, it } from 'vitest';
import { ExitReadsAhead } from '../../src/core/coordinator/exit-reads-ahead';
import { readExitRows } from '../../src/core/runs/judging/agent-judge';
import type { RunExit } from '../../src/core/runs/watching/run-monitor';
import { newRun } from '../../src/core/store/agent-records';
import { MIGRATIONS } from '../../src/core/store/migrations';
import { StalePlanError } from '../../src/core/store/sql-connection';
import type { Store } from '../../src/core/store/store';
import { sqlText } from '../helpers/sql-text';
import { STORE_KINDS, storesPerTest } from '../helpers/temp-store';

/*
 * A team's turn that judges runs' ends stands on what the turn before read of them as it committed (ExitReadsAhead),
 * and on PostgreSQL its settles go with its opening. What it reads, when it still stands, and the database's check
 * when it no longer does, on a real store of each kind.
 */
const exit = (agentId: string): RunExit => ({ agentId, code: 0, signal: null, stderrTail: '' });

describe.each(STORE_KINDS)('runs read ahead of their ends, on %s', (kind) => {
  const newStore = storesPerTest(kind);

  /** Tasks t1 and t2, each in progress under a run of this coordinator (agent-1, agent-2), as a claim writes them. */
  async function project(): Promise<{ store: Store; ahead: ExitReadsAhead }> {
    const { store } = await newStore();
    for (const id of ['t1', 't2']) {
      await store.tasks.add({ title: id, id, exec: 'true' }, 'test');
      await store.core.write(async (rev) => {
        const agentId = `agent-${await store.core.take('agent_seq', 1)}`;
        const run = {
          task_id: id,
          executor: 'shell',
          model: null,
          model_source: null,
          runs_elsewhere: false,
          output_path: '',
          purpose: 'task' as const,
        };
        await store.agents.insert(newRun(agentId, run, store.core.nowIso(), rev), null, null);
        await sqlText(store.core, 'UPDATE tasks SET status = ?, assigned = ?, rev = ? WHERE id = ?').run('in-progress', agentId, rev, id);
      });
    }
    const ahead = new ExitReadsAhead({ store, readRows: (ids) => readExitRows(store, ids, true), running: () => ['agent-1'] });
    return { store, ahead };
  }

  /** A turn's transaction: a write, then the read of its runs last (`claimed`: its new ones), kept once it commits. */
  async function turn(store: Store, ahead: ExitReadsAhead, claimed: string[] = []): Promise<void> {
    const read = await store.core.batch(async () => {
      await store.tasks.add({ title: 'made in the turn', paused: true }, 'coordinator');
      return ahead.read(claimed);
    });
    ahead.keep(read);
  }

  it('reads the runs a turn leaves working as its commit leaves them, with the revision and numbers after it', async () => {
    const { store, ahead } = await project();
    await turn(store, ahead, ['agent-2']);
    const kept = ahead.take([exit('agent-1'), exit('agent-2')]);
    expect(kept?.basis).toEqual({ rev: await store.core.currentRev(), counters: expect.any(Array), version: MIGRATIONS.length });
    expect(kept?.basis.counters.map((c) => ({ key: c.key, value: Number(c.value) }))).toContainEqual({ key: 'agent_seq', value: 2 });
    expect(kept?.rows.agents.map((row) => [row.id, row.state, row.status, row.assigned]).sort()).toEqual([
      ['agent-1', 'working', 'in-progress', 'agent-1'],
      ['agent-2', 'working', 'in-progress', 'agent-2'],
    ]);
    expect(kept?.rows.settled.get('agent-2')).toMatchObject({ id: 't2', status: 'in-progress', assigned: 'agent-2' });
    // Taken once: the turn that takes it reads afresh for the next.
    expect(ahead.take([exit('agent-1')])).toBeNull();
  });

  it('is not taken for a run it did not read, nor once anything else committed or a newer revision is known', async () => {
    const { store, ahead } = await project();
    await turn(store, ahead);
    expect(ahead.take([exit('agent-2')])).toBeNull();

    await turn(store, ahead);
    await store.tasks.add({ title: 'a report over the API, say', paused: true }, 'agent-1');
    expect(ahead.take([exit('agent-1')])).toBeNull();

    await turn(store, ahead);
    const rev = await store.core.currentRev();
    ahead.known(rev);
    ahead.known(rev - 1);
    expect(ahead.take([exit('agent-1')])?.basis.rev).toBe(rev);
    await turn(store, ahead);
    ahead.known(rev + 2);
    expect(ahead.take([exit('agent-1')])).toBeNull();
  });

  it('fails the turn that stands on it, with nothing written, once the project moved on unheard; one that still stands commits', async () => {
    const { store, ahead } = await project();
    await turn(store, ahead);
    const kept = ahead.take([exit('agent-1')]);
    if (!kept) throw new Error('nothing kept');
    // A commit of another connection's (here this one's, outside any write: no notice, no count of its own).
    await sqlText(store.core, 'UPDATE project SET rev = rev + 1 WHERE id = 1').run();
    const settle = () =>
      store.core.batch(
        async () => {
          await store.core.takePlannedRevision(kept.basis);
          await store.core.write(async (rev) => {
            await sqlText(store.core, 'UPDATE tasks SET status = ?, rev = ? WHERE id = ?').send('done', rev, 't1');
          });
        },
        { pipelined: true },
      );
    await expect(settle()).rejects.toBeInstanceOf(StalePlanError);
    expect((await store.get('t1')).status).toBe('in-progress');

    await turn(store, ahead);
    const fresh = ahead.take([exit('agent-1')]);
    if (!fresh) throw new Error('nothing kept');
    await store.core.batch(async () => {
      await store.core.takePlannedRevision(fresh.basis);
      await store.core.write(async (rev) => {
        await sqlText(store.core, 'UPDATE tasks SET status = ?, rev = ? WHERE id = ?').send('done', rev, 't1');
      });
    });
    expect((await store.get('t1')).status).toBe('done');
    expect(await store.core.currentRev()).toBe(fresh.basis.rev + 1);
  });
});
