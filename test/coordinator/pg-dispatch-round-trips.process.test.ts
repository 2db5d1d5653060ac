import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PID_FLUSH_MS } from '../../src/core/coordinator/turn-inbox';
import { Store } from '../../src/core/store/store';
import { type RunHopLine, readRunHops } from '../bench/run-hops-trace';
import { freshSchema } from '../helpers/postgres-server';
import { sqlText } from '../helpers/sql-text';
import { removeTeamFolders, teamFolders } from '../helpers/team-folders';
import { until } from '../helpers/until';
import type { TempProject } from '../helpers/wg-cli';

/*
 * What a whole dispatch costs a team's coordinator in round trips to PostgreSQL (issue 73: a turn in one or two round
 * trips, and nothing else a dispatch need not pay): from one run's start to the next one's, along a chain of tasks,
 * counted from the coordinator's hops (src/core/timing/run-hops.ts) as the dispatch bench's recorder writes them. Each
 * run lasts long enough (0.4 s) that the coordinator looked at its settings more than ConfigView's 200 ms before, and
 * that a pid flushed 20 ms after its start would have had a turn of its own.
 */
const RECORDER = fileURLToPath(new URL('../bench/run-hops-recorder.cjs', import.meta.url));
const CHAIN = 5;
/**
 * The first statements of a run's `wg done` through the API: its task, read with what the done decides on (in the
 * first round trip that has them: a read of the coordinator's own made just before may go with them).
 */
/** The check that the project is as a turn's reads left it (StoreCore.takePlannedRevision on PostgreSQL). */
const PLANNED_CHECK = 'SELECT_1_/_(CASE_WHEN_rev_=_$1';
/** What a coordinator that finds another's commit looks at: its runs' unread messages (markInboxesOfOwnRuns). */
const INBOX_LOOK = 'select_distinct_"a"."task_id"_from_"agents"_as_"a"_inner_joi';
const DONE_FIRST = 'select_*_from_"tasks"_where_"id"_=_$1;SELECT_0_AS_part';
const { url } = freshSchema('dispatch');
let folder: TempProject;
let store: Store;
let trace: string;

beforeAll(async () => {
  [folder] = (await teamFolders(url, 'wg-dispatch-', ['-x', 'shell'], ['a'])) as [TempProject];
  trace = join(folder.root, 'runs.trace');
  await folder.ok(['config', '--poll-interval', '3600', '--max-agents', '1', '--worktrees', 'false']);
  const started = await folder.wgProcess(['service', 'start', '--json'], {
    env: { WG_TRACE_RUNS: trace, NODE_OPTIONS: `--require ${RECORDER}` },
  });
  expect(started.exitCode, started.stderr).toBe(0);
  store = await Store.open(url);
}, 120_000);

afterAll(async () => {
  await store?.close();
  if (folder) await removeTeamFolders([folder]);
});

/**
 * Round trips on timers of their own, not a dispatch's: the coordinator's lease (renewed, its holders read, lapsed ones
 * looked for in a transaction of their own, lost ones forgotten), the agent daemons' dispatcher, which with none
 * connected reads the ready remote tasks at most once a second (UNCONNECTED_TURN_MS, pinned in
 * test/agent-daemons/dispatcher.test.ts), and the look for what ended runs left running, a second after their end
 * (leftovers.ts), with its question for the tasks a kill held, and a turn's look for runs of lost coordinators to take
 * over, every 5 s (TeamTurn.takeOverLost). And the agent daemons' looks for their jobs once the coordinator is up (jobs
 * that ended under working runs; active jobs whose runs are over, until a look finds none): on a fast machine the chain's
 * first dispatch comes before they are done.
 */
const TIMED =
  /^(UPDATE_coordinators|DELETE_FROM_coordinators|SELECT_id,_capacity,_expires_at|SELECT_id_FROM_coordinators_WHERE_role_=_'holder'_AND_id_<>|SELECT_id,_executor,_exec,_repo,_role_FROM|select_"id",_"task_id"_from_"agents"_where_"run_id"|select_"a"."id",_"a"."coordinator_id"_from_"agents"|select_"j"."lease_id",)/;

