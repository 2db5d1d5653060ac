import { expect, it } from 'vitest';
import { tempStore } from '../helpers/temp-store';

/** `n` awaits, timed (the median of five). */
async function awaitsTake(n: number): Promise<number> {
  const times: number[] = [];
  for (let round = 0; round < 5; round++) {
    const start = performance.now();
    for (let i = 0; i < n; i++) await Promise.resolve(i);
    times.push(performance.now() - start);
  }
  return times.toSorted((a, b) => a - b)[2] as number;
}

/*
 * A process that opens many projects one after the other (the app over a day, a test worker) must not get slower with
 * each: on Node 20 and 22 every AsyncLocalStorage that ever ran is visited at each promise's creation, and one per store
 * (and per engine) made 300 closed stores cost every await of the process 300 visits (context-slot.ts). Compared side
 * by side in this process, a ratio, not a time.
 */
it('opening and closing 300 stores, each written in, leaves awaits as quick as before', async () => {
  const before = await awaitsTake(20_000);
  for (let i = 0; i < 300; i++) {
    const t = await tempStore();
    await t.store.tasks.add({ id: `t${i}`, title: 'one' }, 'test');
    await t.store.core.conn.read(async () => t.store.list());
    await t.dispose();
  }
  const after = await awaitsTake(20_000);
  expect(after / Math.max(before, 0.5)).toBeLessThan(5);
}, 120_000);
