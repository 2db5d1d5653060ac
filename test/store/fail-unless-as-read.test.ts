import { describe, expect, it } from 'vitest';
import { findTaskRow } from '../../src/core/store/task-reads';
import { failUnlessAsRead } from '../../src/core/store/task-writes';
import { STORE_KINDS, storesPerTest } from '../helpers/temp-store';

/*
 * A coordinator's claim on PostgreSQL fails at the server unless its task is still as the claim read it: a task claimed
 * by two coordinators (active-faults.process.test.ts met it after a restart) cannot commit twice.
 */
describe.each(STORE_KINDS)('a claim on %s, against the row it read', (kind) => {
  const newStore = storesPerTest(kind);

  it('goes on while the task is as read', async () => {
    const { store } = await newStore();
    await store.tasks.add({ id: 'one', title: 'one' }, 'test');
    await store.core.write(async () => {
      const row = await findTaskRow(store.core, 'one');
      if (!row) throw new Error('no row');
      await failUnlessAsRead(store.core, row);
    });
    expect((await store.get('one')).status).toBe('open');
  });

  // SQLite's write lock makes a claim's read and write one moment: there is nothing to check there.
  it.runIf(kind === 'postgres')('fails the write, changing nothing, once another holder took the task since it was read', async () => {
    const { store } = await newStore();
    await store.tasks.add({ id: 'one', title: 'one' }, 'test');
    const read = await findTaskRow(store.core, 'one');
    if (!read) throw new Error('no row');
    // Another coordinator's claim, committed after the read.
    await store.tasks.claim('one', 'agent-9', 'coordinator');
    await expect(
      store.core.write(async () => {
        await failUnlessAsRead(store.core, read);
        await store.core.send(store.core.build.updateTable('tasks').set({ assigned: 'agent-10' }).where('id', '=', 'one'));
      }),
    ).rejects.toThrow('the task changed since it was read (another coordinator claimed it meanwhile); nothing was written');
    expect((await store.get('one')).assigned).toBe('agent-9');
  });
});
