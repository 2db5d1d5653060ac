import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ALL_STORE_KINDS, tempStore } from '../helpers/temp-store';
import { tasksOfTable } from '../../src/shared/task-table';

describe.each(ALL_STORE_KINDS)('on %s', (kind) => {
  const require = createRequire(import.meta.url);

  let env: ReturnType<typeof tempStore>;
  afterEach(() => env?.dispose());

  describe('a batch of writes', () => {
    it('commits once, as one revision, and tells listeners once', () => {
      env = tempStore(undefined, kind);
      const { store } = env;
      const before = store.core.currentRev();
      const heard: number[] = [];
      store.core.onCommit((rev) => heard.push(rev));
      store.core.batch(() => {
        store.tasks.add({ title: 'a', id: 'a' }, 'test');
        store.tasks.add({ title: 'b', id: 'b', after: ['a'] }, 'test');
        // Inside the batch the writes see each other; nobody outside has heard yet.
        expect(store.get('b').after).toEqual(['a']);
        expect(heard).toEqual([]);
      });
      expect(heard).toEqual([before + 1]);
      expect(store.core.currentRev()).toBe(before + 1);
      expect(
        tasksOfTable(store.snapshot(before).tasks)
          .map((t) => t.id)
          .sort(),
      ).toEqual(['a', 'b']);
    });

    it('undoes a write that throws, alone, and keeps the rest', () => {
      env = tempStore(undefined, kind);
      const { store } = env;
      store.tasks.add({ title: 'a', id: 'a' }, 'test');
      const before = store.core.currentRev();
      store.core.batch(() => {
        store.tasks.add({ title: 'b', id: 'b' }, 'test');
        store.tasks.addDependency('a', 'b');
        // Refused: a write that throws is undone alone.
        expect(() => store.tasks.addDependency('b', 'a')).toThrow(/cycle/);
        expect(() =>
          store.core.write(() => {
            store.tasks.add({ title: 'x', id: 'x' }, 'test');
            throw new Error('half done');
          }),
        ).toThrow('half done');
        store.tasks.add({ title: 'c', id: 'c' }, 'test');
      });
      expect(
        store
          .list()
          .map((t) => t.id)
          .sort(),
      ).toEqual(['a', 'b', 'c']);
      expect(store.get('a').after).toEqual(['b']);
      expect(store.get('b').after).toEqual([]);
      expect(store.core.currentRev()).toBe(before + 1);
    });

    it('rolls back entirely when the batch itself throws, and tells nobody', () => {
      env = tempStore(undefined, kind);
      const { store } = env;
      const before = store.core.currentRev();
      const heard: number[] = [];
      store.core.onCommit((rev) => heard.push(rev));
      expect(() =>
        store.core.batch(() => {
          store.tasks.add({ title: 'a', id: 'a' }, 'test');
          throw new Error('stop');
        }),
      ).toThrow('stop');
      expect(store.list()).toEqual([]);
      expect(heard).toEqual([]);
      // The next write takes the next revision, not one a rolled-back batch had used.
      store.tasks.add({ title: 'b', id: 'b' }, 'test');
      expect(store.core.currentRev()).toBe(before + 1);
    });

    it('can wait less for a write lock held elsewhere', async () => {
      env = tempStore(undefined, kind);
      const { store } = env;
      await lockedElsewhere(env, 3000, () => {
        const asked = Date.now();
        expect(() => store.core.batch(() => store.tasks.add({ title: 'a', id: 'a' }, 'test'), { lockWaitMs: 50 })).toThrow(
          /locked|write turn/,
        );
        expect(Date.now() - asked).toBeLessThan(2000);
      });
      store.core.batch(() => store.tasks.add({ title: 'a', id: 'a' }, 'test'), { lockWaitMs: 50 });
      expect(store.list().map((t) => t.id)).toEqual(['a']);
    });

    it('puts the usual wait back after a batch that waited less: every other write waits as usual again', async () => {
      env = tempStore(undefined, kind);
      const { store } = env;
      const shortBatch = () =>
        store.core.batch(() => store.tasks.add({ title: 'x', id: `x${store.list().length}` }, 'test'), { lockWaitMs: 50 });
      // Held by another process for 700 ms: each write below must wait for it, not give up after 50 ms.
      const writes: Array<[string, () => void]> = [
        ['a write', () => store.tasks.add({ title: 'w', id: 'w' }, 'test')],
        ['a batch', () => store.core.batch(() => store.tasks.add({ title: 'b', id: 'b' }, 'test'))],
        ['a writing statement', () => store.core.sql("UPDATE meta SET value = value WHERE key = 'task_seq'").run()],
      ];
      for (const [what, write] of writes) {
        shortBatch();
        await lockedElsewhere(env, 700, () => {
          const asked = Date.now();
          expect(write, what).not.toThrow();
          expect(Date.now() - asked).toBeGreaterThan(350);
        });
      }
    }, 30_000);
  });

  /**
   * Holds the project's write lock from another process for `ms` (SQLite's write lock on the file; on
   * PostgreSQL the project's row lock, as every writer takes it), and runs `work` while it does.
   */
  async function lockedElsewhere(held: ReturnType<typeof tempStore>, ms: number, work: () => void): Promise<void> {
    const script =
      held.kind === 'sqlite'
        ? `const D = require(${JSON.stringify(require.resolve('better-sqlite3'))}); const db = new D(${JSON.stringify(join(held.dir, 'graph.db'))});
    db.exec('BEGIN IMMEDIATE'); console.log('locked'); setTimeout(() => { db.exec('ROLLBACK'); db.close(); }, ${ms});`
        : `const { Client } = require(${JSON.stringify(require.resolve('pg'))});
    const { parse } = require(${JSON.stringify(require.resolve('pg-connection-string'))});
    const url = new URL(${JSON.stringify(held.location)}); const schema = url.searchParams.get('schema'); url.searchParams.delete('schema');
    const c = new Client(parse(url.toString()));
    (async () => { await c.connect(); await c.query('BEGIN'); await c.query('SELECT rev FROM "' + schema + '".project FOR UPDATE');
      console.log('locked'); setTimeout(async () => { await c.query('ROLLBACK'); await c.end(); }, ${ms}); })();`;
    const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    work();
    await new Promise((resolve) => child.once('exit', resolve));
  }
});
