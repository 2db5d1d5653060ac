import { describe, expect, it } from 'vitest';
import { TurnGate } from '../../../src/core/runs/judging/turn-gate';
import type { RunExit } from '../../../src/core/runs/watching/run-monitor';
import { until } from '../../helpers/until';
import { storesPerTest } from '../../helpers/temp-store';
import { turnParts } from '../helpers/turn-parts';

/*
 * Judging a run's end apart from its turn (a merge, a look for evidence, a signal death's grace, a triage) starts only
 * once the turn that judged it committed (TurnGate): it stands on the turn's reads, which a team's turn may
 * have taken before it began (ExitReadsAhead) and which only its commit vouches for. An undone turn drops it and lets
 * the run go, for the next turn to judge afresh. Here a signal death, whose judging waits out a grace apart.
 */
describe('judging apart from a turn', () => {
  const newStore = storesPerTest('sqlite');

  async function killedRun() {
    const t = await newStore();
    await t.store.tasks.add({ title: 'Work', id: 'work', exec: 'sleep 100' }, 'test');
    const { claim, judge } = await turnParts(t);
    const [run] = await claim(['work'], true);
    if (!run) throw new Error('not claimed');
    const exit: RunExit = { agentId: run.agent.id, code: null, signal: 'SIGKILL', stderrTail: '' };
    /** A turn that judges the run's end and commits, or is undone (`undo`); its end told to the judge as the engine does. */
    const turn = async (undo: boolean) => {
      const gate = new TurnGate();
      const committed = await judge.inTurn(gate, () =>
        t.store.core
          .batch(async () => {
            await judge.exitedAll([exit], await judge.readExits([exit]));
            if (undo) throw new Error('undone');
          })
          .then(
            () => true,
            () => false,
          ),
      );
      // Started, and holding the run, while the turn is open.
      expect(judge.busy.has(run.agent.id)).toBe(true);
      await gate.close(committed);
    };
    return { store: t.store, judge, agentId: run.agent.id, turn };
  }

  it('is dropped with an undone turn, and the run let go at once for the next turn', async () => {
    const { store, judge, agentId, turn } = await killedRun();
    await turn(true);
    expect(judge.busy.has(agentId)).toBe(false);
    expect((await store.agents.get(agentId)).state).toBe('working');
    expect((await store.get('work')).status).toBe('in-progress');
  });

  it('goes on once its turn committed', async () => {
    const { store, judge, agentId, turn } = await killedRun();
    await turn(false);
    // Its grace (half a second) waited out, the end is judged: the run is over.
    await until('the killed run judged', async () => !judge.busy.has(agentId), 10_000, 50);
    expect((await store.agents.get(agentId)).state).not.toBe('working');
  });
});
