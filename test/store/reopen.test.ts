import { afterEach, describe, expect, it } from 'vitest';
import { wrongBlockerCounts } from '../../src/core/store/dependency-writes';
import { requireTaskRow } from '../../src/core/store/task-reads';
import { reopen, transition } from '../../src/core/store/task-writes';
import { STORE_KINDS, tempStore } from '../helpers/temp-store';

/*
 * `reopen` (store/task-writes.ts): the one transition every way of opening a task again for another attempt takes (a
 * retry, a requeue, a killed or dead run's task, a rescue, a reset, a schedule's next occurrence). What it clears is
 * always the same; what the caller keeps or clears beside is its own.
 */
describe.each(STORE_KINDS)('reopen, on %s', (kind) => {
  let env: Awaited<ReturnType<typeof tempStore>>;
  afterEach(() => env?.dispose());

  it('opens a claimed task, no one its holder and no start, and leaves what it is not given as it was', async () => {
    env = await tempStore(undefined, kind);
    const { store } = env;
    await store.tasks.add({ id: 'build', title: 'Build' }, 't');
    await store.tasks.claim('build', 'agent-1', 'coordinator');
    await store.core.write(async (rev) =>
      transition(
        store.core,
        await requireTaskRow(store.core, 'build'),
        { failure_reason: 'rate limited', session_id: 's-1', retry_count: 2 },
        rev,
      ),
    );
    const rev = await store.core.write(async (rev) => {
      await reopen(store.core, await requireTaskRow(store.core, 'build'), rev);
      return rev;
    });
    const task = await store.get('build');
    expect(task).toMatchObject({ status: 'open', assigned: null, started_at: null, rev });
    expect(task).toMatchObject({ failure_reason: 'rate limited', session_id: 's-1', retry_count: 2 });
  });

  it('writes what the caller gives beside, in the same change', async () => {
    env = await tempStore(undefined, kind);
    const { store } = env;
    await store.tasks.add({ id: 'build', title: 'Build' }, 't');
    await store.tasks.claim('build', 'agent-1', 'coordinator');
    await store.core.write(async (rev) =>
      transition(store.core, await requireTaskRow(store.core, 'build'), { failure_reason: 'rate limited', session_id: 's-1' }, rev),
    );
    await store.core.write(async (rev) =>
      reopen(store.core, await requireTaskRow(store.core, 'build'), rev, {
        failure_reason: null,
        session_id: null,
        retry_count: 3,
        not_before: '2026-03-02T00:00:00.000Z',
        paused: true,
      }),
    );
    expect(await store.get('build')).toMatchObject({
      status: 'open',
      assigned: null,
      failure_reason: null,
      session_id: null,
      retry_count: 3,
      not_before: '2026-03-02T00:00:00.000Z',
      paused: true,
    });
  });

  it('holds up the dependents of a task that was done again, their blocker counts moved with it', async () => {
    env = await tempStore(undefined, kind);
    const { store } = env;
    await store.tasks.add({ id: 'migrate', title: 'Migrate' }, 't');
    await store.tasks.add({ id: 'deploy', title: 'Deploy', after: ['migrate'] }, 't');
    await store.tasks.done('migrate', {}, 't');
    expect((await store.ready()).map((task) => task.id)).toEqual(['deploy']);
    await store.core.write(async (rev) => reopen(store.core, await requireTaskRow(store.core, 'migrate'), rev, { completed_at: null }));
    expect((await store.ready()).map((task) => task.id)).toEqual(['migrate']);
    expect(await wrongBlockerCounts(store.core)).toEqual([]);
  });
});
