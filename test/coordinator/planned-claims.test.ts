import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readSchedulerState } from '../../src/core/coordinator/engine-state';
import { TeamTurn } from '../../src/core/coordinator/team-turn';
import { WakeTimers } from '../../src/core/coordinator/wake-timers';
import { ensureProjectDirs, projectPaths } from '../../src/core/project';
import { newRun } from '../../src/core/store/agent-records';
import { StalePlanError } from '../../src/core/store/sql-connection';
import type { Store } from '../../src/core/store/store';
import { roundTripsDuring } from '../helpers/round-trips';
import { sqlText } from '../helpers/sql-text';
import { teamConfig } from '../helpers/team-config';
import { STORE_KINDS, storesPerTest } from '../helpers/temp-store';

/*
 * A team's coordinator decides what to claim in a read-only snapshot, before it takes the project's write turn, and
 * claims in the write turn on top of that snapshot or not at all (StoreCore.takePlannedRevision): on PostgreSQL the
 * check that nothing was committed since goes with the claims, in the same round trip as the write turn's opening.
 * Here another coordinator ("b") or a person commits between the two, on a real store of each kind.
 */
const noLog = { info: () => {}, warn: () => {}, error: () => {} };

describe.each(STORE_KINDS)('claims planned on a snapshot, on %s', (kind) => {
  const newStore = storesPerTest(kind);
  // The wakes a plan arms (its safety interval, its deadlines): cleared with each test's store.
  const timers: WakeTimers[] = [];
  afterEach(() => {
    for (const t of timers.splice(0)) t.clear();
  });

  /** A project of four ready tasks, and coordinator a's team turn on it (a team's cap of `teamMax`). */
  async function project(teamMax: number | null = null): Promise<{ store: Store; team: TeamTurn }> {
    const { store, dir } = await newStore();
    const paths = projectPaths(join(dir, '.workgraph'));
    ensureProjectDirs(paths);
    for (const id of ['r1', 'r2', 'r3', 'r4']) await store.tasks.add({ title: id, id, exec: 'true' }, 'test');
    const { config, records } = await teamConfig(paths, store, teamMax);
    const read = (limit: number) =>
      readSchedulerState({ me: 'a', store, config, records, now: new Date(), paused: false, watched: [], readyLimit: () => limit });
    const wakes = new WakeTimers(() => {});
    timers.push(wakes);
    const team = new TeamTurn({
      me: 'a',
      store,
      log: noLog,
      config: () => config,
      records,
      timers: wakes,
      tickState: () => read(10),
      runsState: async () => (await read(0)).state,
      readyToTell: async () => [],
      untold: async () => [],
      performAll: async () => {},
      onCommit: (then) => then(),
    });
    // Its first look for lost coordinators' runs, as at a start: the turns after it may decide before the lock.
    await team.mineOnly([]);
    return { store, team };
  }

  /**
   * Claims a plan's tasks as a turn does, in one batch on top of the plan's snapshot, each a write that waits for no
   * answer (as a claim on the tasks the snapshot read whole: runs/claiming/claim.ts): the agents it made.
   */
  async function claimAsPlanned(store: Store, plan: Awaited<ReturnType<TeamTurn['plan']>>, pipelined = true): Promise<string[]> {
    if (!plan) throw new Error('no plan');
    return store.core.batch(
      async () => {
        await store.core.takePlannedRevision(plan.basis);
        const agents: string[] = [];
        for (const task of plan.launches) {
          await store.core.write(async (rev) => {
            const agent = `agent-${await store.core.take('agent_seq', 1)}`;
            await store.core.send(
              store.core.build.updateTable('tasks').set({ status: 'in-progress', assigned: agent, rev }).where('id', '=', task.id),
            );
            agents.push(agent);
          });
        }
        return agents;
      },
      { pipelined },
    );
  }

  /** Coordinator b claims `taskId`: its run row, the task in progress, as a claim writes them. */
  async function claimByB(store: Store, taskId: string, agentId: string): Promise<void> {
    store.agents.coordinatorId = 'b';
    await store.core.write(async (rev) => {
      await store.core.take('agent_seq', 1);
      const agent = newRun(
        agentId,
        { task_id: taskId, executor: 'shell', model: null, model_source: null, runs_elsewhere: false, output_path: '', purpose: 'task' },
        store.core.nowIso(),
        rev,
      );
      const record = { kind: 'process', output: 'plain', resumed_session: null, timeout_s: 600, needs_evidence: false, cwd: null };
      await store.agents.insert(agent, JSON.stringify(record), null);
      await sqlText(store.core, 'UPDATE tasks SET status = ?, assigned = ?, rev = ? WHERE id = ?').run('in-progress', agentId, rev, taskId);
    });
    store.agents.coordinatorId = null;
  }

  it('are claimed as decided when nothing was committed since the snapshot, with its next revision and numbers', async () => {
    const { store, team } = await project();
    await claimByB(store, 'r4', 'agent-1');
    const plan = await team.plan();
    expect(plan?.launches.map((task) => task.id)).toEqual(['r1', 'r2', 'r3']);
    const rev = plan?.basis.rev as number;
    const heard: number[] = [];
    store.core.onCommit((at) => heard.push(at));
    expect(await claimAsPlanned(store, plan)).toEqual(['agent-2', 'agent-3', 'agent-4']);
    expect(await store.core.currentRev()).toBe(rev + 1);
    expect(heard).toEqual([rev + 1]);
    expect((await store.get('r2')).assigned).toBe('agent-3');
    // The next numbers go on from there.
    expect(await store.core.write(() => store.core.take('agent_seq', 1))).toBe(5);
  });

  it.each([
    ['another coordinator claimed one of them', (store: Store) => claimByB(store, 'r2', 'agent-7')],
    [
      "a person changed one's command",
      (store: Store) => store.tasks.edit('r1', { exec: 'echo changed' }, {}, 'test').then(() => undefined),
    ],
    ['a person paused one', (store: Store) => store.tasks.setPaused('r4', true, 'test').then(() => undefined)],
    ['another coordinator claimed a task of the team beyond them (its cap)', (store: Store) => claimByB(store, 'r4', 'agent-7')],
  ])('claim nothing when %s since the snapshot: the turn plans again', async (_, meanwhile) => {
    const { store, team } = await project(3);
    const plan = await team.plan();
    await meanwhile(store);
    const before = await store.core.currentRev();
    await expect(claimAsPlanned(store, plan)).rejects.toThrow(StalePlanError);
    expect(await store.core.currentRev()).toBe(before);
    expect((await store.agents.list()).map((agent) => agent.id).filter((id) => id !== 'agent-7')).toEqual([]);
    // Planned again, on what is there now.
    const again = await team.plan();
    const claimed = await claimAsPlanned(store, again);
    expect(claimed.length).toBe(again?.launches.length);
    expect(again?.launches.length).toBeGreaterThan(0);
  });

  it.runIf(kind === 'postgres')(
    "on PostgreSQL claim in the round trip of the write turn's opening, and a stale plan leaves the next batch pipelined",
    async () => {
      const { store, team } = await project();
      const stale = await team.plan();
      await store.tasks.setPaused('r4', true, 'test');
      await expect(claimAsPlanned(store, stale)).rejects.toThrow(StalePlanError);
      // Not a fault of the pipeline: the next planned batch is one round trip, its claims with the write turn's opening
      // and the check (savepoint by savepoint, as after a failed pipelined write, it would be one per claim).
      await store.tasks.setPaused('r4', false, 'test');
      const fresh = await team.plan();
      expect(fresh?.launches.map((task) => task.id)).toEqual(['r1', 'r2', 'r3', 'r4']);
      expect(await roundTripsDuring(() => claimAsPlanned(store, fresh))).toBe(1);
    },
  );

  it('claim nothing once a newer wg migrated the store since the snapshot', async () => {
    const { store, team } = await project();
    const plan = await team.plan();
    const newer = (plan?.basis.version as number) + 1;
    if (kind === 'postgres') await store.core.write(() => sqlText(store.core, 'UPDATE schema_version SET version = ?').run(newer));
    else await store.core.write(() => sqlText(store.core, `PRAGMA user_version = ${newer}`).run());
    await expect(claimAsPlanned(store, plan)).rejects.toThrow(StalePlanError);
    // A snapshot of the newer schema plans nothing: the whole turn says why (refuseNewerSchema).
    expect(await team.plan()).toBeNull();
  });
});
