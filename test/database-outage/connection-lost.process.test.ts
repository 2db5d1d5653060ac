import { sqlText } from '../helpers/sql-text';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Store } from '../../src/core/store/store';
import { ContentionError, isConnectionLost, isContention } from '../../src/core/store/sql-connection';
import { WgError } from '../../src/shared/errors';
import { type PgServer, startPostgresServer } from '../helpers/postgres-server';

/*
 * isConnectionLost, the one predicate every part of the coordinator that writes from an event keys its handling of a
 * database outage on, against the errors the PostgreSQL store really throws: a server stopped (a restart or failover
 * under way), and a connection ended by the server in the middle of a write. What is no outage (a statement the server
 * refuses, another writer's turn, the app's own refusals, an error that only says the same words) must not pass for
 * one, or a fault would be waited out for ever.
 */

let server: PgServer;

beforeAll(() => {
  server = startPostgresServer();
}, 60_000);

afterAll(() => server?.stop());

/** What `work` failed with (the test fails if it did not fail). */
async function thrown(work: () => Promise<unknown>): Promise<unknown> {
  try {
    await work();
  } catch (error) {
    return error;
  }
  throw new Error('expected a failure, and none came');
}

const touch = (store: Store) => store.core.write(() => sqlText(store.core, 'UPDATE project SET rev = rev WHERE id = 1').run());

describe('isConnectionLost, on the PostgreSQL store', () => {
  it('is true of a read and a write while the server is stopped, and the same store works again once it is back', async () => {
    const store = await Store.open(server.url({ schema: 'stopped' }));
    try {
      await touch(store);
      server.down();
      let read: unknown;
      let write: unknown;
      try {
        read = await thrown(() => store.core.currentRev());
        write = await thrown(() => touch(store));
      } finally {
        server.up();
      }
      expect(isConnectionLost(read), String(read)).toBe(true);
      expect(isConnectionLost(write), String(write)).toBe(true);
      // Not another writer's turn: that is waited for by other rules.
      expect(isContention(write)).toBe(false);
      // Back: the very same store answers (nothing to reopen), which is what retrying relies on.
      await expect(touch(store)).resolves.toBeDefined();
    } finally {
      await store.close();
    }
  }, 60_000);

  it('is true of a write whose connection the server ended midway (pg_terminate_backend from another session)', async () => {
    const store = await Store.open(server.url({ schema: 'terminated' }));
    try {
      await touch(store);
      const cut = await thrown(() =>
        store.core.write(async () => {
          // A read inside the write has begun its transaction on the server.
          await store.core.currentRev();
          server.psql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'wg'");
          await sqlText(store.core, 'UPDATE project SET rev = rev WHERE id = 1').run();
          await store.core.currentRev();
        }),
      );
      expect(isConnectionLost(cut), String(cut)).toBe(true);
      await expect(touch(store)).resolves.toBeDefined();
    } finally {
      await store.close();
    }
  }, 60_000);

  it("is false of what is no outage: a statement the server refuses, another writer's turn, the app's own refusals", async () => {
    const url = server.url({ schema: 'faults' });
    const store = await Store.open(url);
    const other = await Store.open(url);
    try {
      const refused = await thrown(() => sqlText(store.core, 'SELECT no_such_column FROM project').get());
      expect(isConnectionLost(refused), String(refused)).toBe(false);
      // Another coordinator holds the project's write turn past this write's wait: its turn, not an outage.
      const gaveWay = await thrown(() =>
        store.core.write(async () => {
          await sqlText(store.core, 'UPDATE project SET rev = rev WHERE id = 1').run();
          await store.core.currentRev();
          await other.core.conn.write(() => sqlText(other.core, 'UPDATE project SET rev = rev WHERE id = 1').run(), { lockWaitMs: 200 });
        }),
      );
      expect(isContention(gaveWay), String(gaveWay)).toBe(true);
      expect(isConnectionLost(gaveWay)).toBe(false);
      expect(isConnectionLost(new ContentionError('the change met another at the same moment and was undone; try again'))).toBe(false);
      expect(isConnectionLost(new WgError('unavailable', 'the coordinator is stopping'))).toBe(false);
      // The words alone are no outage: only what the store made of a lost connection is.
      expect(isConnectionLost(new WgError('unavailable', 'lost the connection to the PostgreSQL server of x; try again'))).toBe(false);
      expect(isConnectionLost(new Error('lost the connection to the PostgreSQL server of x; try again'))).toBe(false);
      expect(isConnectionLost(null)).toBe(false);
    } finally {
      await other.close();
      await store.close();
    }
  }, 60_000);
});