/** The coordinator's round trips among `lines`, less the timed ones (and a lease's transaction's opening and end). */
function dispatchTrips(lines: RunHopLine[]): Set<RunHopLine> {
  const trips = new Set<RunHopLine>();
  let leaseOpen = false;
  for (const line of lines) {
    if (line.event !== 'd-sql') continue;
    const statements = line.key.split(';').filter((statement) => !/^(BEGIN_ISOLATION_LEVEL_READ_COMMITTED|COMMIT)$/.test(statement));
    if (statements.length === 0 && leaseOpen) {
      leaseOpen = false;
      continue;
    }
    if (statements.length > 0 && statements.every((statement) => TIMED.test(statement))) {
      if (line.key.startsWith('BEGIN')) leaseOpen = true;
      if (line.key.endsWith('COMMIT')) leaseOpen = false;
      continue;
    }
    trips.add(line);
  }
  return trips;
}

/** Where the run of `task` started in `lines` (-1: not yet), by the agent its claim's commit names. */
function startIn(lines: RunHopLine[], task: string): number {
  const claim = lines.find((l) => l.event === 'd-commit' && l.key.split(',').some((c) => c.endsWith(`=${task}`)));
  const agent = claim?.key
    .split(',')
    .find((c) => c.endsWith(`=${task}`))
    ?.split('=')[0];
  return agent ? lines.findIndex((l) => l.event === 'd-started' && l.key === agent) : -1;
}

/**
 * A chain of CHAIN tasks running `exec`, imported in one commit (one look of the coordinator, as a person adding a
 * plan), run to its end: the coordinator's round trips from each run's start to the next one's (the counted ones,
 * dispatchTrips), from the second run's start (the first one's came with the import's look).
 */
async function tripsAlong(prefix: string, exec: string, whileRunning?: () => Promise<void>): Promise<string[][]> {
  await store.importJsonl(
    Array.from({ length: CHAIN }, (_, i) =>
      JSON.stringify({ kind: 'task', id: `${prefix}${i}`, title: `${prefix}${i}`, exec, after: i > 0 ? [`${prefix}${i - 1}`] : [] }),
    ).join('\n'),
  );
  if (whileRunning) {
    for (let i = 0; i < CHAIN; i++) {
      await until(`${prefix}${i} running`, async () => (await store.get(`${prefix}${i}`)).status === 'in-progress', 60_000, 20);
      await whileRunning();
    }
  }
  await until('the chain done', async () => (await store.get(`${prefix}${CHAIN - 1}`)).status === 'done', 60_000);
  // The recorder writes its lines in batches.
  const hops = await until('the last start traced', () => {
    const lines = readRunHops(trace);
    return startIn(lines, `${prefix}${CHAIN - 1}`) >= 0 ? lines : null;
  });
  const startOf = (task: string): number => {
    const at = startIn(hops, task);
    expect(at, `${task}'s run started`).toBeGreaterThan(-1);
    return at;
  };
  const counted = dispatchTrips(hops);
  return Array.from({ length: CHAIN - 2 }, (_, i) =>
    hops
      .slice(startOf(`${prefix}${i + 1}`), startOf(`${prefix}${i + 2}`))
      .filter((line) => counted.has(line))
      .map((line) => line.key),
  );
}

