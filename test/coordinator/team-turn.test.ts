import { sqlText } from '../helpers/sql-text';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSchedulerState } from '../../src/core/coordinator/engine-state';
import { decide } from '../../src/core/deciding/scheduler';
import { ensureProjectDirs, projectPaths } from '../../src/core/project';
import { newRun } from '../../src/core/store/agent-records';
import { Store } from '../../src/core/store/store';
import { teamConfig } from '../helpers/team-config';

/*
 * A team's coordinator reads the state as its own: of the working runs, it judges only those naming it, and
 * counts the others' toward coordinator.team_max_agents. Read here from a real store (the rows as the claims
 * write them: the claiming coordinator's id in agents.coordinator_id).
 */
const root = mkdtempSync(join(tmpdir(), 'wg-team-turn-'));
const paths = projectPaths(join(root, '.workgraph'));
let store: Store;

beforeAll(async () => {
  process.env.WG_HOME = join(root, '.home');
  ensureProjectDirs(paths);
  store = await Store.open(paths.db);
  const core = store.core;
  for (const id of ['a1', 'b1', 'b2', 'r1', 'r2', 'r3']) await store.tasks.add({ title: id, id, exec: 'true' }, 'test');
  // Runs claimed by coordinator a (one) and b (two): an hour old, past a timeout of a minute.
  for (const [coordinator, taskId, agentId] of [
    ['a', 'a1', 'agent-1'],
    ['b', 'b1', 'agent-2'],
    ['b', 'b2', 'agent-3'],
  ] as const) {
    store.agents.coordinatorId = coordinator;
    await core.write(async (rev) => {
      const agent = newRun(
        agentId,
        { task_id: taskId, executor: 'shell', model: null, model_source: null, runs_elsewhere: false, output_path: '', purpose: 'task' },
        '2026-03-01T11:00:00.000Z',
        rev,
      );
      const record = { kind: 'process', output: 'plain', resumed_session: null, timeout_s: 60, needs_evidence: false, cwd: null };
      await store.agents.insert(agent, JSON.stringify(record), null);
      await sqlText(core, "UPDATE tasks SET status = 'in-progress', assigned = ? WHERE id = ?").run(agentId, taskId);
    });
  }
  store.agents.coordinatorId = null;
});
afterAll(async () => {
  await store.close();
  rmSync(root, { recursive: true, force: true });
});

async function stateOf(me: string | null, teamMax: number | null, teamCapacities?: (number | null)[], now = '2026-03-01T12:00:00Z') {
  const { config, records } = await teamConfig(paths, store, teamMax);
  return (
    await readSchedulerState({
      store,
      config,
      records,
      now: new Date(now),
      paused: false,
      watched: [],
      me,
      readyLimit: () => 10,
      ...(teamCapacities ? { teamCapacities } : {}),
    })
  ).state;
}

describe("a team's coordinator turn", () => {
  it('judges only its own runs: the timed-out runs of another coordinator are not its to kill', async () => {
    const state = await stateOf('a', null);
    expect(state.working.map((a) => a.id)).toEqual(['agent-1']);
    const ended = decide(state, { type: 'tick' }).actions.filter((a) => 'agent_id' in a && a.agent_id !== null);
    expect(new Set(ended.map((a) => ('agent_id' in a ? a.agent_id : null)))).toEqual(new Set(['agent-1']));
  });

  it("counts the other coordinators' runs toward the team's cap", async () => {
    const state = await stateOf('a', 5);
    expect(state.team).toEqual({ max_agents: 5, others_busy: 2 });
  });

  it('keeps to its share of a binding team cap: b, over its share, leaves the free slot to a, below its', async () => {
    // Three coordinators of 4 under a cap of 5: shares of 2. a holds 1, b 2 (in their first minute: not timed out);
    // the team has 2 slots free.
    const capacities = [4, 4, 4];
    const early = '2026-03-01T11:00:30Z';
    const b = await stateOf('b', 5, capacities, early);
    expect(b.team).toEqual({ max_agents: 5, others_busy: 1, share: 2 });
    expect(decide(b, { type: 'tick' }).actions.filter((x) => x.type === 'launch')).toEqual([]);
    const a = await stateOf('a', 5, capacities, early);
    expect(decide(a, { type: 'tick' }).actions.filter((x) => x.type === 'launch')).toHaveLength(1);
    // b paused (capacity 0): its share goes to the others, a may take both free slots.
    const alone = await stateOf('a', 5, [4, 0, 4], early);
    expect(alone.team?.share).toBe(3);
    expect(decide(alone, { type: 'tick' }).actions.filter((x) => x.type === 'launch')).toHaveLength(2);
  });

  it('without a coordinator id (SQLite: one coordinator per folder) every run is its own, and no team cap applies', async () => {
    const state = await stateOf(null, 5);
    expect(state.working.map((a) => a.id).sort()).toEqual(['agent-1', 'agent-2', 'agent-3']);
    expect(state.team).toBeUndefined();
  });

  it("widens its read of the ready tasks as a turn asks, the team's cap too: a turn that found only manual tasks can look further", async () => {
    const { config, records } = await teamConfig(paths, store, 4);
    const read = (widen?: number) =>
      readSchedulerState({
        store,
        config,
        records,
        now: new Date('2026-03-01T12:00:00Z'),
        paused: false,
        watched: [],
        me: 'a',
        readyLimit: () => 100,
        widen,
      });
    // Room: 4 - 2 others' - 1 own = 1, and the margin of 2.
    expect((await read()).readyLimit).toBe(3);
    expect((await read(4)).readyLimit).toBe(12);
  });
});
