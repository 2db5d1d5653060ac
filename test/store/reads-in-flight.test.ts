import { sqlText } from '../helpers/sql-text';
import { inFlight } from '../../src/core/store/in-flight';
import type { StoreCore } from '../../src/core/store/store-core';
import { describe, expect, it } from 'vitest';
import { STORE_KINDS, storesPerTest } from '../helpers/temp-store';
import { roundTripsDuring } from '../helpers/round-trips';

/**
 * Reads in flight (sent when called, awaited later: inFlight): each answers with its own rows, and on PostgreSQL reads
 * that do not depend on one another reach the server in one round trip inside a transaction. Counted as the coordinator's
 * turn is (test/runs/turn-round-trips.test.ts): each batch of statements sent to the server is one `d-sql` hop.
 */
describe.each(STORE_KINDS)('reads in flight, on %s', (kind) => {
  const newStore = storesPerTest(kind);

  async function twoTasks() {
    const t = await newStore();
    await t.store.tasks.add({ id: 'a', title: 'A' }, 'test');
    await t.store.tasks.add({ id: 'b', title: 'B', after: ['a'] }, 'test');
    return t.store;
  }

  const byId = (core: StoreCore, id: string) => core.all(core.build.selectFrom('tasks').select(['id', 'status']).where('id', '=', id));

  it('answers each read with its own rows; two of them are one round trip fewer than two reads at once', async () => {
    const store = await twoTasks();
    const core = store.core;
    const atOnce = await roundTripsDuring(() =>
      core.conn.read(async () => {
        expect(await byId(core, 'a')).toEqual([{ id: 'a', status: 'open' }]);
        expect(await byId(core, 'b')).toEqual([{ id: 'b', status: 'open' }]);
      }),
    );
    const together = await roundTripsDuring(() =>
      core.conn.read(async () => {
        const a = inFlight(byId(core, 'a'));
        const b = inFlight(byId(core, 'b'));
        expect(await b).toEqual([{ id: 'b', status: 'open' }]);
        expect(await a).toEqual([{ id: 'a', status: 'open' }]);
      }),
    );
    // PostgreSQL: at once, the opening with the first read and then the second; in flight together, the opening with both. The read's
    // end is not waited for.
    if (kind === 'postgres') expect([atOnce, together]).toEqual([2, 1]);
    else expect([atOnce, together]).toEqual([0, 0]);
  });

  it('answers a read asked for inside a write with what the write had done by then, even when looked at after the commit', async () => {
    const store = await twoTasks();
    const core = store.core;
    const seen = await core.conn.write(async () => {
      await sqlText(core, "UPDATE tasks SET status = 'done' WHERE id = 'a'").run();
      return { rows: inFlight(byId(core, 'a')) };
    });
    expect(await seen.rows).toEqual([{ id: 'a', status: 'done' }]);
    expect((await store.get('a')).status).toBe('done');
  });

  it('outside a transaction reads at once', async () => {
    const store = await twoTasks();
    const core = store.core;
    let rows: unknown[] = [];
    const trips = await roundTripsDuring(async () => {
      rows = await byId(core, 'b');
    });
    expect(rows).toEqual([{ id: 'b', status: 'open' }]);
    expect(trips).toBe(kind === 'postgres' ? 1 : 0);
  });

  it.runIf(kind === 'postgres')(
    'a read sent in a savepoint that is then undone answers what it read then, and the write goes on',
    async () => {
      const store = await twoTasks();
      const core = store.core;
      const lost: { rows: Promise<unknown[]> | null } = { rows: null };
      await core.conn.write(async () => {
        await expect(() =>
          core.conn.write(async () => {
            lost.rows = inFlight(byId(core, 'a'));
            throw new Error('undone');
          }),
        ).rejects.toThrow('undone');
        await sqlText(core, "UPDATE tasks SET status = 'done' WHERE id = 'b'").run();
      });
      // Sent at once, it was answered before the savepoint's undoing reached the server.
      expect(await lost.rows).toEqual([{ id: 'a', status: 'open' }]);
      expect((await store.get('b')).status).toBe('done');
    },
  );
});
