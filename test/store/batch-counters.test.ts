import { sqlText } from '../helpers/sql-text';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { parseStoreUrl } from '../../src/core/store/postgres/store-url';
import { Store } from '../../src/core/store/store';
import { roundTripsDuring } from '../helpers/round-trips';
import { STORE_KINDS, storesPerTest } from '../helpers/temp-store';

/**
 * The ids a batch gives out (StoreCore.bump of agent_seq inside `batch`, as a coordinator's turn claims): the counters
 * are read with the batch's opening, so its first id costs no round trip of its own on PostgreSQL, and the ids follow
 * on from the last one committed whatever the batch's writes do: undone, raising a counter, or another process's
 * batch in between.
 */
describe.each(STORE_KINDS)('ids given out in a batch, on %s', (kind) => {
  const newStore = storesPerTest(kind);
  const seq = async (store: Store) =>
    Number((await sqlText<{ value: number }>(store.core, "SELECT value FROM meta WHERE key = 'agent_seq'").get())?.value);
  const nextId = (store: Store) => store.core.write(() => store.core.bump('agent_seq'));

  it('follow on from the last one, the first taking no round trip of its own', async () => {
    const { store } = await newStore();
    const before = await seq(store);
    let ids: number[] = [];
    const trips = await roundTripsDuring(async () => {
      ids = await store.core.batch(async () => [await nextId(store), await nextId(store), await nextId(store)], { pipelined: true });
    });
    expect(ids).toEqual([before + 1, before + 2, before + 3]);
    expect(await seq(store)).toBe(before + 3);
    // PostgreSQL, pipelined as a coordinator's turn: the opening (the revision and the counters) and the commit, with
    // the ids' writes (3 when the first id was read by itself); SQLite makes none.
    expect(trips).toBe(kind === 'postgres' ? 2 : 0);
  });

  it('give back what an undone write took, before or after the first id', async () => {
    const { store } = await newStore();
    const before = await seq(store);
    const undone = (takeId: boolean) => () =>
      store.core.write(async () => {
        if (takeId) await store.core.bump('agent_seq');
        throw new Error('undone');
      });
    const ids = await store.core.batch(async () => {
      await expect(undone(false)).rejects.toThrow('undone');
      const first = await nextId(store);
      await expect(undone(true)).rejects.toThrow('undone');
      return [first, await nextId(store)];
    });
    expect(ids).toEqual([before + 1, before + 2]);
    expect(await seq(store)).toBe(before + 2);
    // The write that takes the batch's first id undone: the next one is that id again.
    const again = await store.core.batch(async () => {
      await expect(undone(true)).rejects.toThrow('undone');
      return nextId(store);
    });
    expect(again).toBe(before + 3);
  });

  it('take up a counter raised in the batch, before or after the first id', async () => {
    const { store } = await newStore();
    const before = await seq(store);
    const ids = await store.core.batch(async () => {
      await store.core.write(() => store.core.raise('agent_seq', before + 10));
      const first = await nextId(store);
      await store.core.write(() => store.core.raise('agent_seq', before + 20));
      return [first, await nextId(store)];
    });
    expect(ids).toEqual([before + 11, before + 21]);
  });

  // The counters are read under the write turn, not before it: a batch that opens while another process holds the
  // turn and gives out an id reads the counters as that process committed them.
  it.runIf(kind === 'postgres')('take up what another process gave out while the batch waited for the write turn', async () => {
    const { store, location } = await newStore();
    const before = await seq(store);
    const { connectionString, schema } = parseStoreUrl(location);
    const other = new pg.Client({ connectionString });
    // Watched from a connection of its own made beforehand: the other writer's sleep must be seen while it lasts, and
    // a first query through a new session can take longer than that on a loaded machine.
    const watcher = new pg.Client({ connectionString });
    await Promise.all([other.connect(), watcher.connect()]);
    try {
      // One message the server runs whole, its commit included, while this thread waits on the batch.
      const held = other.query(
        `SET search_path = "${schema}"; BEGIN; SELECT rev FROM project WHERE id = 1 FOR UPDATE;
         UPDATE meta SET value = value + 1 WHERE key = 'agent_seq'; SELECT pg_sleep(2); COMMIT;`,
      );
      const asleep = async () =>
        (
          await watcher.query<{ n: number }>(
            `SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event = 'PgSleep' AND query LIKE '%agent_seq%'`,
          )
        ).rows[0]?.n === 1;
      for (const at = Date.now(); !(await asleep()); await new Promise((resolve) => setTimeout(resolve, 20))) {
        if (Date.now() - at > 10_000) throw new Error('the other writer never took the turn');
      }
      expect(await store.core.batch(() => nextId(store), { pipelined: true })).toBe(before + 2);
      await held;
    } finally {
      await Promise.all([other.end(), watcher.end()]);
    }
  });

  it('take up what another process gave out between two batches', async () => {
    const { store, location } = await newStore();
    const other = await Store.open(location);
    try {
      const before = await seq(store);
      expect(await store.core.batch(() => nextId(store))).toBe(before + 1);
      expect(await other.core.batch(() => nextId(other))).toBe(before + 2);
      expect(await store.core.batch(() => nextId(store))).toBe(before + 3);
    } finally {
      await other.close();
    }
  });
});
