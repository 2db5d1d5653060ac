import { spawnSync } from 'node:child_process';
import { hostname } from 'node:os';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CoordinatorLease, type CoordinatorIdentity } from '../../src/core/leases/coordinator-lease';
import { performance } from 'node:perf_hooks';
import { PgConnection } from '../../src/core/store/postgres/pg-connection';
import { FencedError } from '../../src/core/store/postgres/pg-fence';
import { parseStoreUrl } from '../../src/core/store/postgres/store-url';
import { Store } from '../../src/core/store/store';
import { copyStore } from '../../src/core/store/store-copy';
import { freshSchema } from '../helpers/postgres-server';

/*
 * The coordinators' leases of a team's graph, on a real PostgreSQL server: every coordinator active with a
 * lease of its own, a sweep that declares one lost only once its lease lapsed past the grace by the database's
 * clock (never waiting on another sweep), and the fence that makes every later write of a lost one commit nothing.
 */

const open: Array<{ close(): void }> = [];
afterEach(() => {
  vi.useRealTimers();
  for (const thing of open.splice(0)) thing.close();
});

async function setup(ttlMs = 10_000) {
  const { url, psql, schema } = freshSchema('lease');
  const store = await Store.open(url);
  open.push(store);
  const target = parseStoreUrl(url);
  const lease = async (id: string, pid: number, clock?: () => number, capacity?: () => number): Promise<CoordinatorLease> => {
    const me: CoordinatorIdentity = { id, host: 'machine', folder: `/work/${id}`, pid, ...(capacity ? { capacity } : {}) };
    const made = await CoordinatorLease.open(target, me, ttlMs, clock);
    open.push(made);
    await made.join();
    return made;
  };
  return { store, lease, psql, schema, target };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The sweeper's own clock where these tests sleep past its lease too: it saw no lapse of its own (as one renewing
 * every 2 s would not), so it judges the others at once; one back from a lapse of its own waits (see that test).
 */
const steady = () => 0;

