import { afterEach, describe, expect, it } from 'vitest';
import { STORE_KINDS, tempStore } from '../helpers/temp-store';
import { tasksOfTable } from '../../src/shared/task-table';

/** A batch of writes on each store; while another process holds the write lock, in batch.process.test.ts. */
describe.each(STORE_KINDS)('on %s', (kind) => {
  let env: Awaited<ReturnType<typeof tempStore>>;
  afterEach(() => env?.dispose());

  describe('a batch of writes', () => {
    it('commits once, as one revision, and tells listeners once', async () => {
      env = await tempStore(undefined, kind);
      const { store } = env;
      const before = await store.core.currentRev();
      const heard: number[] = [];
      store.core.onCommit((rev) => heard.push(rev));
      await store.core.batch(async () => {
        await store.tasks.add({ title: 'a', id: 'a' }, 'test');
        await store.tasks.add({ title: 'b', id: 'b', after: ['a'] }, 'test');
        // Inside the batch the writes see each other; nobody outside has heard yet.
        expect((await store.get('b')).after).toEqual(['a']);
        expect(heard).toEqual([]);
      });
      expect(heard).toEqual([before + 1]);
      expect(await store.core.currentRev()).toBe(before + 1);
      expect(
        tasksOfTable((await store.snapshot(before)).tasks)
          .map((t) => t.id)
          .sort(),
      ).toEqual(['a', 'b']);
    });

    it('undoes a write that throws, alone, and keeps the rest', async () => {
      env = await tempStore(undefined, kind);
      const { store } = env;
      await store.tasks.add({ title: 'a', id: 'a' }, 'test');
      const before = await store.core.currentRev();
      await store.core.batch(async () => {
        await store.tasks.add({ title: 'b', id: 'b' }, 'test');
        await store.tasks.addDependency('a', 'b');
        // Refused: a write that throws is undone alone.
        await expect(() => store.tasks.addDependency('b', 'a')).rejects.toThrow(/cycle/);
        await expect(() =>
          store.core.write(async () => {
            await store.tasks.add({ title: 'x', id: 'x' }, 'test');
            throw new Error('half done');
          }),
        ).rejects.toThrow('half done');
        await store.tasks.add({ title: 'c', id: 'c' }, 'test');
      });
      expect((await store.list()).map((t) => t.id).sort()).toEqual(['a', 'b', 'c']);
      expect((await store.get('a')).after).toEqual(['b']);
      expect((await store.get('b')).after).toEqual([]);
      expect(await store.core.currentRev()).toBe(before + 1);
    });

    it('rolls back entirely when the batch itself throws, and tells nobody', async () => {
      env = await tempStore(undefined, kind);
      const { store } = env;
      const before = await store.core.currentRev();
      const heard: number[] = [];
      store.core.onCommit((rev) => heard.push(rev));
      await expect(() =>
        store.core.batch(async () => {
          await store.tasks.add({ title: 'a', id: 'a' }, 'test');
          throw new Error('stop');
        }),
      ).rejects.toThrow('stop');
      expect(await store.list()).toEqual([]);
      expect(heard).toEqual([]);
      // The next write takes the next revision, not one a rolled-back batch had used.
      await store.tasks.add({ title: 'b', id: 'b' }, 'test');
      expect(await store.core.currentRev()).toBe(before + 1);
    });
  });
});
