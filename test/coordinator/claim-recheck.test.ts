import { sqlText } from '../helpers/sql-text';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigView } from '../../src/core/config/config-view';
import { readSchedulerState } from '../../src/core/coordinator/engine-state';
import { TeamTurn } from '../../src/core/coordinator/team-turn';
import { WakeTimers } from '../../src/core/coordinator/wake-timers';
import { ensureProjectDirs, projectPaths } from '../../src/core/project';
import { LaunchRecords } from '../../src/core/runs/run-views';
import { newRun } from '../../src/core/store/agent-records';
import { Store } from '../../src/core/store/store';

/*
 * A team's coordinator decides what to claim in a read-only snapshot, before it takes the project's write turn; in
 * the write turn it re-checks what the decision rests on before it claims. Here another coordinator ("b") commits
 * between the two, on a real store, and the re-check must leave out what no longer holds.
 */
let root: string;
let store: Store;
let timers: WakeTimers;
const noLog = { info: () => {}, warn: () => {}, error: () => {} };

async function teamTurn(teamMax: number | null): Promise<TeamTurn> {
  const paths = projectPaths(join(root, '.workgraph'));
  const view = await ConfigView.open(paths, { maxAgents: 4 }, () => {});
  const config = await view.current();
  config.settings.coordinator.team_max_agents = teamMax;
  const records = new LaunchRecords(
    (id) => store.agents.launchRecord(id),
    () => null,
  );
  const read = (limit: number) =>
    readSchedulerState({ me: 'a', store, config, records, now: new Date(), paused: false, watched: [], readyLimit: () => limit });
  const team = new TeamTurn({
    me: 'a',
    store,
    log: noLog,
    config: () => config,
    records,
    timers,
    tickState: () => read(10),
    runsState: async () => (await read(0)).state,
    readyToTell: async () => [],
    untold: async () => [],
    performAll: async () => {},
    onCommit: (then) => then(),
  });
  // Its first look for lost coordinators' runs, as at a start: the turns after it may decide before the lock.
  await team.mineOnly([]);
  return team;
}

/** Coordinator b claims `taskId`: its run row, the task in progress, as a claim writes them. */
async function claimByB(taskId: string, agentId: string): Promise<void> {
  store.agents.coordinatorId = 'b';
  await store.core.write(async (rev) => {
    const agent = newRun(
      agentId,
      { task_id: taskId, executor: 'shell', model: null, model_source: null, runs_elsewhere: false, output_path: '', purpose: 'task' },
      store.core.nowIso(),
      rev,
    );
    const record = { kind: 'process', output: 'plain', resumed_session: null, timeout_s: 600, needs_evidence: false, cwd: null };
    await store.agents.insert(agent, JSON.stringify(record), null);
    await sqlText(store.core, "UPDATE tasks SET status = 'in-progress', assigned = ? WHERE id = ?").run(agentId, taskId);
  });
  store.agents.coordinatorId = null;
}

beforeEach(async () => {
  root = mkdtempSync(join(tmpdir(), 'wg-claim-recheck-'));
  process.env.WG_HOME = join(root, '.home');
  const paths = projectPaths(join(root, '.workgraph'));
  ensureProjectDirs(paths);
  store = await Store.open(paths.db);
  for (const id of ['r1', 'r2', 'r3', 'r4']) await store.tasks.add({ title: id, id, exec: 'true' }, 'test');
  timers = new WakeTimers(() => {});
});

afterEach(async () => {
  timers.clear();
  await store.close();
  rmSync(root, { recursive: true, force: true });
});

describe("a team's claims decided before the write turn", () => {
  it('are claimed as decided when nothing was committed since the snapshot', async () => {
    const team = await teamTurn(null);
    const plan = await team.plan();
    expect(plan?.launches.map((task) => task.id)).toEqual(['r1', 'r2', 'r3', 'r4']);
    const checked = await store.core.batch(() => team.recheck(plan as NonNullable<typeof plan>));
    expect(checked).toEqual({ claim: ['r1', 'r2', 'r3', 'r4'], changed: false });
  });

  it('leave out a task another coordinator claimed meanwhile', async () => {
    const team = await teamTurn(null);
    const plan = await team.plan();
    expect(plan?.launches.map((task) => task.id)).toEqual(['r1', 'r2', 'r3', 'r4']);
    await claimByB('r2', 'agent-1');
    const checked = await store.core.batch(() => team.recheck(plan as NonNullable<typeof plan>));
    expect(checked).toEqual({ claim: ['r1', 'r3', 'r4'], changed: true });
  });

  it("leave out a task changed meanwhile so that it would not start as decided (another executor, a person's, paused)", async () => {
    const team = await teamTurn(null);
    const plan = await team.plan();
    await store.tasks.edit('r1', { exec: 'echo changed' }, {}, 'test');
    await store.core.write((rev) => sqlText(store.core, 'UPDATE tasks SET assigned = ?, rev = ? WHERE id = ?').run('someone', rev, 'r3'));
    await store.core.write((rev) => sqlText(store.core, 'UPDATE tasks SET paused = 1, rev = ? WHERE id = ?').run(rev, 'r4'));
    const checked = await store.core.batch(() => team.recheck(plan as NonNullable<typeof plan>));
    expect(checked).toEqual({ claim: ['r2'], changed: true });
  });

  it("keep the team's cap when another coordinator's claims took slots meanwhile", async () => {
    // A cap of 3: a decides to claim 3 of the 4 ready tasks; b then claims the fourth.
    const team = await teamTurn(3);
    const plan = await team.plan();
    expect(plan?.launches.map((task) => task.id)).toEqual(['r1', 'r2', 'r3']);
    await claimByB('r4', 'agent-1');
    const checked = await store.core.batch(() => team.recheck(plan as NonNullable<typeof plan>));
    expect(checked).toEqual({ claim: ['r1', 'r2'], changed: true });
  });
});