describe("the coordinators' leases", () => {
  it('makes every coordinator active at once, each with an epoch of its own, each renewing its own', async () => {
    const { lease } = await setup();
    const a = await lease('a', 1);
    const b = await lease('b', 2);
    const c = await lease('c', 3);
    expect([a.epoch, b.epoch, c.epoch]).toEqual([1, 2, 3]);
    expect(await a.renew()).toBe(true);
    expect(await b.renew()).toBe(true);
    expect(await c.renew()).toBe(true);
    expect((await a.members()).map((m) => [m.id, m.role, m.epoch, m.folder])).toEqual([
      ['a', 'active', 1, '/work/a'],
      ['b', 'active', 2, '/work/b'],
      ['c', 'active', 3, '/work/c'],
    ]);
    expect(await a.sweep()).toEqual([]);
  });

  it("says each live coordinator's capacity at every renewal; a lapsed lease's is left out (the team's cap is shared by these)", async () => {
    // A lease long enough that a loaded machine's pause between two of these steps does not lapse one (at 300 ms a
    // run under load saw only b's); b's is let lapse on purpose below.
    const { lease } = await setup(1500);
    let room = 4;
    const a = await lease('a', 1, undefined, () => room);
    const b = await lease('b', 2, undefined, () => 2);
    expect(b.capacities.sort()).toEqual([2, 4]);
    // Paused, say: 0 from its next renewal on.
    room = 0;
    expect(await a.renew()).toBe(true);
    expect(await b.renew()).toBe(true);
    expect(b.capacities.sort()).toEqual([0, 2]);
    // One that says none (an older coordinator) is there as null.
    await lease('c', 3);
    expect(await a.renew()).toBe(true);
    expect(a.capacities).toHaveLength(3);
    expect(a.capacities).toContain(null);
    // b's lease lapses: the others no longer count it (c's too: it renews no more either).
    await sleep(1600);
    expect(await a.renew()).toBe(true);
    expect(a.capacities).toEqual([0]);
  });

  it('is judged by the database clock, not this machine: a local clock far ahead declares nobody lost', async () => {
    const { lease } = await setup();
    const a = await lease('a', 1);
    await lease('b', 2);
    vi.useFakeTimers({ now: Date.now() + 3_600_000, toFake: ['Date'] });
    expect(await a.sweep()).toEqual([]);
    expect((await a.members()).every((m) => m.role === 'active')).toBe(true);
  });

  it('declares a coordinator lost only once its lease lapsed past the grace, at the next epoch of its own; it then renews nothing', async () => {
    const { lease } = await setup(300);
    const a = await lease('a', 1, steady);
    const b = await lease('b', 2);
    await sleep(400);
    // Lapsed, but not for the grace yet.
    expect(await a.renew()).toBe(true);
    expect(await a.sweep(1_000)).toEqual([]);
    await sleep(300);
    expect(await a.renew()).toBe(true);
    expect(await a.sweep(100)).toEqual(['b']);
    expect(await b.renew()).toBe(false);
    const lost = (await a.members()).find((m) => m.id === 'b');
    expect([lost?.role, lost?.epoch]).toEqual(['lost', 3]);
    // Declared once: a second sweep finds nothing more.
    expect(await a.sweep(100)).toEqual([]);
  });

  it('sweepers never wait on each other: a lapsed row another sweep holds is skipped at once', async () => {
    const { lease, target } = await setup(200);
    const a = await lease('a', 1);
    const c = await lease('c', 3, steady);
    await lease('b', 2);
    // b's lease lapses past a grace of 1 s; a's and c's, renewed just before the sweeps, are well inside it (a loaded
    // machine's pause between a renewal and a sweep must not make them lost).
    await sleep(1_500);
    await a.renew();
    await c.renew();
    const holding = await PgConnection.open(target, 3_000);
    open.push(holding);
    await holding.withoutProjectLock(async () => {
      await holding.pgQuery("SELECT id FROM coordinators WHERE id = 'b' FOR UPDATE");
      const started = performance.now();
      expect(await c.sweep(1_000)).toEqual([]);
      // Not the 3 s a lock wait would take.
      expect(performance.now() - started).toBeLessThan(1_500);
      // b, due already, is looked at again shortly (its sweeper may fail, or a sweep miss its moment by a hair), not
      // at a's moment or the next renewal: a loss declared up to a renewal late failed loss-sweep.process.test.ts once.
      expect(c.nextLossInMs()).not.toBeNull();
      expect(c.nextLossInMs()).toBeLessThanOrEqual(200);
    });
    expect(await c.sweep(1_000)).toEqual(['b']);
  });

  it('fences a lost coordinator: its writes after the sweep commit nothing, and say why in one line', async () => {
    const { store, lease, psql, schema } = await setup(300);
    const a = await lease('a', 1);
    const b = await lease('b', 2, steady);
    const conn = store.core.conn as PgConnection;
    conn.setFence(a.fence());
    await store.tasks.add({ title: 'before', id: 'before' }, 'test');
    await sleep(500);
    await b.renew();
    expect(await b.sweep(100)).toEqual(['a']);
    let refusal: unknown = null;
    try {
      await store.tasks.add({ title: 'after', id: 'after' }, 'test');
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toBeInstanceOf(FencedError);
    expect((refusal as Error).message).toBe(
      "this coordinator's lease lapsed and it was declared lost (epoch 1): its runs were taken over; nothing was written",
    );
    expect(psql(`SELECT string_agg(id, ',' ORDER BY id) FROM ${schema}.tasks`).trim()).toBe('before');
    // The other coordinator's writes go through.
    conn.setFence(b.fence());
    await store.tasks.add({ title: 'after', id: 'after' }, 'test');
    expect((await store.list()).map((t) => t.id)).toEqual(['before', 'after']);
  });

  it('back from a lapse of its own (the server away), declares no one lost before the others had the same grace to come back', async () => {
    const { lease } = await setup(300);
    // a's own clock, moved by hand with the real time that passes; the leases' ends are the server's.
    let now = performance.now();
    const a = await lease('a', 1, () => now);
    const b = await lease('b', 2);
    // An outage: neither renews, and both leases lapse past a 100-ms grace.
    await sleep(700);
    now += 700;
    expect(await a.renew()).toBe(true);
    // Before, the first one back declared the other lost, and a database restart left the team one coordinator.
    expect(await a.sweep(100)).toEqual([]);
    expect(await b.renew()).toBe(true);
    // b then dies; a, renewing all along from there, declares it lost once its own grace from coming back is over.
    await sleep(250);
    now += 250;
    expect(await a.renew()).toBe(true);
    await sleep(250);
    now += 250;
    expect(await a.renew()).toBe(true);
    expect(await a.sweep(100)).toEqual(['b']);
    expect(await b.renew()).toBe(false);
  });

  it('a lapse by its own clock alone is none of its own: it declares a dead one lost once the grace is over, not a grace later', async () => {
    const { lease } = await setup(1_000);
    // a's own clock, moved by hand with the real time that passes, and once far ahead of it; the leases' ends are the
    // server's.
    let now = performance.now();
    const a = await lease('a', 1, () => now);
    // b joins and dies: it never renews.
    await lease('b', 2);
    // a renews well inside its lease, by the database's clock, until b's has lapsed past a 100-ms grace.
    for (let i = 0; i < 7; i++) {
      await sleep(200);
      now += 200;
      expect(await a.renew()).toBe(true);
    }
    // Its own clock then finds the last renewal sent longer ago than its lease (its statement reached the database
    // late: a connection made again, a slow network, a busy event loop), where the database's found no lapse. Taken
    // for a lapse of its own, it judged no one for the grace from here: b's runs waited a grace more.
    now += 3_000;
    expect(await a.renew()).toBe(true);
    expect(await a.sweep(100)).toEqual(['b']);
  });

  it('stops claiming before its lease could lapse by its own clock, and claims again once renewed', async () => {
    let now = 0;
    const { lease } = await setup(10_000);
    const a = await lease('a', 1, () => now);
    expect(a.mayClaim()).toBe(true);
    now = 7_000;
    expect(a.mayClaim()).toBe(true);
    // Renewals failing (the server away) for long enough: the lease could lapse soon, by its own clock.
    now = 8_500;
    expect(a.mayClaim()).toBe(false);
    expect(await a.renew()).toBe(true);
    expect(a.mayClaim()).toBe(true);
  });

  it("goes back to a folder's own coordinator restarted there at once, at a fresh epoch that fences the one before", async () => {
    const { lease } = await setup();
    const before = await lease('a', 1);
    await lease('b', 3);
    const restarted = await lease('a', 2);
    expect(restarted.epoch).toBe(3);
    expect(await before.renew()).toBe(false);
    expect(await restarted.renew()).toBe(true);
  });

  it('never gives an epoch twice, even once the rows of the coordinators that held it are gone', async () => {
    const { lease, psql, schema } = await setup();
    const a = await lease('a', 1);
    expect(a.epoch).toBe(1);
    psql(`DELETE FROM ${schema}.coordinators`);
    expect((await lease('b', 2)).epoch).toBe(2);
  });

  it('a clean stop ends its lease at once: the others take over what it left after the grace alone, and it reads as stopped', async () => {
    const { lease } = await setup();
    const a = await lease('a', 1);
    const b = await lease('b', 2);
    await a.leave();
    // A cleanly stopped coordinator is "stopped" in `wg service status`, not "active (lapsed)", then "lost", and a
    // start does not count it as one "beside" it.
    const roles = async () => (await b.members()).map((m) => [m.id, m.role]);
    expect(await roles()).toEqual([
      ['a', 'stopped'],
      ['b', 'active'],
    ]);
    expect(await b.sweep(0)).toEqual(['a']);
    expect(await roles()).toEqual([
      ['b', 'active'],
      ['a', 'stopped'],
    ]);
  });

  it('a coordinator killed on this machine reads as gone while its row waits for its lease to lapse, then as lost', async () => {
    const { lease, target } = await setup(300);
    const b = await lease('b', 2);
    const dead = spawnSync(process.execPath, ['-e', '0']).pid as number;
    const killed = await CoordinatorLease.open(target, { id: 'k', host: hostname(), folder: '/work/k', pid: dead }, 300, steady);
    open.push(killed);
    await killed.join();
    expect((await b.members()).find((m) => m.id === 'k')).toMatchObject({ role: 'active', gone: true });
    expect((await b.members()).find((m) => m.id === 'b')?.gone).toBeUndefined();
    await sleep(400);
    expect(await b.sweep(0)).toEqual(['k']);
    expect((await b.members()).find((m) => m.id === 'k')).toMatchObject({ role: 'lost' });
  });

  it('stays with its store: a copy of the project elsewhere (wg store copy) starts with no coordinators', async () => {
    const { store, lease } = await setup();
    await lease('a', 1);
    await store.tasks.add({ title: 'kept', id: 'kept' }, 'test');
    const elsewhere = freshSchema('lease_copy');
    await copyStore(store, elsewhere.url);
    expect(elsewhere.psql(`SELECT count(*) FROM ${elsewhere.schema}.coordinators`).trim()).toBe('0');
    expect(elsewhere.psql(`SELECT id FROM ${elsewhere.schema}.tasks`).trim()).toBe('kept');
  });
});
