import { describe, expect, it } from 'vitest';
import { openSqlite } from '../../src/core/store/sqlite-connection';
import { rowBuilder } from '../../src/core/store/sqlite-rows';

// Rows read as arrays and made into objects here stand for better-sqlite3's own object mode (sqlite-rows.ts): the same
// keys in the same order, the same values, a repeated name keeping its last value.
describe('a row built from its values', () => {
  it("is the object better-sqlite3's object mode gives, key order and all", () => {
    const db = openSqlite(':memory:');
    db.exec(`CREATE TABLE t (id TEXT, n INTEGER, r REAL, b BLOB, gone TEXT);
             INSERT INTO t VALUES ('a', 1, 1.5, x'0102', NULL), ('b', -7, 0, NULL, 'x');`);
    const text = 'SELECT id, n, r, b, gone, n AS id FROM t ORDER BY rowid';
    const asObjects = db.prepare(text).all();
    const statement = db.prepare(text).raw(true);
    const build = rowBuilder(statement);
    const built = (statement.all() as unknown[][]).map(build);
    expect(built).toStrictEqual(asObjects);
    expect(built.map((row) => Object.keys(row))).toEqual(asObjects.map((row) => Object.keys(row as object)));
    expect(built[0]).toMatchObject({ id: 1, r: 1.5, gone: null });
  });
});
