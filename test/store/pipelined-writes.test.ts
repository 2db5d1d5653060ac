import { sqlText } from '../helpers/sql-text';
import { describe, expect, it } from 'vitest';
import { PipelinedWriteError } from '../../src/core/store/sql-connection';
import { roundTripsDuring } from '../helpers/round-trips';
import { STORE_KINDS, storesPerTest } from '../helpers/temp-store';

/**
 * A pipelined batch (WriteOptions.pipelined, as the coordinator takes its turns): on PostgreSQL its savepoints start
 * and end with the statements that follow them, so its first failure ends all of it; without it, a write that fails
 * is undone alone and the rest commits. SQLite, with no round trips to save, is the same either way.
 */
describe.each(STORE_KINDS)('pipelined batches, on %s', (kind) => {
  const newStore = storesPerTest(kind);

  async function twoTasks() {
    const t = await newStore();
    await t.store.tasks.add({ id: 'a', title: 'A' }, 'test');
    await t.store.tasks.add({ id: 'b', title: 'B' }, 'test');
    return t.store;
  }

  const RETITLE = 'UPDATE tasks SET title = ? WHERE id = ?';
  /** A write that fails at the server and only there: a second row with a key that is taken. */
  const TAKEN_KEY = 'INSERT INTO meta (key, value) SELECT key, value FROM meta LIMIT 1';

  it.each([true, false])('a write that fails inside it (pipelined: %s)', async (pipelined) => {
    const store = await twoTasks();
    const core = store.core;
    const turn = () =>
      core.batch(
        async () => {
          await core.write(() => sqlText(core, RETITLE).run('A2', 'a'));
          const failing = () => core.write(() => sqlText(core, TAKEN_KEY).run());
          // Pipelined on PostgreSQL, its failure is met later, with the statements that follow it.
          if (pipelined && kind === 'postgres') await failing();
          else await expect(failing).rejects.toThrow(/unique|duplicate/i);
          await core.write(() => sqlText(core, RETITLE).run('B2', 'b'));
        },
        { pipelined },
      );
    if (pipelined && kind === 'postgres') {
      // The whole batch is undone, and says why.
      await expect(turn).rejects.toThrow(/unique|duplicate/i);
      expect([(await store.get('a')).title, (await store.get('b')).title]).toEqual(['A', 'B']);
    } else {
      await turn();
      expect([(await store.get('a')).title, (await store.get('b')).title]).toEqual(['A2', 'B2']);
    }
  });

  it('a write whose work throws is undone alone, whether or not its statements had gone', async () => {
    const store = await twoTasks();
    const core = store.core;
    let first = { changes: -1 };
    await core.batch(
      async () => {
        first = await core.write(() => sqlText(core, RETITLE).run('A2', 'a'));
        // Nothing of it has gone yet (the retitle before it waits too): only its own statement is dropped.
        await expect(() =>
          core.write(async () => {
            await sqlText(core, RETITLE).run('B2', 'b');
            throw new Error('undone before it went');
          }),
        ).rejects.toThrow('undone before it went');
        // Its statements went (a read sent them): its savepoint is rolled back on the server.
        await expect(() =>
          core.write(async () => {
            await sqlText(core, RETITLE).run('B3', 'b');
            expect((await sqlText<{ title: string }>(core, 'SELECT title FROM tasks WHERE id = ?').get('b'))?.title).toBe('B3');
            throw new Error('undone after it went');
          }),
        ).rejects.toThrow('undone after it went');
      },
      { pipelined: true },
    );
    expect([(await store.get('a')).title, (await store.get('b')).title]).toEqual(['A2', 'B']);
    expect(first.changes).toBe(1);
  });

  it.runIf(kind === 'postgres')('sends its writes with the commit instead of a round trip at the end of each', async () => {
    const store = await twoTasks();
    const core = store.core;
    const trips = (pipelined: boolean) =>
      roundTripsDuring(() =>
        core.batch(
          async () => {
            for (const [id, title] of [
              ['a', `A-${pipelined}`],
              ['b', `B-${pipelined}`],
            ]) {
              // A write whose row count nobody asks for (as the store's own writes are sent).
              await core.write(() => sqlText(core, RETITLE).send(title, id));
            }
          },
          { pipelined },
        ),
      );
    // Both: the opening with the batch's revision (asked for at once), and the commit. Savepoint by savepoint, also
    // the end of each write (two).
    expect({ pipelined: await trips(true), strict: await trips(false) }).toEqual({ pipelined: 2, strict: 4 });
    expect([(await store.get('a')).title, (await store.get('b')).title]).toEqual(['A-false', 'B-false']);
  });

  it.runIf(kind === 'postgres')(
    'after a pipelined batch failed, goes savepoint by savepoint until one commits with none of its writes failing',
    async () => {
      const store = await twoTasks();
      const core = store.core;
      const batch = (title: string, fail: boolean) =>
        core.batch(
          async () => {
            await core.write(() => sqlText(core, RETITLE).send(title, 'a'));
            if (!fail) return;
            try {
              await core.write(() => sqlText(core, TAKEN_KEY).run());
            } catch {
              // Undone alone (savepoint by savepoint), or met later (pipelined).
            }
          },
          { pipelined: true },
        );
      await expect(() => batch('A2', true)).rejects.toThrow(PipelinedWriteError);
      expect((await store.get('a')).title).toBe('A');
      // Taken again, savepoint by savepoint: the failing write is undone alone.
      await batch('A3', true);
      expect((await store.get('a')).title).toBe('A3');
      // A write of that one failed: the next still goes savepoint by savepoint (the end of its write a round trip of
      // its own); it commits with none failing, so the one after is pipelined again.
      expect([await roundTripsDuring(() => batch('A4', false)), await roundTripsDuring(() => batch('A5', false))]).toEqual([3, 2]);
      expect((await store.get('a')).title).toBe('A5');
    },
  );
});
