import { sqlText } from '../helpers/sql-text';
import { describe, expect, it } from 'vitest';
import { turnParts } from './helpers/turn-parts';
import { recordPids } from '../../src/core/runs/settling/settle';
import type { Store } from '../../src/core/store/store';
import { readSchedulerState } from '../../src/core/coordinator/engine-state';
import { WaitWatch } from '../../src/core/waiting/wait-watch';
import { WaitingNotices } from '../../src/core/coordinator/waiting-notice';
import { TeamTurn } from '../../src/core/coordinator/team-turn';
import { AgencyRuns } from '../../src/core/agency/agency-runs';
import { WorktreeSweeper } from '../../src/core/coordinator/worktree-sweeper';
import { WakeTimers } from '../../src/core/coordinator/wake-timers';
import { nextScheduledAt } from '../../src/core/store/task-reads';
import { inFlight } from '../../src/core/store/in-flight';
import { refuseNewerSchema } from '../../src/core/store/newer-schema';
import { statementsDuring } from '../helpers/statements';
import { until } from '../helpers/until';
import { roundTripsDuring } from '../helpers/round-trips';
import { STORE_KINDS, storesPerTest } from '../helpers/temp-store';

/**
 * What a coordinator's busy turn costs the store: the runs that ended judged and settled (AgentJudge.readExits and exitedAll, as
 * the engine calls it), and the tasks they made ready claimed (claimTasks), in one transaction. On PostgreSQL each
 * round trip to the server waits on the coordinator's one thread: counted here, as the statements SQLite runs, so
 * that no per-run read can come back unnoticed. The count grows by a fixed amount per run, whatever the turn's size.
 */
