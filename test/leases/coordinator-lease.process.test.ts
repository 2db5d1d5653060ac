import { afterEach, describe, expect, it, vi } from 'vitest';
import { CoordinatorLease, type CoordinatorIdentity } from '../../src/core/leases/coordinator-lease';
import type { PgConnection } from '../../src/core/store/postgres/pg-connection';
import { FencedError } from '../../src/core/store/postgres/pg-fence';
import { parseStoreUrl } from '../../src/core/store/postgres/store-url';
import { Store } from '../../src/core/store/store';
import { copyStore } from '../../src/core/store/store-copy';
import { freshSchema } from '../helpers/postgres-server';

/*
 * The coordinator lease of a team's graph, on a real PostgreSQL server: one holder at a time, a standby
 * that takes over only once the holder's lease has lapsed by the database's clock, and the fence that
 * makes every later write of the holder taken over commit nothing.
 */

const open: Array<{ close(): void }> = [];
afterEach(() => {
  vi.useRealTimers();
  for (const thing of open.splice(0)) thing.close();
});

function setup(ttlMs = 10_000) {
  const { url, psql, schema } = freshSchema('lease');
  const store = new Store(url);
  open.push(store);
  const target = parseStoreUrl(url);
  const lease = (id: string, pid: number): CoordinatorLease => {
    const me: CoordinatorIdentity = { id, host: 'machine', folder: `/work/${id}`, pid };
    const made = new CoordinatorLease(target, me, ttlMs);
    open.push(made);
    made.join();
    return made;
  };
  return { store, lease, psql, schema };
}

describe('the coordinator lease', () => {
  it('has one holder; a second coordinator waits as a standby while the holder renews', () => {
    const { lease } = setup();
    const a = lease('a', 1);
    const b = lease('b', 2);
    expect(a.take()).toEqual({ taken: true, epoch: 1 });
    const refused = b.take();
    expect(refused.taken).toBe(false);
    expect(refused.taken === false && refused.leftMs).toBeGreaterThan(9_000);
    expect(a.renewHolder()).toBe(true);
    expect(b.renewStandby()).toBeGreaterThan(9_000);
    const members = a.members();
    expect(members.map((m) => [m.id, m.role, m.epoch, m.folder])).toEqual([
      ['a', 'holder', 1, '/work/a'],
      ['b', 'standby', 0, '/work/b'],
    ]);
  });

  it('is judged by the database clock, not this machine: a local clock far ahead takes nothing', () => {
    const { lease } = setup();
    const a = lease('a', 1);
    const b = lease('b', 2);
    a.take();
    vi.useFakeTimers({ now: Date.now() + 3_600_000, toFake: ['Date'] });
    expect(b.renewStandby()).toBeGreaterThan(5_000);
    expect(b.take().taken).toBe(false);
  });

  it('passes to a standby once the holder stops renewing, with the next epoch; the old holder then renews nothing', async () => {
    const { lease } = setup(300);
    const a = lease('a', 1);
    const b = lease('b', 2);
    a.take();
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(b.renewStandby()).toBe(0);
    expect(b.take()).toEqual({ taken: true, epoch: 2 });
    expect(a.renewHolder()).toBe(false);
    expect(a.members().find((m) => m.role === 'holder')?.id).toBe('b');
  });

  it('fences the old holder: its writes after the takeover commit nothing, and say why in one line', async () => {
    const { store, lease, psql, schema } = setup(300);
    const a = lease('a', 1);
    const b = lease('b', 2);
    a.take();
    const conn = store.core.conn as PgConnection;
    conn.setFence(a.fence());
    store.tasks.add({ title: 'before', id: 'before' }, 'test');
    await new Promise((resolve) => setTimeout(resolve, 400));
    b.take();
    let refusal: unknown = null;
    try {
      store.tasks.add({ title: 'after', id: 'after' }, 'test');
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toBeInstanceOf(FencedError);
    expect((refusal as Error).message).toBe(
      "this coordinator no longer holds the project's lease (epoch 1): another one took over; nothing was written",
    );
    expect(psql(`SELECT string_agg(id, ',' ORDER BY id) FROM ${schema}.tasks`).trim()).toBe('before');
    // The new holder's writes go through.
    conn.setFence(b.fence());
    store.tasks.add({ title: 'after', id: 'after' }, 'test');
    expect(store.list().map((t) => t.id)).toEqual(['before', 'after']);
  });

  it("goes back to a folder's own coordinator restarted there at once, without waiting for its lease to lapse", () => {
    const { lease } = setup();
    const before = lease('a', 1);
    before.take();
    lease('b', 3);
    const restarted = lease('a', 2);
    expect(restarted.take()).toEqual({ taken: true, epoch: 2 });
    expect(before.renewHolder()).toBe(false);
  });

  it('never gives an epoch twice, even once the rows of the coordinators that held it are gone', () => {
    const { lease } = setup();
    const a = lease('a', 1);
    const b = lease('b', 2);
    expect(a.take()).toEqual({ taken: true, epoch: 1 });
    a.leave();
    expect(b.take()).toEqual({ taken: true, epoch: 2 });
    b.leave();
    a.join();
    expect(a.take()).toEqual({ taken: true, epoch: 3 });
  });

  it('a holder stepping down ends its lease at once: a standby takes it without waiting', () => {
    const { lease } = setup();
    const a = lease('a', 1);
    const b = lease('b', 2);
    a.take();
    a.leave();
    expect(b.renewStandby()).toBe(0);
    expect(b.take().taken).toBe(true);
    expect(b.members().map((m) => m.id)).toEqual(['b']);
  });

  it('stays with its store: a copy of the project elsewhere (wg store copy) starts with no coordinators', () => {
    const { store, lease } = setup();
    lease('a', 1).take();
    store.tasks.add({ title: 'kept', id: 'kept' }, 'test');
    const elsewhere = freshSchema('lease_copy');
    copyStore(store, elsewhere.url);
    expect(elsewhere.psql(`SELECT count(*) FROM ${elsewhere.schema}.coordinators`).trim()).toBe('0');
    expect(elsewhere.psql(`SELECT id FROM ${elsewhere.schema}.tasks`).trim()).toBe('kept');
  });
});