describe("a team's coordinator, along a chain of tasks", () => {
  it('pays two round trips from one run start to the next: the turn that settles one and claims the next, nothing else', async () => {
    const perDispatch = await tripsAlong('c', 'sleep 0.4');
    // The turn that settles a run and claims its dependent: its opening with the check that nothing was committed since
    // the turn before read the run (ExitReadsAhead), the settle's writes with the pid's (recorded with the run's end:
    // PID_FLUSH_MS) and the tick's reads; then the claim's writes, the reads of the runs it leaves working, the commit.
    // It was three, the run's reads the opening's own round trip; and before that seven or more: the team's settings'
    // stamp read before the turn (ConfigView, every 200 ms, where their announcements tell of a change), the pid's turn
    // of its own 20 ms after the start (its look, its opening, its write), and often a read of the revision for the
    // coordinator's own commit, heard before its answer came.
    expect(
      perDispatch.map((list) => list.length),
      perDispatch.map((list) => list.join('\n')).join('\n\n'),
    ).toEqual(Array.from({ length: CHAIN - 2 }, () => 2));
  }, 120_000);

  it('judges a run’s end afresh, whole, when the project moved on unheard while it ran: each task done once', async () => {
    // A commit the coordinator is not told of (the revision moved on by a statement of its own, announced to no one)
    // while each run sleeps: the turn that judges its end, standing on what the turn before read of it, fails the
    // database's check (StalePlanError) with nothing written, and is taken again at once, whole.
    const moved = sqlText(store.core, 'UPDATE project SET rev = rev + 1 WHERE id = 1');
    const perDispatch = await tripsAlong('u', 'sleep 0.6', async () => {
      await moved.run();
    });
    // Less the look for messages to this coordinator's runs, its answer to another's commit found (team-delivery.ts).
    const turns = perDispatch.map((list) => list.filter((trip) => !trip.startsWith(INBOX_LOOK)));
    const lists = turns.map((list) => list.join('\n')).join('\n\n');
    // The stale turn's opening (its check failed there) and its rollback, then the whole turn's three.
    for (const list of turns) {
      expect(list.length, lists).toBe(5);
      expect(list[0], lists).toContain(PLANNED_CHECK);
      expect(list[1], lists).toMatch(/ROLLBACK/);
      expect(
        list.slice(2).some((trip) => trip.includes(PLANNED_CHECK)),
        lists,
      ).toBe(false);
    }
    for (let i = 0; i < CHAIN; i++) {
      const log = (await store.get(`u${i}`)).log.map((entry) => entry.message);
      expect(
        log.filter((message) => message.startsWith('Task done')),
        log.join('\n'),
      ).toHaveLength(1);
      expect(
        (await store.agents.list()).filter((agent) => agent.task_id === `u${i}`),
        `u${i}'s runs`,
      ).toHaveLength(1);
    }
  }, 120_000);

  it('reads a run’s end afresh when another commit was heard while it ran, after its last turn: no stale turn', async () => {
    // A person's edit through another connection, announced as every write is, while each run sleeps on after its pid
    // was recorded (its turn the last of this coordinator's before the end): the coordinator hears the edit and drops
    // what that turn read of its runs (ExitReadsAhead), so the turn that judges the end reads them at its opening, and
    // is not undone by the database's check. The turn the edit wakes plans in a snapshot and, with nothing to claim,
    // writes nothing.
    let side = 0;
    const perDispatch = await tripsAlong('h', `sleep ${(PID_FLUSH_MS + 400) / 1000}`, async () => {
      await until('its pid recorded', async () =>
        (await store.agents.list()).some((agent) => agent.state === 'working' && agent.pid !== null),
      );
      await store.tasks.add({ title: `side ${side}`, id: `side-${side++}`, paused: true }, 'test');
    });
    const lists = perDispatch.map((list) => list.join('\n')).join('\n\n');
    for (const list of perDispatch) {
      expect(
        list.some((trip) => trip.includes('ROLLBACK') || trip.includes(PLANNED_CHECK)),
        lists,
      ).toBe(false);
    }
    for (let i = 0; i < CHAIN; i++) expect((await store.get(`h${i}`)).status).toBe('done');
  }, 120_000);

  it("pays five from an agent's `wg done` over the API to its dependent's start: the done's three, the planned turn's two", async () => {
    // As an agent reports: `wg done` through the coordinator's API, then its process goes on a while (it holds its slot:
    // room for the whole chain).
    await folder.ok(['config', '--max-agents', String(CHAIN + 1)]);
    const perDispatch = await tripsAlong('d', 'wg done "$WG_TASK_ID"; sleep 2');
    // Counted from the done's first round trip (its task's read): the coordinator's looks at its running runs before it
    // are their own timers'.
    const fromDone = perDispatch.map((list) => {
      const at = list.findIndex((key) => key.includes(DONE_FIRST));
      expect(at, list.join('\n')).toBeGreaterThan(-1);
      return list.slice(at);
    });
    // The done's three (test/service/run-done-round-trips.test.ts), then the turn it wakes: its plan, read in a snapshot
    // (the ready task read whole with it, and what the plan stands on: the revision, the counters, the schema's version);
    // the write turn, whose claims go with its opening and the check that the project is as the snapshot read it
    // (StoreCore.takePlannedRevision), and with the commit. It was nine: the claim read its task again, and waited for the
    // turn's revision before its writes; then seven, with the run's own agent read first on its own for the credential's
    // check; then six, the write turn's opening a round trip of its own before the claims, which waited for the revision
    // it re-checked. A dispatch may meet one more of what the coordinator does meanwhile (the end of an earlier run of
    // the chain, which goes on for 2 s after its done), so the fewest is five and none is over six.
    const counts = fromDone.map((list) => list.length);
    const lists = fromDone.map((list) => list.join('\n')).join('\n\n');
    expect(Math.min(...counts), lists).toBeLessThanOrEqual(5);
    expect(Math.max(...counts), lists).toBeLessThanOrEqual(6);
  }, 120_000);
});