describe.each(STORE_KINDS)('on %s', (kind) => {
  const newStore = storesPerTest(kind);

  /** `n` runs of shell tasks a0…, each with a dependent b0… the turn claims once its run ended. */
  async function running(n: number) {
    const t = await newStore();
    const { store } = t;
    for (let i = 0; i < n; i++) {
      await store.tasks.add({ title: `a${i}`, id: `a${i}`, exec: 'true' }, 'test');
      await store.tasks.add({ title: `b${i}`, id: `b${i}`, exec: 'true', after: [`a${i}`] }, 'test');
    }
    const { paths, config, records, claim, judge } = await turnParts(t);
    const runs = await claim(Array.from({ length: n }, (_, i) => `a${i}`));
    /**
     * The turn, as the engine's (Engine.pump and its tick): the runs' pids recorded (their starts came after the last
     * turn), every run ended with exit 0, settled, the ready tasks read (whole, for the claims), and the dependents
     * claimed; pipelined, as the engine takes it.
     */
    const turn = (pipelined = true, atEnd: () => void = () => undefined) =>
      store.core.batch(
        async () => {
          const exits = runs.map((run) => ({ agentId: run.agent.id, code: 0, signal: null, stderrTail: '' }));
          const newerSchema = inFlight(refuseNewerSchema(store.core));
          const read = inFlight(judge.readExits(exits));
          store.core.takeRevision();
          await newerSchema;
          await recordPids(
            store,
            runs.map((run, i) => [run.agent.id, 1000 + i] as const),
          );
          await judge.exitedAll(exits, await read);
          const current = await config.current();
          const { state, whole } = await readSchedulerState({
            store,
            config: current,
            records,
            now: store.core.clock(),
            paused: false,
            watched: [],
            readyLimit: () => n + 2,
            whole: true,
          });
          const ready = state.ready.map((task) => task.id);
          expect(ready.sort()).toEqual(Array.from({ length: n }, (_, i) => `b${i}`).sort());
          await claim(ready, false, whole);
          await judge.checkTrusted();
          atEnd();
        },
        { pipelined },
      );
    return { store, turn, config, records, paths };
  }

  /** Round trips to the server (PostgreSQL: each batch of statements sent together) or statements run (SQLite). */
  async function costOf(store: Store, work: () => unknown): Promise<number> {
    return kind === 'sqlite' ? (await statementsDuring(store.core, work)).length : roundTripsDuring(work);
  }

  it.each([true, false])(
    'settles and claims a turn in a fixed cost per run: no read of one run that a read of all could answer (pipelined: %s)',
    async (pipelined) => {
      // One after the other: the count is of every connection's round trips in the process.
      const costs: number[] = [];
      for (const n of [2, 4]) {
        const { store, turn } = await running(n);
        costs.push(await costOf(store, () => turn(pipelined)));
        for (let i = 0; i < n; i++) {
          expect((await store.get(`a${i}`)).status).toBe('done');
          expect((await store.get(`b${i}`)).status).toBe('in-progress');
        }
      }
      const [two = 0, four = 0] = costs;
      const perRun = (four - two) / 2;
      const fixed = two - 2 * perRun;
      // PostgreSQL: a run costs no round trip of its own. Its agent and the row its settle reads were read with the turn's
      // opening, so the settle's writes wait for what follows them (its agent's end is checked before the commit,
      // AgentJudge.checkTrusted); taken savepoint by savepoint (not pipelined, as after a failed turn), its settle's
      // writes go at the end of its savepoint and its dependent's claim at the end of its own. Per turn:
      // 1. the opening with the schema's version, the revision and the counters the first agent id is taken from
      //    (Store.takeRevision: asked for with the opening, not by the first write after it), and the runs that ended
      //    with their tasks' worktrees and rows (asked for before the pids' write, which goes with what follows);
      // 2. the settles' writes with the tick's reads: the runs, the ready tasks, and those tasks whole (their rows, logs,
      //    dependencies, tags and worktrees, chosen by the same statement: TickState.whole), which the claims use;
      // 3. the claims' writes with the commit.
      // It was 10 when each of those reads went on its own, 5 when the first agent id took its own, 4 with the runs read
      // after the pids' write, and 5 in the engine itself (a trace of a coordinator's turns) while the revision waited for
      // the opening's answer and the claims read their tasks after the tick's read. A third round trip remains
      // because the claims are decided on what the settles made ready: two would need the claims made by the database
      // itself (their launch records are built here, from the whole task and the settings), or the settles' writes
      // sent with the opening, which waits for three answers first: the revision every write carries (its number, from
      // the opening's UPDATE … RETURNING), the schema's version (a newer wg's schema decides from then on), and the
      // ended runs' rows the settles decide on (only a cache of them from the claim, checked at the server and the
      // turn undone and taken again when another writer changed them, would spare that read).
      // Savepoint by savepoint, the pids' write is one more. SQLite runs every statement by itself; the same reads serve
      // the turn. Counted there as statements built, each pid's write among them (one statement per run).
      expect({ perRun, fixed }).toEqual(
        kind === 'postgres' ? (pipelined ? { perRun: 0, fixed: 3 } : { perRun: 2, fixed: 4 }) : { perRun: 11, fixed: 13 },
      );
    },
  );

  it("reads the agency's look at what a turn leaves, and the worktree sweep's first question, with its commit: no round trip of its own before the runs start", async () => {
    const plain = await running(2);
    const without = await costOf(plain.store, () => plain.turn());
    const { store, turn, config, paths } = await running(2);
    await store.tasks.add({ title: 'Pending', id: 'pending', exec: 'true' }, 'test');
    await store.core.write((rev) => sqlText(store.core, "UPDATE tasks SET status = 'pending-eval', rev = ? WHERE id = 'pending'").run(rev));
    const settings = { ...(await config.current()).settings };
    settings.agency = { ...settings.agency, auto_evaluate: true };
    const started: string[] = [];
    const agency = new AgencyRuns({
      store,
      paths,
      // The fake run starts nothing; Claude Code is "found" (this Node binary) so the evaluator is asked at all.
      hostEnv: { WG_CLAUDE_BIN: process.execPath },
      config: () => ({ ...config.now(), settings }),
      log: { info: () => undefined, error: () => undefined },
      wake: () => undefined,
      run: (request) => {
        started.push(request.taskId);
        return new Promise(() => undefined);
      },
    });
    const sweeper = new WorktreeSweeper({ store, paths }, { info: () => undefined, error: () => undefined });
    let after = (): void => undefined;
    const cost = await costOf(store, () =>
      turn(true, () => {
        const look = inFlight(agency.readAfterTurn());
        const anyLeft = inFlight(sweeper.anyLeft());
        after = async () => {
          await agency.afterTurn(await look);
          sweeper.requestAfter(anyLeft);
        };
      }),
    );
    // PostgreSQL: the tasks pending evaluation, upstream's ready system tasks and whether any agent's worktree is left
    // go with the commit. SQLite runs them.
    expect(cost - without).toBe(kind === 'postgres' ? 0 : 3);
    after();
    await sweeper.stop();
    // What it read starts the evaluator on the task pending evaluation.
    await until('the evaluator asked for', () => started.length > 0, 10_000);
    expect(started).toEqual(['pending']);
  });

  it('looks at the parked tasks with the runs, the ready tasks and the waiting notices in one round trip, and reads the next scheduled wake with the commit', async () => {
    const { store, config, records } = await running(2);
    await store.tasks.add({ title: 'c', id: 'c', exec: 'true' }, 'test');
    const now = store.core.clock();
    let ready: string[] = [];
    let next: Promise<string | null> = Promise.resolve('not read');
    const parked = new WaitWatch(
      () => undefined,
      () => undefined,
    );
    const cost = await costOf(store, () =>
      store.core.batch(async () => {
        // As the engine's tick reads them (Engine.tick): sent before the parked tasks' look.
        const current = await config.current();
        const read = inFlight(
          readSchedulerState({ store, config: current, records, now, paused: false, watched: [], readyLimit: () => 10 }),
        );
        const notices = new WaitingNotices();
        const toTell = inFlight(notices.readyToTell(store, current, now));
        expect(await parked.look(store.core)).toEqual([]);
        ready = (await read).state.ready.map((task) => task.id);
        await notices.tell(store, await toTell);
        // Wanted once the turn commits (Engine.onCommit).
        next = inFlight(nextScheduledAt(store.core, now));
      }),
    );
    expect(ready).toEqual(['c']);
    expect(await next).toBeNull();
    // PostgreSQL: the opening with the runs, the ready tasks, the parked ones and the notices; the commit with the next
    // wake (six when each read went on its own, four with the parked tasks' look apart, three with the notices and the
    // next wake in a round trip of their own). SQLite counts the statements it prepares: the five reads (the notices'
    // look at a task's log only for a task to tell).
    expect(cost).toBe(kind === 'postgres' ? 2 : 5);
  });

  it("looks before a team's write turn in one round trip", async () => {
    const { store, config, records } = await running(2);
    await store.tasks.add({ title: 'c', id: 'c', exec: 'true' }, 'test');
    const timers = new WakeTimers(() => undefined);
    const notices = new WaitingNotices();
    await config.current();
    const read = async (limit: number) =>
      readSchedulerState({
        me: 'a',
        store,
        config: await config.current(),
        records,
        now: store.core.clock(),
        paused: false,
        watched: [],
        readyLimit: () => limit,
      });
    const team = new TeamTurn({
      me: 'a',
      store,
      log: { info: () => undefined, warn: () => undefined, error: () => undefined },
      config: () => config.now(),
      records,
      timers,
      tickState: () => read(10),
      runsState: async () => (await read(0)).state,
      readyToTell: () => notices.readyToTell(store, config.now(), store.core.clock()),
      untold: (rows) => notices.untold(store.core, rows),
      performAll: async () => undefined,
      onCommit: (then) => then(),
    });
    // Its first look for lost coordinators' runs, as at a start: the turns after it may decide before the lock.
    await team.mineOnly([]);
    let plan: Awaited<ReturnType<TeamTurn['plan']>> = null;
    try {
      const cost = await costOf(store, async () => {
        plan = await team.plan();
      });
      expect((plan as Awaited<ReturnType<TeamTurn['plan']>>)?.launches.map((task) => task.id)).toEqual(['c']);
      // PostgreSQL: the snapshot's opening with whether any task waits, the tasks still to be told, what the plan stands
      // on (the revision, the counters, the schema's version: StoreCore.planBasis), the next scheduled wake, the runs and
      // the ready tasks, in one round trip; the snapshot's end is not waited for (it was one more while it was; six when
      // each read went on its own). SQLite counts the statements it prepares (six before the plan read its counters and
      // schema version, which its claims go on from).
      expect(cost).toBe(kind === 'postgres' ? 1 : 8);
    } finally {
      timers.clear();
    }
  });
});
