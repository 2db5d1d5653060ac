import { describe, expect, it } from 'vitest';
import { STORE_KINDS, storesPerTest } from '../helpers/temp-store';

/*
 * Work started inside a transaction and not awaited by it (a run found over as it was adopted asked for a turn, whose
 * writes became savepoints of the start's transaction) must not write once that transaction has ended. On PostgreSQL its
 * statements went out on the writer's session after the COMMIT: outside any transaction, without the project's lock
 * (active-faults.process.test.ts saw a task claimed by two coordinators, the team's cap passed, and "RELEASE SAVEPOINT
 * can only be used in transaction blocks"). They are refused instead, and nothing of them is written.
 */
describe.each(STORE_KINDS)('work that outlives its transaction on %s', (kind) => {
  const newStore = storesPerTest(kind);

  it('is refused, writes nothing, and leaves the next transaction alone', async () => {
    const { store } = await newStore();
    let go: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      go = resolve;
    });
    let late: Promise<unknown> = Promise.resolve();
    await store.core.write(async () => {
      await store.tasks.add({ id: 'kept', title: 'kept' }, 'test');
      // A savepoint of this transaction whose work goes on after it.
      late = store.core.write(async () => {
        await gate;
        await store.tasks.add({ id: 'late', title: 'late' }, 'test');
      });
      late.catch(() => undefined);
    });
    // The next transaction is under way when the late work wakes.
    const next = store.core.write(async () => {
      await store.tasks.add({ id: 'next', title: 'next' }, 'test');
      go();
      await late.catch(() => undefined);
    });
    await expect(late).rejects.toThrow('a write came after the transaction it belongs to had ended, so it was not made');
    await next;
    const ids = (await store.list()).map((task) => task.id).sort();
    expect(ids).toEqual(['kept', 'next']);
  });

  it('is refused when it only reads, too: its statement would run in whatever the session does next', async () => {
    const { store } = await newStore();
    await store.tasks.add({ id: 'one', title: 'one' }, 'test');
    let go: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      go = resolve;
    });
    let late: Promise<unknown> = Promise.resolve();
    await store.core.write(async () => {
      late = store.core.write(async () => {
        await gate;
        return store.get('one');
      });
      late.catch(() => undefined);
    });
    go();
    await expect(late).rejects.toThrow('a write came after the transaction it belongs to had ended');
  });
});
