import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigView } from '../../src/core/config/config-view';
import { dispatch } from '../../src/core/ops/dispatch';
import type { OpContext } from '../../src/core/ops/context';
import type { Store } from '../../src/core/store/store';
import { roundTripsDuring } from '../helpers/round-trips';
import { statementsDuring } from '../helpers/statements';
import { opContextOn, STORE_KINDS, storesPerTest } from '../helpers/temp-store';

/**
 * What a read through the coordinator's API costs the store (issue 73: an API read is one round trip): `task:show` as
 * the window and a person's `wg show` ask it, on a project whose config.toml names its store (a team's graph on
 * PostgreSQL: its settings are in the store too). Counted as round trips to PostgreSQL, as statements on SQLite.
 */
describe.each(STORE_KINDS)('on %s', (kind) => {
  const newStore = storesPerTest(kind);

  /** A project on its store, the coordinator's configuration (ConfigView) in its operations' context as the service gives it. */
  async function project(): Promise<{ store: Store; ctx: OpContext; config: ConfigView; plain: OpContext }> {
    const t = await newStore();
    const plain = opContextOn(t);
    // A team's graph names its store in config.toml: its settings are read from the store as well as from the file.
    if (kind === 'postgres') writeFileSync(plain.paths.config, `[store]\nurl = ${JSON.stringify(t.location)}\n`);
    const config = await ConfigView.open(plain.paths, {}, () => undefined);
    return { store: t.store, config, plain, ctx: { ...plain, config: () => config.current() } };
  }

  async function costOf(store: Store, work: () => unknown): Promise<number> {
    return kind === 'sqlite' ? (await statementsDuring(store.core, work)).length : roundTripsDuring(work);
  }

  it.each([
    ['an open task', 'open'],
    ['a failed task others wait on', 'failed'],
    ['a manual task that is ready', 'manual'],
  ])('task:show of %s is one round trip, the settings looked at afresh', async (_, which) => {
    const { store, ctx, config } = await project();
    await store.tasks.add({ title: 'Gate', id: 'gate', ...(which === 'manual' ? { executor: 'manual' } : { exec: 'true' }) }, 'test');
    await store.tasks.add({ title: 'After', id: 'after', after: ['gate'], exec: 'true' }, 'test');
    if (which === 'failed') await store.tasks.fail('gate', 'it broke', 'test');
    // The coordinator's configuration last looked at long ago: the read looks at the team's settings again.
    config.recheck();
    let shown: Awaited<ReturnType<typeof dispatch<'task:show'>>> | null = null;
    const cost = await costOf(store, async () => {
      shown = await dispatch('task:show', { id: 'gate' }, ctx);
    });
    const detail = shown as unknown as { status: string; needs_you?: { kind: string } };
    // What the person is asked for is read in the same go as the task.
    expect({ status: detail.status, needs: detail.needs_you?.kind ?? null }).toEqual(
      which === 'failed'
        ? { status: 'failed', needs: 'unblock' }
        : which === 'manual'
          ? { status: 'open', needs: 'do' }
          : { status: 'open', needs: null },
    );
    // PostgreSQL: the task, its log, dependencies and dependents, its worktree, the person's part in it and the team's
    // settings' stamp, sent together (it was four: the settings were read three times, one after the other, after the
    // task; a task with links, one more for its links' statuses). SQLite counts the statements: the six that read the
    // task (its row whole and its log) with what holds it if it is open as a list reads tasks (their rows, dependencies,
    // tags and worktrees: chosen by SQL, so run for any task), its readiness, its dependents, its links' statuses, and
    // the three of the person's part. It was eleven, with every task upstream read whole, logs included.
    expect(cost).toBe(kind === 'postgres' ? 1 : 12);
  });

  it('task:show of an open task that waits on others reads what holds it with the task: one round trip', async () => {
    const { store, ctx } = await project();
    await store.tasks.add({ title: 'First', id: 'first', exec: 'true' }, 'test');
    await store.tasks.add({ title: 'Second', id: 'second', after: ['first'], exec: 'true' }, 'test');
    await store.tasks.add({ title: 'Third', id: 'third', after: ['second'], exec: 'true' }, 'test');
    await store.tasks.fail('first', 'it broke', 'test');
    let shown: Awaited<ReturnType<typeof dispatch<'task:show'>>> | null = null;
    const cost = await costOf(store, async () => {
      shown = await dispatch('task:show', { id: 'third' }, ctx);
    });
    // Its hold is found two tasks up: `first`, failed.
    expect((shown as unknown as { hold: string | null }).hold).toMatch(/failed First/);
    // It was three: the task, then the tasks upstream of it, then those read whole.
    expect(cost).toBe(kind === 'postgres' ? 1 : 12);
  });

  it("task:show where no coordinator runs reads the project's settings with the task: one round trip", async () => {
    const { store, plain } = await project();
    await store.tasks.add({ title: 'A', id: 'a', exec: 'true' }, 'test');
    const cost = await costOf(store, () => dispatch('task:show', { id: 'a' }, plain));
    expect(cost).toBe(kind === 'postgres' ? 1 : 12);
  });

  it.skipIf(kind !== 'sqlite')('task:show reads the log of the task shown, not those of the tasks upstream that hold it', async () => {
    const { store, ctx } = await project();
    await store.tasks.add({ title: 'First', id: 'first', exec: 'true' }, 'test');
    await store.tasks.add({ title: 'Second', id: 'second', after: ['first'], exec: 'true' }, 'test');
    await store.tasks.log('first', 'a line of the first', 'test');
    await store.tasks.log('second', 'a line of the second', 'test');
    const statements = await statementsDuring(store.core, () => dispatch('task:show', { id: 'second' }, ctx));
    const logReads = statements.filter((text) => /from "?task_log"?/i.test(text));
    expect(logReads).toHaveLength(1);
    expect(logReads[0]).toMatch(/"?task_id"? = \?/);
    const shown = await dispatch('task:show', { id: 'second' }, ctx);
    expect(shown.log.map((entry) => entry.message)).toContain('a line of the second');
    expect(shown.hold).toBe('waiting on First');
  });

  it('task:list of the whole graph reads the tasks with their dependencies, tags and worktrees: one round trip', async () => {
    const { store, ctx } = await project();
    await store.tasks.add({ title: 'A', id: 'a', tags: ['x'] }, 'test');
    await store.tasks.add({ title: 'B', id: 'b', after: ['a'] }, 'test');
    let listed: Awaited<ReturnType<typeof dispatch<'task:list'>>> | null = null;
    const cost = await costOf(store, async () => {
      listed = await dispatch('task:list', {}, ctx);
    });
    expect(listed).toMatchObject([
      { id: 'a', tags: ['x'] },
      { id: 'b', after: ['a'] },
    ]);
    expect(cost).toBe(kind === 'postgres' ? 1 : 4);
  });
});
