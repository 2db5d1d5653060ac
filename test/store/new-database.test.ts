import { sqlText } from '../helpers/sql-text';
import Database from 'better-sqlite3';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../src/core/store/migrations';
import { Store } from '../../src/core/store/store';

/**
 * A new graph.db is made in memory from the empty schema and written once (database.ts, createDatabase): it must be
 * exactly what the migrations make, one file in WAL mode, with nothing left beside it.
 */
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'wg-new-db-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** The schema as SQLite keeps it, and the version, of a database at `path` (or in memory, from `sql`). */
function schemaOf(db: Database.Database): { schema: unknown[]; version: unknown } {
  const schema = db.prepare('SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name').all();
  const version = db.pragma('user_version', { simple: true });
  return { schema, version };
}

describe('a new graph database', () => {
  it('has the schema and version the migrations make, applied one by one', async () => {
    await (await Store.open(join(dir, 'graph.db'))).close();
    const made = new Database(join(dir, 'graph.db'), { readonly: true });
    const expected = new Database(':memory:');
    for (const [index, sql] of MIGRATIONS.entries()) {
      expected.exec(sql);
      expected.pragma(`user_version = ${index + 1}`);
    }
    expect(schemaOf(made)).toEqual(schemaOf(expected));
    made.close();
    expected.close();
  });

  it('is one file in WAL mode, with no temporary file or journal beside it', async () => {
    const store = await Store.open(join(dir, 'graph.db'));
    await store.close();
    expect(readdirSync(dir)).toEqual(['graph.db']);
    const header = readFileSync(join(dir, 'graph.db')).subarray(0, 100);
    // Bytes 18-19: the file format's write and read versions, 2 in WAL mode.
    expect([header[18], header[19]]).toEqual([2, 2]);
    // Its owner's only, whatever the folder's mode (upstream's .workgraph/ is 0755), and so are SQLite's files beside it.
    chmodSync(dir, 0o755);
    const again = await Store.open(join(dir, 'graph.db'));
    await again.core.write((rev) => sqlText(again.core, 'UPDATE project SET rev = ? WHERE id = 1').run(rev));
    for (const name of readdirSync(dir)) expect([name, statSync(join(dir, name)).mode & 0o777]).toEqual([name, 0o600]);
    await again.close();
  });

  it('is made afresh for each project: what one holds is not in the next', async () => {
    const first = await Store.open(join(dir, 'first.db'));
    await first.tasks.add({ id: 'only-here', title: 'Only here' }, 'test');
    await first.close();
    const second = await Store.open(join(dir, 'second.db'));
    expect((await second.list()).map((task) => task.id)).toEqual([]);
    await second.tasks.add({ id: 'second-one', title: 'Second' }, 'test');
    expect((await second.list()).map((task) => task.id)).toEqual(['second-one']);
    await second.close();
  });
});
