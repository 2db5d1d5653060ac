// @waits: coordinator leases, job leases and stall timeouts run out in real time here (test/setup/spread-waits.ts).
import { afterEach, describe, expect, it } from 'vitest';
import { CoordinatorLease } from '../../src/core/leases/coordinator-lease';
import { LeaseKeeper } from '../../src/core/leases/lease-keeper';
import { parseStoreUrl } from '../../src/core/store/postgres/store-url';
import { Store } from '../../src/core/store/store';
import { freshSchema } from '../helpers/postgres-server';

/*
 * A dead coordinator is declared lost the moment its grace is over, by the database's clock, not at the survivor's
 * next renewal after that: each survivor aims a sweep at the lapse of every other lease it saw, plus the grace, and
 * aims again at each renewal it sees. Here the survivor's renewals are set a second off the dead one's moment, so a
 * sweep that waited for a renewal would come a second late.
 */

/** How long a coordinator is declared lost after its lease lapsed (coordinator-lease.ts). */
const GRACE_MS = 15_000;
/** The dead one's short lease: the test lasts the grace and little more. */
const DEAD_TTL_MS = 500;
/**
 * The survivor renews every 2 s from its start: the dead one's last renewal this long after that start puts the end
 * of its grace (that renewal, its lease and the grace: 19 s after the start) a second before one of the survivor's.
 */
const DEAD_RENEWS_AFTER_MS = 3_500;

const open: Array<{ close(): void }> = [];
const keepers: LeaseKeeper[] = [];
afterEach(async () => {
  for (const keeper of keepers.splice(0)) await keeper.stop({ leave: false });
  for (const thing of open.splice(0)) thing.close();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the sweep of a lost coordinator', () => {
  it('declares a dead coordinator lost as its grace ends, aimed again when it renewed meanwhile', async () => {
    const { url } = freshSchema('loss');
    const store = await Store.open(url);
    open.push(store);
    const target = parseStoreUrl(url);
    const dead = await CoordinatorLease.open(target, { id: 'dead', host: 'machine', folder: '/work/dead', pid: 1 }, DEAD_TTL_MS);
    open.push(dead);
    await dead.join();

    const declared: Array<{ ids: string[]; at: number }> = [];
    const survivorLease = await CoordinatorLease.open(target, { id: 'survivor', host: 'machine', folder: '/work/survivor', pid: 2 });
    // When the survivor renewed: a sweep that waited for a renewal would declare the loss right after one.
    const renewals: number[] = [];
    const renew = survivorLease.renew.bind(survivorLease);
    survivorLease.renew = () => {
      renewals.push(Date.now());
      return renew();
    };
    const survivor = new LeaseKeeper(survivorLease, {
      onFenced: () => {
        throw new Error('the survivor was fenced');
      },
      onLost: (ids) => declared.push({ ids, at: Date.now() }),
      info: () => {},
      warn: () => {},
    });
    keepers.push(survivor);

    // The survivor looks at the leases from now on; the dead one renews once more, then dies: the survivor must aim
    // again, at the lease it renewed. Its grace then ends a second before one of the survivor's renewals.
    await survivor.start();
    await sleep(DEAD_RENEWS_AFTER_MS);
    const sent = Date.now();
    expect(await dead.renew()).toBe(true);
    const dueAt = sent + DEAD_TTL_MS + GRACE_MS;

    while (declared.length === 0 && Date.now() < dueAt + 5_000) await sleep(20);
    expect(declared.map((d) => d.ids)).toEqual([['dead']]);
    const late = (declared[0] as { at: number }).at - dueAt;
    console.info(`declared lost ${late} ms after its grace ended`);
    // Never before the grace is over (its lease's end is the server's, a moment after it was sent), and not a renewal
    // later: the survivor did not renew between the grace's end and the declaration (its renewal was due a second after
    // the grace's end; timed by the clock alone, a loaded machine's lag made this test fail).
    expect(late).toBeGreaterThanOrEqual(0);
    const at = (declared[0] as { at: number }).at;
    expect(renewals.filter((renewal) => renewal >= dueAt && renewal <= at)).toEqual([]);
  }, 120_000);
});
