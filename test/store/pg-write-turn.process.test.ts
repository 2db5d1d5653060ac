import { sqlText } from '../helpers/sql-text';
import { afterEach, describe, expect, it } from 'vitest';
import { PgConnection } from '../../src/core/store/postgres/pg-connection';
import { FencedError } from '../../src/core/store/postgres/pg-fence';
import { parseStoreUrl } from '../../src/core/store/postgres/store-url';
import { isContention } from '../../src/core/store/sql-connection';
import { Store } from '../../src/core/store/store';
import { freshSchema } from '../helpers/postgres-server';

/*
 * A write on PostgreSQL takes the project's row lock with its first statement. When that lock's wait runs out
 * (another writer held it too long), the transaction is aborted on the server before any of its work ran: the
 * write ends there, with the lock's own failure, even when the work catches a failure and goes on (the
 * coordinator's turn does, around each of its parts). Nothing further of it reaches the server, which would
 * only answer "current transaction is aborted" (25P02), and nothing of it is kept.
 */
describe('a PostgreSQL write whose turn is not had', () => {
  let store: Store | null = null;
  let other: PgConnection | null = null;
  afterEach(async () => {
    await other?.close();
    await store?.close();
    other = null;
    store = null;
  });

  async function setUp() {
    const { url } = freshSchema('turn');
    store = await Store.open(url);
    await store.tasks.add({ title: 'a', id: 'a' }, 'test');
    // A second connection to the same project: the writer that holds the project's lock meanwhile.
    other = await PgConnection.open(parseStoreUrl(url), 5_000);
    return { store, other };
  }

  /** Runs `work` while `holder` holds the project's write turn (its row lock), in a transaction it rolls back. */
  async function whileHeld<T>(holder: PgConnection, work: () => Promise<T>): Promise<T> {
    let result: T | undefined;
    try {
      await holder.write(async () => {
        // Its row lock taken now: a write's row count not asked for would wait to go with the next statement.
        (await holder.prepare('UPDATE project SET rev = rev WHERE id = 1').run()).changes;
        result = await work();
        throw new Error('holder rolls back');
      });
    } catch (error) {
      if (!(error instanceof Error) || error.message !== 'holder rolls back') throw error;
    }
    return result as T;
  }

  const LOCK_FAILURE = /held the project's write turn for too long/;

  it('ends the write with the lock wait failure, even when the work catches it and goes on', async () => {
    const { store, other } = await setUp();
    const failures: string[] = [];
    let thrown: unknown = null;
    const outcome = await whileHeld(other, async () => {
      try {
        await store.core.batch(
          async () => {
            // The coordinator's turn: each part catches its own failure and the turn goes on.
            for (const part of [() => store.get('a'), () => store.list(), () => store.core.currentRev()]) {
              try {
                await part();
              } catch (error) {
                failures.push((error as Error).message);
              }
            }
          },
          { lockWaitMs: 50 },
        );
        return 'committed';
      } catch (error) {
        thrown = error;
        return (error as Error).message;
      }
    });
    expect(outcome).toMatch(LOCK_FAILURE);
    // It gave way to another writer: the coordinator logs such a turn as contention, not as an error.
    expect(isContention(thrown)).toBe(true);
    expect(failures.length).toBeGreaterThan(0);
    for (const failure of failures) expect(failure).toMatch(LOCK_FAILURE);
    // The project writes as before once the turn is free.
    await store.tasks.add({ title: 'b', id: 'b' }, 'test');
    expect((await store.get('b')).title).toBe('b');
  });

  it('ends the write so when the first statement is a write of its own inside it (a savepoint) that is caught', async () => {
    const { store, other } = await setUp();
    const failures: string[] = [];
    const outcome = await whileHeld(other, async () => {
      try {
        await store.core.batch(
          async () => {
            try {
              await store.core.write(() => sqlText(store.core, "UPDATE tasks SET title = 'changed' WHERE id = 'a'").run());
            } catch (error) {
              failures.push((error as Error).message);
            }
            try {
              await store.list();
            } catch (error) {
              failures.push((error as Error).message);
            }
          },
          { lockWaitMs: 50 },
        );
        return 'committed';
      } catch (error) {
        return (error as Error).message;
      }
    });
    expect(outcome).toMatch(LOCK_FAILURE);
    expect(failures).toHaveLength(2);
    for (const failure of failures) expect(failure).toMatch(LOCK_FAILURE);
    expect((await store.get('a')).title).toBe('a');
  });

  it('ends a fenced write with the fence refusal, even when the work catches it and goes on', async () => {
    const { store, other } = await setUp();
    const conn = store.core.conn as PgConnection;
    // A fence that always refuses: the check fails as a lapsed lease's does (division by zero).
    conn.setFence({ check: { text: 'SELECT 1 / 0' }, refusal: 'another coordinator holds the project' });
    let thrown: unknown = null;
    try {
      await store.core.batch(async () => {
        try {
          await store.get('a');
        } catch {
          // Caught, as a turn's part does.
        }
        await store.list();
      });
    } catch (error) {
      thrown = error;
    }
    conn.setFence(null);
    expect(thrown).toBeInstanceOf(FencedError);
    expect(isContention(thrown)).toBe(false);
    expect(await other.prepare('SELECT title FROM tasks WHERE id = $1').pluck().get('a')).toBe('a');
  });
});
