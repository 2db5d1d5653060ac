import { sqlText } from '../helpers/sql-text';
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ALL_STORE_KINDS, tempStore } from '../helpers/temp-store';

/** A batch of writes while another process holds the project's write lock; the rest of batches is in batch.test.ts. */
describe.each(ALL_STORE_KINDS)('on %s', (kind) => {
  const require = createRequire(import.meta.url);

  let env: Awaited<ReturnType<typeof tempStore>>;
  afterEach(() => env?.dispose());

  describe('a batch of writes', () => {
    it('can wait less for a write lock held elsewhere', async () => {
      env = await tempStore(undefined, kind);
      const { store } = env;
      await lockedElsewhere(env, 3000, async () => {
        const asked = Date.now();
        await expect(() => store.core.batch(() => store.tasks.add({ title: 'a', id: 'a' }, 'test'), { lockWaitMs: 50 })).rejects.toThrow(
          /locked|write turn/,
        );
        expect(Date.now() - asked).toBeLessThan(2000);
      });
      await store.core.batch(() => store.tasks.add({ title: 'a', id: 'a' }, 'test'), { lockWaitMs: 50 });
      expect((await store.list()).map((t) => t.id)).toEqual(['a']);
    });

    it('puts the usual wait back after a batch that waited less: every other write waits as usual again', async () => {
      env = await tempStore(undefined, kind);
      const { store } = env;
      const shortBatch = () =>
        store.core.batch(async () => store.tasks.add({ title: 'x', id: `x${(await store.list()).length}` }, 'test'), { lockWaitMs: 50 });
      // Held by another process for 700 ms: each write below must wait for it, not give up after 50 ms.
      const writes: Array<[string, () => Promise<unknown>]> = [
        ['a write', () => store.tasks.add({ title: 'w', id: 'w' }, 'test')],
        ['a batch', () => store.core.batch(() => store.tasks.add({ title: 'b', id: 'b' }, 'test'))],
        ['a writing statement', () => sqlText(store.core, "UPDATE meta SET value = value WHERE key = 'task_seq'").run()],
      ];
      for (const [what, write] of writes) {
        await shortBatch();
        await lockedElsewhere(env, 700, async () => {
          const asked = Date.now();
          // Waited for the lock, not given up after the short batch's 50 ms.
          await write();
          expect(Date.now() - asked, what).toBeGreaterThan(350);
        });
      }
    }, 120_000);
  });

  /**
   * Holds the project's write lock from another process for `ms` (SQLite's write lock on the file; on
   * PostgreSQL the project's row lock, as every writer takes it), and runs `work` while it does.
   */
  async function lockedElsewhere(held: Awaited<ReturnType<typeof tempStore>>, ms: number, work: () => Promise<void>): Promise<void> {
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
    const exited = new Promise((resolve) => child.once('exit', resolve));
    await work();
    await exited;
  }
});
