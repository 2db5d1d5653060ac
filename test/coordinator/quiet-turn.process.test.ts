import { sqlText } from '../helpers/sql-text';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Store } from '../../src/core/store/store';
import { freshSchema } from '../helpers/postgres-server';
import { coordinatorIdOf, removeTeamFolders, teamFolders } from '../helpers/team-folders';
import { until } from '../helpers/until';
import { readRunHops } from '../bench/run-hops-trace';
import type { TempProject } from '../helpers/wg-cli';

/*
 * Two coordinators active on one team's graph. A turn that settles a run and leaves no task the other could start
 * (the deciding rule is `leavesWork`, tested in test/deciding/scheduler.test.ts) is announced quiet: the other
 * hears it (its `d-quiet` hop) and takes no turn for it. One that leaves a ready task it could not take itself is
 * announced plainly, and the other takes its turn and starts that task. Each coordinator's hops are recorded by the
 * dispatch bench's recorder (src/core/timing/run-hops.ts).
 */
const RECORDER = fileURLToPath(new URL('../bench/run-hops-recorder.cjs', import.meta.url));
const { url } = freshSchema('quiet');
let a: TempProject;
let b: TempProject;
let store: Store;
let traceB: string;

/** A shell command that runs until `name` exists in folder a. */
const untilFile = (name: string) => `while [ ! -e ${join(a.root, name)} ]; do sleep 0.05; done`;
const release = (name: string) => writeFileSync(join(a.root, name), '');
const settle = () => new Promise((resolve) => setTimeout(resolve, 600));

const start = async (p: TempProject, trace: string) => {
  const started = await p.wgProcess(['service', 'start', '--json'], {
    env: { WG_TRACE_RUNS: trace, NODE_OPTIONS: `--require ${RECORDER}` },
  });
  expect(started.exitCode, started.stderr).toBe(0);
};

const statusOf = async (id: string) => (await store.get(id)).status;
const coordinatorOfRun = async (taskId: string) =>
  (
    (await sqlText<{ c: string }>(store.core, 'SELECT coordinator_id AS c FROM agents WHERE task_id = ?').get(taskId)) as
      | { c: string }
      | undefined
  )?.c;

/** Coordinator b's hops since `since` (µs). */
const hopsOfB = (since: number) => readRunHops(traceB).filter((hop) => hop.at >= since);

beforeAll(async () => {
  [a, b] = (await teamFolders(url, 'wg-quiet-', ['-x', 'shell'], ['a', 'b'])) as [TempProject, TempProject];
  for (const p of [a, b]) await p.ok(['config', '--poll-interval', '3600', '--worktrees', 'false']);
  await a.ok(['config', '--max-agents', '1']);
  store = await Store.open(url);
  traceB = join(b.root, 'runs.trace');
  // a alone first, so the first run is a's.
  await start(a, join(a.root, 'runs.trace'));
  await store.tasks.add({ title: 'First', id: 'first', exec: untilFile('first.go') }, 'test');
  await until('a runs the first task', async () => (await statusOf('first')) === 'in-progress', 30_000);
  await start(b, traceB);
  await settle();
}, 90_000);

afterAll(async () => {
  await store?.close();
  if (a && b) await removeTeamFolders([a, b]);
});

describe("a team's turn that leaves nothing for the others", () => {
  it('is heard as quiet by the other coordinator, which takes no turn for it', async () => {
    expect(await coordinatorOfRun('first')).toBe(coordinatorIdOf(a));
    const since = Date.now() * 1000;
    release('first.go');
    await until('the first task done', async () => (await statusOf('first')) === 'done', 30_000);
    await until('b to hear the commit', () => hopsOfB(since).some((hop) => hop.event === 'd-quiet'), 10_000);
    await settle();
    const events = hopsOfB(since).map((hop) => hop.event);
    expect(
      events.filter((event) => event === 'd-turn' || event === 'd-watch'),
      events.join(' '),
    ).toEqual([]);
  }, 120_000);

  it('is heard plainly when it leaves a ready task, and the other starts it', async () => {
    // b holds back while a takes the next run.
    await b.ok(['service', 'pause']);
    await store.tasks.add({ title: 'Second', id: 'second', exec: untilFile('second.go') }, 'test');
    await until('a runs the second task', async () => (await statusOf('second')) === 'in-progress', 30_000);
    // Each runs long enough that a's one slot cannot take both, however slow b is to look.
    await store.tasks.add({ title: 'After one', id: 'after-1', after: ['second'], exec: 'sleep 2' }, 'test');
    await store.tasks.add({ title: 'After two', id: 'after-2', after: ['second'], exec: 'sleep 2' }, 'test');
    await b.ok(['service', 'resume']);
    await settle();
    const since = Date.now() * 1000;
    release('second.go');
    await until(
      'both dependents done',
      async () => (await statusOf('after-1')) === 'done' && (await statusOf('after-2')) === 'done',
      30_000,
    );
    // a's single slot took one of them; the other was b's, started on a's plain announcement.
    const owners = (await Promise.all(['after-1', 'after-2'].map(coordinatorOfRun))).sort();
    expect(owners).toEqual([coordinatorIdOf(a), coordinatorIdOf(b)].sort());
    await until('b to have looked', () => hopsOfB(since).some((hop) => hop.event === 'd-watch'), 10_000);
  }, 120_000);
});
