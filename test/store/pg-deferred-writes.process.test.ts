import { sqlText } from '../helpers/sql-text';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Store } from '../../src/core/store/store';
import { freshSchema } from '../helpers/postgres-server';

/**
 * On PostgreSQL each statement is a round trip from the store's thread to the server (through the database worker).
 * A write whose row count nobody asks for travels with the next statement, its savepoint's end or the commit: a
 * coordinator's turn of several writes in a row pays one round trip for them. What it changes, what it counts and
 * where its failure is met stay as when each write went at once.
 */
const { url } = freshSchema('deferred');
let store: Store;
/** The round trips the connection makes (the run-hop channel's d-sql hops, each naming the statements sent together). */
const trips: string[] = [];
const onHop = (message: unknown) => {
  const { event, key } = message as { event: string; key: string };
  if (event === 'd-sql') trips.push(key);
};

beforeAll(async () => {
  store = await Store.open(url);
  for (const id of ['a', 'b', 'c']) await store.tasks.add({ title: id, id }, 'test');
  subscribe('workgraph:run-hop', onHop);
}, 120_000);

afterAll(async () => {
  unsubscribe('workgraph:run-hop', onHop);
  await store.close();
});

describe('writes whose row count is not asked for (PostgreSQL)', () => {
  it('go together with what follows them: three writes and the commit in one round trip after the lock', async () => {
    const core = store.core;
    trips.length = 0;
    await core.batch(async () => {
      await core.write(async (rev) => {
        const retitle = sqlText(core, 'UPDATE tasks SET title = ?, rev = ? WHERE id = ?');
        for (const id of ['a', 'b', 'c']) await retitle.send(`${id}!`, rev, id);
      });
    });
    // The lock with the revision's bump (which returns a row), then the three writes with the savepoint's end, then
    // the announcement and the commit.
    expect(trips, trips.join('\n')).toHaveLength(3);
    expect(trips[1]?.match(/UPDATE_tasks_SET_title/g)).toHaveLength(3);
    expect((await store.list()).map((task) => task.title)).toEqual(['a!', 'b!', 'c!']);
  });

  it('count their rows when asked, at once', async () => {
    const core = store.core;
    const counted = await core.batch(() =>
      core.write(async (rev) => {
        const first = await sqlText(core, "UPDATE tasks SET rev = ? WHERE id IN ('a', 'b')").run(rev);
        const none = await sqlText(core, "UPDATE tasks SET rev = ? WHERE id = 'nothing'").run(rev);
        return [first.changes, none.changes];
      }),
    );
    expect(counted).toEqual([2, 0]);
  });

  it('fail inside their own savepoint: that write is undone alone and the batch goes on', async () => {
    const core = store.core;
    let failure = '';
    await core.batch(async () => {
      try {
        await core.write(async () => {
          await sqlText(core, "UPDATE tasks SET title = 'kept only if all is' WHERE id = 'a'").run();
          // A second row with task a's id: refused by the server, at the savepoint's end.
          await sqlText(core, "INSERT INTO tasks (id, title) VALUES ('a', 'twice')").run();
        });
      } catch (error) {
        failure = (error as Error).message;
      }
      await core.write((rev) => sqlText(core, "UPDATE tasks SET title = 'after', rev = ? WHERE id = 'c'").run(rev));
    });
    expect(failure).not.toBe('');
    expect((await store.get('a')).title).toBe('a!');
    expect((await store.get('c')).title).toBe('after');
  });
});
