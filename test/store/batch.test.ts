import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { BatchUndone } from '../../src/core/store/store-core';
import { statementsDuring } from '../helpers/statements';
import { tempStore } from '../helpers/temp-store';

const require = createRequire(import.meta.url);

let env: ReturnType<typeof tempStore>;
afterEach(() => env?.dispose());

describe('a batch of writes', () => {
  it('commits once, as one revision, and tells listeners once', () => {
    env = tempStore();
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
    expect(store.snapshot(before).tasks.map((t) => t.id).sort()).toEqual(['a', 'b']);
  });

  it('undoes a write that throws, alone, and keeps the rest', () => {
    env = tempStore();
    const { store } = env;
    store.tasks.add({ title: 'a', id: 'a' }, 'test');
    const before = store.core.currentRev();
    store.core.batch(() => {
      store.tasks.add({ title: 'b', id: 'b' }, 'test');
      store.tasks.addDependency('a', 'b');
      // Refused: a write that throws is undone alone.
      expect(() => store.tasks.addDependency('b', 'a')).toThrow(/cycle/);
      expect(() => store.core.write(() => {
        store.tasks.add({ title: 'x', id: 'x' }, 'test');
        throw new Error('half done');
      })).toThrow('half done');
      store.tasks.add({ title: 'c', id: 'c' }, 'test');
    });
    expect(store.list().map((t) => t.id).sort()).toEqual(['a', 'b', 'c']);
    expect(store.get('a').after).toEqual(['b']);
    expect(store.get('b').after).toEqual([]);
    expect(store.core.currentRev()).toBe(before + 1);
  });

  it('rolls back entirely when the batch itself throws, and tells nobody', () => {
    env = tempStore();
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

  it('can wait less for a write lock held elsewhere', () => {
    env = tempStore();
    const { store } = env;
    const locker = new Database(join(env.dir, 'graph.db'));
    locker.exec('BEGIN IMMEDIATE');
    try {
      const asked = Date.now();
      expect(() => store.core.batch(() => store.tasks.add({ title: 'a', id: 'a' }, 'test'), { lockWaitMs: 50 })).toThrow(/locked/);
      expect(Date.now() - asked).toBeLessThan(2000);
    } finally {
      locker.exec('ROLLBACK');
      locker.close();
    }
    store.core.batch(() => store.tasks.add({ title: 'a', id: 'a' }, 'test'), { lockWaitMs: 50 });
    expect(store.list().map((t) => t.id)).toEqual(['a']);
  });

  it('sets the shorter wait once for batches in a row, and every other write waits as usual again', async () => {
    env = tempStore();
    const { store } = env;
    const pragmas = () => statementsDuring(store.core, () => {
      store.core.batch(() => store.tasks.add({ title: 'x', id: `x${store.list().length}` }, 'test'), { lockWaitMs: 50 });
    }).filter((sql) => sql.startsWith('PRAGMA busy_timeout'));
    expect(pragmas()).toEqual(['PRAGMA busy_timeout = 50']);
    // Reads between them need no wait (readers never wait for a writer here).
    store.list();
    expect(pragmas()).toEqual([]);
    // Held by another process for 700 ms: each write below must wait for it, not give up after 50 ms.
    const writes: Array<[string, () => void]> = [
      ['a write', () => store.tasks.add({ title: 'w', id: 'w' }, 'test')],
      ['a batch', () => store.core.batch(() => store.tasks.add({ title: 'b', id: 'b' }, 'test'))],
      ['a writing statement', () => store.core.sql("UPDATE meta SET value = value WHERE key = 'rev'").run()],
    ];
    for (const [what, write] of writes) {
      pragmas();
      await lockedElsewhere(join(env.dir, 'graph.db'), 700, () => expect(write, what).not.toThrow());
    }
  }, 30_000);
});

/** Holds the database's write lock from another process for `ms`, and runs `work` while it does. */
async function lockedElsewhere(path: string, ms: number, work: () => void): Promise<void> {
  const script = `const D = require(${JSON.stringify(require.resolve('better-sqlite3'))}); const db = new D(${JSON.stringify(path)});
    db.exec('BEGIN IMMEDIATE'); console.log('locked'); setTimeout(() => { db.exec('ROLLBACK'); db.close(); }, ${ms});`;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
  const asked = Date.now();
  work();
  expect(Date.now() - asked).toBeGreaterThan(ms / 2);
  await new Promise((resolve) => child.once('exit', resolve));
}

describe('a batch without savepoints', () => {
  const fast = { savepoints: false };
  const halfDone = (store: typeof env.store, id: string) => () => store.core.write(() => {
    store.tasks.add({ title: id, id }, 'test');
    throw new Error('half done');
  });

  it('goes on after a write that throws before changing anything', () => {
    env = tempStore();
    const { store } = env;
    store.tasks.add({ title: 'a', id: 'a' }, 'test');
    store.core.batch(() => {
      store.tasks.add({ title: 'b', id: 'b' }, 'test');
      // Refused before any change: nothing to undo.
      expect(() => store.tasks.addDependency('a', 'nobody')).toThrow();
      expect(() => store.tasks.add({ title: 'a again', id: 'a' }, 'test')).toThrow(/exists/);
      store.tasks.add({ title: 'c', id: 'c' }, 'test');
    }, fast);
    expect(store.list().map((t) => t.id).sort()).toEqual(['a', 'b', 'c']);
  });

  it('is undone whole after a write that throws half way, then keeps savepoints until they are not needed', () => {
    env = tempStore();
    const { store } = env;
    const before = store.core.currentRev();
    const heard: number[] = [];
    store.core.onCommit((rev) => heard.push(rev));
    const turn = (extra: () => void) => store.core.batch(() => {
      store.tasks.add({ title: 'kept', id: `kept-${heard.length}` }, 'test');
      try {
        extra();
      } catch {
        // As the coordinator does: the write's own error is its caller's; the batch goes on.
      }
    }, fast);
    expect(() => turn(halfDone(store, 'x'))).toThrow(BatchUndone);
    expect(store.list()).toEqual([]);
    expect(heard).toEqual([]);
    expect(store.core.currentRev()).toBe(before);
    // Taken again: the half-done write is undone alone this time, and the rest commits.
    turn(halfDone(store, 'x'));
    expect(store.list().map((t) => t.id)).toEqual(['kept-0']);
    // Still failing so: still savepoints.
    turn(halfDone(store, 'x'));
    expect(store.list().map((t) => t.id)).toEqual(['kept-0', 'kept-1']);
    // A batch without such a write: the next goes without savepoints again.
    turn(() => undefined);
    expect(() => turn(halfDone(store, 'x'))).toThrow(BatchUndone);
    expect(store.list().map((t) => t.id)).toEqual(['kept-0', 'kept-1', 'kept-2']);
    expect(heard).toHaveLength(3);
  });

  it('leaves batches that keep savepoints (the default) as they were', () => {
    env = tempStore();
    const { store } = env;
    expect(() => store.core.batch(() => { throw new Error('x'); }, fast)).toThrow('x');
    store.core.batch(() => {
      expect(halfDone(store, 'x')).toThrow('half done');
      store.tasks.add({ title: 'b', id: 'b' }, 'test');
    });
    expect(store.list().map((t) => t.id)).toEqual(['b']);
  });
});

describe('the first rows of a query', () => {
  it('are read in order, no more than asked, and leave the statement free for the next read and write', () => {
    env = tempStore();
    const { store } = env;
    for (const id of ['a', 'b', 'c', 'd']) store.tasks.add({ title: id, id }, 'test');
    const sql = 'SELECT id FROM tasks WHERE id >= ? ORDER BY id';
    expect(store.core.firstRows<{ id: string }>(sql, 2, 'b').map((r) => r.id)).toEqual(['b', 'c']);
    expect(store.core.firstRows<{ id: string }>(sql, 10, 'a').map((r) => r.id)).toEqual(['a', 'b', 'c', 'd']);
    expect(store.core.firstRows(sql, 0, 'a')).toEqual([]);
    // An iterator left open would make the connection refuse this write.
    store.tasks.add({ title: 'e', id: 'e' }, 'test');
    expect(store.core.firstRows<{ id: string }>(sql, 1, 'e').map((r) => r.id)).toEqual(['e']);
  });
});
