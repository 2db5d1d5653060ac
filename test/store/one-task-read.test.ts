import { afterEach, describe, expect, it } from 'vitest';
import { appendLog } from '../../src/core/store/task-writes';
import { statementsDuring } from '../helpers/statements';
import { STORE_KINDS, tempStore } from '../helpers/temp-store';

describe.each(STORE_KINDS)('on %s', (kind) => {
  let env: Awaited<ReturnType<typeof tempStore>>;
  afterEach(() => env?.dispose());

  it('reads one whole task (a claim reads one) in three statements: its row, its log, dependencies and tags, its worktree', async () => {
    env = await tempStore(undefined, kind);
    const { store } = env;
    await store.tasks.add({ title: 'A', id: 'a' }, 'test');
    await store.tasks.add({ title: 'B', id: 'b' }, 'test');
    await store.tasks.add({ title: 'T', id: 't', after: ['b', 'a'], tags: ['y', 'x'] }, 'test');
    await store.tasks.add({ title: 'U', id: 'u', after: ['t'], tags: ['z'] }, 'test');
    for (const line of ['first', 'second', 'third']) await store.core.write(() => appendLog(store.core, 't', 'coordinator', line));

    let one: Awaited<ReturnType<typeof store.get>> | undefined;
    const statements = await statementsDuring(store.core, async () => {
      one = await store.get('t');
    });
    expect(statements).toHaveLength(3);
    // The same task as a read of many gives it.
    expect(one).toEqual((await store.list()).find((task) => task.id === 't'));
    expect(one?.after.toSorted()).toEqual(['a', 'b']);
    expect(one?.tags.toSorted()).toEqual(['x', 'y']);
    expect(one?.log.slice(-3).map((entry) => entry.message)).toEqual(['first', 'second', 'third']);
  });
});
