import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigView } from '../../src/core/config/config-view';
import { dispatch } from '../../src/core/ops/dispatch';
import type { Store } from '../../src/core/store/store';
import { roundTripsDuring } from '../helpers/round-trips';
import { statementsDuring } from '../helpers/statements';
import { opContextOn, runContextOn, STORE_KINDS, storesPerTest } from '../helpers/temp-store';
import { turnParts } from '../runs/helpers/turn-parts';

/**
 * What a run's `wg done` costs the store through its coordinator's API (issue 73: what a dispatch pays besides its
 * turn): an agent's run reports its task done, on a project whose config.toml names its store (a team's graph on
 * PostgreSQL), the coordinator's configuration in the operation's context as the service gives it. Counted as round
 * trips to PostgreSQL, as statements on SQLite.
 */
describe.each(STORE_KINDS)('on %s', (kind) => {
  const newStore = storesPerTest(kind);

  async function costOf(store: Store, work: () => unknown): Promise<number> {
    return kind === 'sqlite' ? (await statementsDuring(store.core, work)).length : roundTripsDuring(work);
  }

  /**
   * A run of `work` on a fresh store, with its operation context as the coordinator's API gives it: the coordinator's
   * configuration, whose team settings it hears of as they change (ConfigView.hearTeamSettings), as the service does,
   * and so reads them in no operation of the run's (without that, a look after 200 ms would read their stamp again).
   */
  async function runOf(tasks: Array<Parameters<Store['tasks']['add']>[0]>) {
    const t = await newStore();
    const plain = opContextOn(t);
    if (kind === 'postgres') writeFileSync(plain.paths.config, `[store]\nurl = ${JSON.stringify(t.location)}\n`);
    const config = await ConfigView.open(plain.paths, {}, () => undefined);
    config.hearTeamSettings();
    await config.current();
    for (const task of [{ title: 'Work', id: 'work', exec: 'sleep 100' }, ...tasks]) await t.store.tasks.add(task, 'test');
    const { claim } = await turnParts(t);
    const [run] = await claim(['work']);
    if (!run) throw new Error('not claimed');
    return { t, ctx: { ...runContextOn(t, run.agent.id, run.runId), config: () => config.current() } };
  }

  it("a run's task:done asks for what it reads side by side", async () => {
    const { t, ctx } = await runOf([{ title: 'After', id: 'after', exec: 'true', after: ['work'] }]);
    let status = '';
    const cost = await costOf(t.store, async () => {
      status = (await dispatch('task:done', { id: 'work' }, ctx)).status;
    });
    expect(status).toBe('done');
    expect((await t.store.ready()).map((task) => task.id)).toEqual(['after']);
    // PostgreSQL, three: the task with what holds it back, whether `.evaluate-work` scores it, and the gate's settings
    // (the coordinator's: no read); the write's opening with every read it makes (the task's row, the run's own agent,
    // which holds the task and is checked there for what a run may report, what holds it back, the evaluation's state);
    // its writes with the task as they leave it and the commit. It was 16 with each read on its own; 9 with the write's
    // reads a round trip each after its opening, the holder read apart from the run's own agent, and the task read again
    // after the commit; 4 with the run's agent read first on its own, for the coordinator agent's refusal (now the
    // ownership rule's, on the row it reads anyway). SQLite counts the statements it prepares (20, then 18).
    expect(cost).toBe(kind === 'postgres' ? 3 : 17);
  });
  it("a run's task:log asks for what it reads side by side, and hands it its unread messages in one more look", async () => {
    const { t, ctx } = await runOf([]);
    const log = async (message: string) => {
      let handed: unknown;
      const cost = await costOf(t.store, async () => {
        handed = (await dispatch('task:log', { id: 'work', message }, ctx)) as { new_messages?: unknown };
      });
      return { cost, handed: (handed as { new_messages?: Array<{ body: string }> }).new_messages?.map((m) => m.body) };
    };
    // PostgreSQL: the write's opening with the task's row, the run's own agent and whether the task has messages past
    // the run's cursor; its writes with the task as they leave it and the commit. It was 12: the report as task:done's
    // was (above), and each of the message reads on its own after the commit; then 5, with the run's agent read first on
    // its own (task:done's, above), and a look at the messages again after finding none.
    expect(await log('first')).toEqual({ cost: kind === 'postgres' ? 2 : 11, handed: undefined });
    await t.store.messages.send({ taskId: 'work', sender: 'someone', body: 'look again', priority: 'normal', agentId: null });
    // With a message to hand over, five more: its read is a transaction of its own, with the line a run past its done
    // gets (message-handlers.ts), whose savepoints wait for their writes.
    expect(await log('second')).toEqual({ cost: kind === 'postgres' ? 7 : 22, handed: ['look again'] });
  });
  it("a run's msg:read with nothing new (its agent CLI's hook, after every tool call) looks once", async () => {
    const { t, ctx } = await runOf([]);
    let read: unknown[] = [];
    const cost = await costOf(t.store, async () => {
      read = (await dispatch('msg:read', { task: 'work' }, ctx)) as unknown[];
    });
    expect(read).toEqual([]);
    // PostgreSQL: the run with who holds its task (it must be live to read its messages); whether the task is there
    // with messages past the run's cursor. It was 3: finding none, it looked at the messages again.
    expect(cost).toBe(kind === 'postgres' ? 2 : 3);
  });
  it("a run's task:artifact finds whether it was there already in its own write: two round trips", async () => {
    const { t, ctx } = await runOf([]);
    const artifact = async () => {
      let result: { artifacts?: string[]; already_registered?: true } | undefined;
      const cost = await costOf(t.store, async () => {
        result = (await dispatch('task:artifact', { id: 'work', value: 'out/report.md' }, ctx)) as typeof result;
      });
      return { cost, artifacts: result?.artifacts, already: result?.already_registered ?? false };
    };
    // PostgreSQL: the write's opening with the task's row and the run's own agent; its writes with the task as they
    // leave it and the commit. It was 3: the task read first on its own, for whether the artifact was there.
    expect(await artifact()).toEqual({ cost: kind === 'postgres' ? 2 : 9, artifacts: ['out/report.md'], already: false });
    // Again: nothing changes, and it says so (upstream's no-op), in as many round trips.
    expect(await artifact()).toEqual({ cost: kind === 'postgres' ? 2 : 6, artifacts: ['out/report.md'], already: true });
  });
  it("a run's task:add (a follow-up after its task and another) asks for what it reads side by side", async () => {
    const { t, ctx } = await runOf([{ title: 'Other', id: 'other' }]);
    let added: { id: string; after: string[]; tags: string[]; status: string } | undefined;
    const cost = await costOf(t.store, async () => {
      added = (await dispatch('task:add', { title: 'Check the result', after: ['work', 'other'], tags: ['qa'] }, ctx)) as typeof added;
    });
    expect(added).toMatchObject({ id: 'check-the-result', tags: ['qa'], status: 'open' });
    expect(added?.after.toSorted()).toEqual(['other', 'work']);
    // Both hold it back, as the rule counts them (test/store covers the rule's cases).
    const { core } = t.store;
    expect(await core.get(core.build.selectFrom('tasks').select('blockers').where('id', '=', 'check-the-result'))).toEqual({ blockers: 2 });
    // PostgreSQL: the run with who holds its task (its authority); what its runs added so far with the settings (its
    // budget); the write's opening; which dependencies are there with the ids the title's would meet and the task's
    // number; its rows (the task, its edges, its blockers counted at the server, its tags) with the look for tasks that
    // named it before it existed; the log with the task as it now is and the commit. It was 22: the run read twice and
    // its task apart, each count and each dependency's checks, links and counts one after the other, its extra read
    // back to be written, and the task read again after the commit. SQLite counts the statements it prepares.
    expect(cost).toBe(kind === 'postgres' ? 6 : 18);
  });
  it("a run's task:fail asks for what it reads side by side", async () => {
    const { t, ctx } = await runOf([]);
    let failed: { status: string; failure_reason: string | null } | undefined;
    const cost = await costOf(t.store, async () => {
      failed = (await dispatch('task:fail', { id: 'work', reason: 'the API is down' }, ctx)) as typeof failed;
    });
    expect(failed).toMatchObject({ status: 'failed', failure_reason: 'the API is down' });
    // PostgreSQL: the task (whether it failed already); the write's opening with the task's row, the run's own agent
    // and the extra its failure's class is kept in; its writes with the task as they leave it and the commit. It was
    // 9: the report as task:done's was (above), and the extra read after the opening; then 4, with the run's agent read
    // first on its own (task:done's, above). SQLite counts the statements it prepares.
    expect(cost).toBe(kind === 'postgres' ? 3 : 15);
  });
});
