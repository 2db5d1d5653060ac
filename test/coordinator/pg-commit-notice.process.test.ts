import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Store } from '../../src/core/store/store';
import { freshSchema } from '../helpers/postgres-server';
import { removeTeamFolders, teamFolders } from '../helpers/team-folders';
import { until } from '../helpers/until';
import { readRunHops } from '../bench/run-hops-trace';
import type { TempProject } from '../helpers/wg-cli';

/*
 * What another process's commit to a team's graph costs a coordinator that hears of it (PostgreSQL's announcement,
 * no poke): one read of the project's revision, then its turn. The announcement names a revision, but anyone on the
 * database may announce (test/service/forged-commit-announcement.test.ts), so the revision taken in is the one read.
 * The coordinator's round trips come from its hops (src/core/timing/run-hops.ts), recorded by the dispatch bench's
 * recorder.
 */
const RECORDER = fileURLToPath(new URL('../bench/run-hops-recorder.cjs', import.meta.url));
const { url } = freshSchema('notice');
let folder: TempProject;
let store: Store;
let trace: string;

beforeAll(async () => {
  [folder] = (await teamFolders(url, 'wg-notice-', [], ['a'])) as [TempProject];
  trace = join(folder.root, 'runs.trace');
  await folder.ok(['config', '--poll-interval', '3600']);
  await folder.ok(['add', 'Gate', '--id', 'gate', '--executor', 'manual']);
  const started = await folder.wgProcess(['service', 'start', '--json'], {
    env: { WG_TRACE_RUNS: trace, NODE_OPTIONS: `--require ${RECORDER}` },
  });
  expect(started.exitCode, started.stderr).toBe(0);
  store = await Store.open(url);
  // The coordinator told the person of the manual task: the graph is at rest.
  await until(
    'the gate told',
    async () => (await store.get('gate')).log.some((entry) => entry.message.startsWith('Waiting for a person')),
    30_000,
  );
}, 120_000);

afterAll(async () => {
  await store?.close();
  if (folder) await removeTeamFolders([folder]);
});

const settle = () => new Promise((resolve) => setTimeout(resolve, 400));

/** The coordinator's hops after `since` (µs), as the recorder wrote them: a round trip's key is its statements. */
const hopsAfter = (since: number) => readRunHops(trace).filter((hop) => hop.at >= since);

/** The round trips after `since`, and those of them made before the coordinator took the commit in (its `d-watch`). */
function roundTrips(since: number): { all: string[]; beforeTakenIn: string[] } {
  const hops = hopsAfter(since);
  const takenIn = hops.findIndex((hop) => hop.event === 'd-watch');
  const trips = (list: typeof hops) => list.filter((hop) => hop.event === 'd-sql').map((hop) => hop.key);
  return { all: trips(hops), beforeTakenIn: trips(takenIn < 0 ? hops : hops.slice(0, takenIn)) };
}

/** A round trip's statements are `;`-separated (a burst of them sent together). */
const readsRevision = (trip: string) => trip.split(';').some((statement) => /^select_"?rev"?_from_"?project"?/i.test(statement));

describe("another process's commit, heard by a team's coordinator", () => {
  it('costs one read of the revision before its turn: the announcement only prompts it', async () => {
    await settle();
    const addedAt = Date.now() * 1000;
    await store.tasks.add({ title: 'Blocked', id: 'blocked', after: ['gate'] }, 'test');
    await until('the coordinator to take it in', () => hopsAfter(addedAt).some((hop) => hop.event === 'd-watch'), 10_000);
    await settle();
    const afterAdd = roundTrips(addedAt);
    // It read the revision once, took the commit in and looked (its plan's read snapshot).
    expect(
      afterAdd.all.some((trip) => trip.includes('BEGIN_ISOLATION_LEVEL_REPEATABLE_READ')),
      afterAdd.all.join('\n'),
    ).toBe(true);
    expect(afterAdd.beforeTakenIn.filter(readsRevision), afterAdd.all.join('\n')).toHaveLength(1);
  }, 120_000);
});
