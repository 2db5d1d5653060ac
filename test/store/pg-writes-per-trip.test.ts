import { Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { dispatch } from '../../src/core/ops/dispatch';
import { roundTripsDuring } from '../helpers/round-trips';
import { opContextOn, STORE_KINDS, storesPerTest } from '../helpers/temp-store';

/**
 * The statements of one round trip leave for PostgreSQL in one write to its socket, not one write each (node-postgres
 * writes each statement on its own): an API read's fifteen statements were fifteen system calls and, on a network, as
 * many packets. Counted by the socket's own flushes to the operating system (`_write`, `_writev`: one system call
 * each), while a `task:show` reads a task.
 */
describe.skipIf(!STORE_KINDS.includes('postgres'))('writes to PostgreSQL', () => {
  const newStore = storesPerTest('postgres');

  async function flushesDuring(work: () => Promise<unknown>): Promise<number> {
    const proto = Socket.prototype as unknown as Record<'_write' | '_writev', (...args: unknown[]) => unknown>;
    const [write, writev] = [proto._write, proto._writev];
    let flushes = 0;
    proto._write = function (this: Socket, ...args: unknown[]) {
      flushes++;
      return write.apply(this, args);
    };
    proto._writev = function (this: Socket, ...args: unknown[]) {
      flushes++;
      return writev.apply(this, args);
    };
    try {
      await work();
    } finally {
      proto._write = write;
      proto._writev = writev;
    }
    return flushes;
  }

  it('leave in one write a round trip, however many statements it carries', async () => {
    const t = await newStore();
    await t.store.tasks.add({ title: 'First', id: 'a' }, 'test');
    await t.store.tasks.add({ title: 'Probe', id: 'probe', after: ['a'], tags: ['x'] }, 'test');
    const ctx = opContextOn(t);
    // Its statements prepared and the connection made, as in a coordinator that has served a read already.
    await dispatch('task:show', { id: 'probe' }, ctx);
    let trips = 0;
    const flushes = await flushesDuring(async () => {
      trips = await roundTripsDuring(() => dispatch('task:show', { id: 'probe' }, ctx));
    });
    expect(trips).toBe(1);
    // One write for its statements (about fifteen of them; it was one a statement).
    expect(flushes).toBe(trips);
  });
});
