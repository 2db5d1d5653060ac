import { describe, expect, it } from 'vitest';
import { STORE_KINDS, storesPerTest } from '../helpers/temp-store';
import { roundTripsDuring } from '../helpers/round-trips';

/**
 * Reads asked for soon (StoreCore.soon): each answers with its own rows, as `all` does, and on PostgreSQL reads that do
 * not depend on one another reach the server in one round trip inside a transaction. Counted as the coordinator's
 * turn is (test/runs/turn-round-trips.test.ts): each batch of statements sent to the server is one `d-sql` hop.
 */
describe.each(STORE_KINDS)('reads asked for soon, on %s', (kind) => {
  const newStore = storesPerTest(kind);

  async function twoTasks() {
    const t = await newStore();
    await t.store.tasks.add({ id: 'a', title: 'A' }, 'test');
    await t.store.tasks.add({ id: 'b', title: 'B', after: ['a'] }, 'test');
    return t.store;
  }

  const BY_ID = 'SELECT id, status FROM tasks WHERE id = ?';

  it('answers each read with its own rows; two of them are one round trip fewer than two reads at once', async () => {
    const store = await twoTasks();
    const core = store.core;
    const atOnce = await roundTripsDuring(() =>
      core.conn.read(async () => {
        expect(await core.sql(BY_ID).all('a')).toEqual([{ id: 'a', status: 'open' }]);
        expect(await core.sql(BY_ID).all('b')).toEqual([{ id: 'b', status: 'open' }]);
      }),
    );
    const soon = await roundTripsDuring(() =>
      core.conn.read(async () => {
        const a = await core.soon(BY_ID, 'a');
        const b = await core.soon(BY_ID, 'b');
        expect(await b()).toEqual([{ id: 'b', status: 'open' }]);
        expect(await a()).toEqual([{ id: 'a', status: 'open' }]);
      }),
    );
    // PostgreSQL: at once, the opening with the first read and then the second; soon, the opening with both. The read's
    // end is not waited for.
    if (kind === 'postgres') expect([atOnce, soon]).toEqual([2, 1]);
    else expect([atOnce, soon]).toEqual([0, 0]);
  });

  it('answers a read asked for inside a write with what the write had done by then, even when looked at after the commit', async () => {
    const store = await twoTasks();
    const core = store.core;
    const seen = await core.conn.write(async () => {
      await core.sql("UPDATE tasks SET status = 'done' WHERE id = 'a'").run();
      return core.soon<{ id: string; status: string }>(BY_ID, 'a');
    });
    expect(await seen()).toEqual([{ id: 'a', status: 'done' }]);
    expect((await store.get('a')).status).toBe('done');
  });

  it('outside a transaction reads at once', async () => {
    const store = await twoTasks();
    const core = store.core;
    let rows: unknown[] = [];
    const trips = await roundTripsDuring(async () => {
      rows = await (await core.soon(BY_ID, 'b'))();
    });
    expect(rows).toEqual([{ id: 'b', status: 'open' }]);
    expect(trips).toBe(kind === 'postgres' ? 1 : 0);
  });

  it.runIf(kind === 'postgres')(
    'a read sent in a savepoint that is then undone answers what it read then, and the write goes on',
    async () => {
      const store = await twoTasks();
      const core = store.core;
      let lost: (() => Promise<unknown[]>) | null = null;
      await core.conn.write(async () => {
        await expect(() =>
          core.conn.write(async () => {
            lost = await core.soon(BY_ID, 'a');
            throw new Error('undone');
          }),
        ).rejects.toThrow('undone');
        await core.sql("UPDATE tasks SET status = 'done' WHERE id = 'b'").run();
      });
      // Sent at once, it was answered before the savepoint's undoing reached the server.
      expect(await (lost as unknown as () => Promise<unknown[]>)()).toEqual([{ id: 'a', status: 'open' }]);
      expect((await store.get('b')).status).toBe('done');
    },
  );
});
