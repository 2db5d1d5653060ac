import { afterEach, describe, expect, it } from 'vitest';
import { InternalClaims, releaseOwnClaims } from '../../src/core/agency/internal-claims';
import { CoordinatorLease } from '../../src/core/leases/coordinator-lease';
import { takeOverLostRuns } from '../../src/core/leases/lost-runs';
import { parseStoreUrl } from '../../src/core/store/postgres/store-url';
import { Store } from '../../src/core/store/store';
import { freshSchema } from '../helpers/postgres-server';

/*
 * The agency's work claimed in the store, on a real PostgreSQL server: of two coordinators on one project, one
 * alone evaluates (or assigns) a task at a time, until it releases it; a lost coordinator's claims are freed by
 * the one that takes over its runs, and a coordinator's own by its restart.
 */

const open: Array<{ close(): void }> = [];
afterEach(() => {
  for (const thing of open.splice(0)) thing.close();
});

async function coordinators() {
  const { url } = freshSchema('claims');
  const target = parseStoreUrl(url);
  const coordinator = async (id: string, clock?: () => number) => {
    const store = await Store.open(url);
    open.push(store);
    store.agents.coordinatorId = id;
    const lease = await CoordinatorLease.open(target, { id, host: 'machine', folder: `/work/${id}`, pid: 1 }, 200, clock);
    open.push(lease);
    await lease.join();
    return { store, lease, claims: new InternalClaims(store) };
  };
  // b's own clock stands still: it saw no lapse of its own where the test sleeps past its lease, so it judges a at
  // once (one back from a lapse of its own gives the others the grace first: coordinator-lease.process.test.ts).
  return { a: await coordinator('a'), b: await coordinator('b', () => 0) };
}

describe("the agency's claims in the store", () => {
  it('gives a task to one coordinator at a time for each purpose, until released', async () => {
    const { a, b } = await coordinators();
    await a.store.tasks.add({ title: 'T', id: 't' }, 'test');
    expect(await a.claims.take('t', 'evaluate')).toBe(true);
    expect(await b.claims.take('t', 'evaluate')).toBe(false);
    // Another purpose is another claim.
    expect(await b.claims.take('t', 'assign')).toBe(true);
    await a.claims.release('t', 'evaluate');
    expect(await b.claims.take('t', 'evaluate')).toBe(true);
    expect(await a.claims.take('t', 'evaluate')).toBe(false);
  });

  it("frees a lost coordinator's claims when another takes over its runs, and its own when it restarts", async () => {
    const { a, b } = await coordinators();
    expect(await a.claims.take('t', 'evaluate')).toBe(true);
    expect(await a.claims.take('u', 'system')).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 400));
    await b.lease.renew();
    expect(await b.lease.sweep(100)).toEqual(['a']);
    await b.store.core.write(() => takeOverLostRuns(b.store.core, 'b'));
    expect(await b.claims.take('t', 'evaluate')).toBe(true);
    expect(await b.claims.take('u', 'system')).toBe(true);
    expect(await releaseOwnClaims(b.store)).toBe(2);
  });
});
