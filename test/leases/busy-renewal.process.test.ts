// @waits: a coordinator's thread is held up for longer than its lease here, in real time (test/setup/spread-waits.ts).
import { afterEach, describe, expect, it } from 'vitest';
import { CoordinatorLease } from '../../src/core/leases/coordinator-lease';
import { LeaseKeeper } from '../../src/core/leases/lease-keeper';
import { parseStoreUrl } from '../../src/core/store/postgres/store-url';
import { Store } from '../../src/core/store/store';
import { freshSchema } from '../helpers/postgres-server';

/*
 * A reviewer's: a person's 50,000-line `wg import` sent through one coordinator's API held its thread for 40 s on
 * PostgreSQL; its renewal timer could not run, its lease lapsed, the other coordinator declared it lost, and it
 * stopped. The database worker now renews the lease while the thread is held up (coordinator-lease.ts
 * BUSY_AT_MOST_MS). Here the test's own thread is the busy coordinator's: held up past its lease (5 s), it must still
 * hold it, so that the other's sweep, even with no grace to speak of, declares nothing lost.
 */

const open: Array<{ close(): void }> = [];
const keepers: LeaseKeeper[] = [];
afterEach(async () => {
  for (const keeper of keepers.splice(0)) await keeper.stop({ leave: false });
  for (const thing of open.splice(0)) thing.close();
});

/** Holds this thread up for `ms`, timers and all, as one long synchronous operation does. */
const holdThread = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

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
  return { target, keeper };
}

/** Another coordinator of the project, joined: the one that would sweep. */
async function otherCoordinator(target: Awaited<ReturnType<typeof parseStoreUrl>>): Promise<CoordinatorLease> {
  const other = await CoordinatorLease.open(target, { id: 'other', host: 'machine', folder: '/work/other', pid: 2 });
  open.push(other);
  await other.join();
  return other;
}

describe("a coordinator's lease while its thread is held up", () => {
  it('is renewed by the database worker, so another coordinator declares nothing lost', async () => {
    const { target, keeper } = await startedKeeper('busy', 'busy');
    keepers.push(keeper);
    const other = await otherCoordinator(target);

    // Past its lease (5 s) and the point where it would have lapsed by 3 s.
    holdThread(8_000);
    const left = (await other.members()).find((member) => member.id === 'busy');
    expect(left?.role).toBe('active');
    // Any lapse at all would be declared with a grace of a tenth of a second.
    expect(await other.sweep(100)).toEqual([]);
  }, 60_000);

  it('is not renewed for a thread that stays away after the keeper stopped: its lease lapses as before', async () => {
    const { target, keeper } = await startedKeeper('stopped', 'gone');
    await keeper.stop({ leave: false });
    const other = await otherCoordinator(target);
    holdThread(8_000);
    expect(await other.sweep(100)).toEqual(['gone']);
  }, 60_000);
});
