// @waits: a coordinator stays busy for longer than its lease here, in real time (test/setup/spread-waits.ts).
import { afterEach, describe, expect, it } from 'vitest';
import { CoordinatorLease } from '../../src/core/leases/coordinator-lease';
import { LeaseKeeper } from '../../src/core/leases/lease-keeper';
import { parseStoreUrl } from '../../src/core/store/postgres/store-url';
import { Store } from '../../src/core/store/store';
import { freshSchema } from '../helpers/postgres-server';

/*
 * A person's 50,000-line `wg import` sent through one coordinator's API takes 40 s on PostgreSQL; were its thread held
 * all along, its renewal timer could not run, its lease would lapse, the other coordinator declare it lost, and it
 * stop. The store is asynchronous: no query holds the thread, so the keeper's renewals run between the statements of
 * whatever long work the coordinator is doing. Here the test's own thread is the busy coordinator's, writing task after task for
 * longer than its lease (5 s): it must still hold it, so that the other's sweep, even with no grace to speak of,
 * declares nothing lost.
 */

const open: Array<{ close(): Promise<void> }> = [];
const keepers: LeaseKeeper[] = [];
afterEach(async () => {
  for (const keeper of keepers.splice(0)) await keeper.stop({ leave: false });
  for (const thing of open.splice(0)) await thing.close();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const quietEvents = {
  onFenced: () => {
    throw new Error('the busy coordinator was fenced');
  },
  onLost: () => {},
  info: () => {},
  warn: () => {},
};

/** A project's store on a fresh schema, and a keeper of coordinator `id`'s lease on it, started. */
async function startedKeeper(name: string, id: string) {
  const { url } = freshSchema(name);
  const store = await Store.open(url);
  open.push(store);
  const target = parseStoreUrl(url);
  const keeper = new LeaseKeeper(await CoordinatorLease.open(target, { id, host: 'machine', folder: `/work/${id}`, pid: 1 }), quietEvents);
  await keeper.start();
  return { store, target, keeper };
}

/** Another coordinator of the project, joined: the one that would sweep. */
async function otherCoordinator(target: ReturnType<typeof parseStoreUrl>): Promise<CoordinatorLease> {
  const other = await CoordinatorLease.open(target, { id: 'other', host: 'machine', folder: '/work/other', pid: 2 });
  open.push(other);
  await other.join();
  return other;
}

describe("a coordinator's lease while it is busy", () => {
  it('is renewed between the statements of a long import, so another coordinator declares nothing lost', async () => {
    const { store, target, keeper } = await startedKeeper('busy', 'busy');
    keepers.push(keeper);
    const other = await otherCoordinator(target);

    // Past its lease (5 s) and the point where it would have lapsed by 3 s: one write awaited after another, as an
    // import's are, and nothing else for the thread to do.
    const until = Date.now() + 8_000;
    let added = 0;
    while (Date.now() < until) {
      await store.tasks.add({ title: `imported ${added}`, id: `imported-${added}` }, 'test');
      added++;
    }
    expect(added).toBeGreaterThan(0);
    const left = (await other.members()).find((member) => member.id === 'busy');
    expect(left?.role).toBe('active');
    // Any lapse at all would be declared with a grace of a tenth of a second.
    expect(await other.sweep(100)).toEqual([]);
  }, 60_000);

  it('is not renewed once the keeper stopped: its lease lapses as before', async () => {
    const { target, keeper } = await startedKeeper('stopped', 'gone');
    await keeper.stop({ leave: false });
    const other = await otherCoordinator(target);
    await sleep(8_000);
    expect(await other.sweep(100)).toEqual(['gone']);
  }, 60_000);
});
