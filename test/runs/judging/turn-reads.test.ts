import { sqlText } from '../../helpers/sql-text';
import { inFlight } from '../../../src/core/store/in-flight';
import { describe, expect, it } from 'vitest';
import { turnParts } from '../helpers/turn-parts';
import type { SettleAction } from '../../../src/core/deciding/scheduler-types';
import { type SettleRead, settle } from '../../../src/core/runs/settling/settle';
import { STORE_KINDS, storesPerTest } from '../../helpers/temp-store';

/*
 * A coordinator's turn reads the runs that ended, and the rows their settles read, with its opening (AgentJudge.
 * readExits): a settle then writes without reading its task again or waiting for its agent's end to be counted,
 * and the turn checks those ends before it commits (checkTrusted). The read stands in only where nothing in the turn
 * can have changed it since; where it did not hold, the turn is undone and every run is settled on a read of its own.
 */
describe.each(STORE_KINDS)('on %s', (kind) => {
  const newStore = storesPerTest(kind);

  /**
   * Shell tasks `ids`, those of them `started` claimed and running (by hand: a dependency's run may be too); the judge
   * settles them as the engine does (the reads it was given kept).
   */
  async function running(ids: string[], after: Record<string, string[]> = {}, started = ids) {
    const t = await newStore();
    const { store } = t;
    for (const id of ids) await store.tasks.add({ title: id, id, exec: 'true', after: after[id] ?? [] }, 'test');
    const given = new Map<string, SettleRead | undefined>();
    const { claim, judge } = await turnParts(t, (action, read) => {
      if (action.agent_id) given.set(action.agent_id, read);
    });
    const runs = await claim(started, true);
    const agentOf = (taskId: string) => runs.find((run) => run.task.id === taskId)?.agent.id as string;
    /** A turn in which the runs of `taskIds` exited 0 (`meanwhile`: what else the turn did after its opening). */
    const turn = (taskIds: string[], meanwhile: () => void = () => undefined) =>
      store.core.batch(
        async () => {
          const exits = taskIds.map((id) => ({ agentId: agentOf(id), code: 0, signal: null, stderrTail: '' }));
          const read = inFlight(judge.readExits(exits));
          meanwhile();
          await judge.exitedAll(exits, await read);
          await store.list();
          await judge.checkTrusted();
        },
        { pipelined: true },
      );
    return { store, turn, given, agentOf };
  }

  it('settles each run on the read of its turn, as on a read of its own', async () => {
    const { store, turn, given, agentOf } = await running(['a', 'b', 'c'], { c: ['a'] }, ['a', 'b']);
    await turn(['a', 'b']);
    expect(given.get(agentOf('a'))?.row).toMatchObject({
      id: 'a',
      status: 'in-progress',
      assigned: agentOf('a'),
      evaluation_pending: false,
    });
    expect(given.get(agentOf('b'))?.row.id).toBe('b');
    expect((await store.get('a')).status).toBe('done');
    expect((await store.get('b')).status).toBe('done');
    expect((await store.get('a')).log.filter((entry) => entry.message.startsWith('Task done'))).toHaveLength(1);
    // Its dependent counted it done.
    expect((await store.ready()).map((task) => task.id)).toEqual(['c']);
    expect((await store.agents.get(agentOf('a'))).state).toBe('done');
  });

  it('reads again where the turn holds the same run twice, or a task and its evaluation', async () => {
    const { store, turn, given, agentOf } = await running(['x', '.evaluate-x', 'y']);
    const x = agentOf('x');
    const doubled = await running(['z']);
    await turn(['x', '.evaluate-x', 'y']);
    expect(given.has(x)).toBe(true);
    expect(given.get(x)).toBeUndefined();
    expect(given.get(agentOf('.evaluate-x'))).toBeUndefined();
    expect(given.get(agentOf('y'))?.row.id).toBe('y');
    // Its evaluation is there to come: x waits for it.
    expect((await store.get('x')).status).toBe('pending-eval');
    await doubled.turn(['z', 'z']);
    expect(doubled.given.get(doubled.agentOf('z'))).toBeUndefined();
    expect((await doubled.store.get('z')).log.filter((entry) => entry.message.startsWith('Task done'))).toHaveLength(1);
  });

  it("leaves a settle that failed out of the turn's check: it was undone alone, its run not ended", async () => {
    const { store, agentOf } = await running(['a']);
    const agentId = agentOf('a');
    const row = { id: 'a', status: 'in-progress' as const, assigned: agentId, schedule: null, evaluation_pending: false };
    const checked: Array<() => Promise<boolean>> = [];
    const read: SettleRead = { agentId, row, trusted: (ended) => checked.push(ended) };
    const action: SettleAction = { type: 'complete', agent_id: agentId, task_id: 'a', exit_code: 0 };
    const failing = () => {
      throw new Error('the gate failed');
    };
    await store.core.batch(async () => {
      await expect(() => settle(store, action, failing, read)).rejects.toThrow('the gate failed');
    });
    expect(checked).toEqual([]);
    expect((await store.get('a')).status).toBe('in-progress');
    await store.core.batch(() => settle(store, action, async () => false, read));
    expect(checked).toHaveLength(1);
    expect(await checked[0]?.()).toBe(true);
    expect((await store.get('a')).status).toBe('done');
  });

  it('undoes the turn when its read did not hold, and settles on reads of their own from then on', async () => {
    const { store, turn, given, agentOf } = await running(['a', 'b']);
    const a = agentOf('a');
    // Something in the turn ended the run after its opening read it working (nothing does in a coordinator's turn).
    const endA = () => sqlText(store.core, "UPDATE agents SET state = 'killed' WHERE id = ?").run(a);
    await expect(() => turn(['a', 'b'], endA)).rejects.toThrow(
      `the turn's read of ${a} did not hold (already ended); the turn is taken again`,
    );
    // Nothing of it was kept.
    expect((await store.get('a')).status).toBe('in-progress');
    expect((await store.get('b')).status).toBe('in-progress');
    expect((await store.agents.get(a)).state).toBe('working');
    given.clear();
    await turn(['a', 'b'], endA);
    expect([...given.values()]).toEqual([undefined, undefined]);
    // Read on its own, the run was over already: its task is left to whoever ended it; the other is settled.
    expect((await store.get('a')).status).toBe('in-progress');
    expect((await store.get('b')).status).toBe('done');
  });
});
