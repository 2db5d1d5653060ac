import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { BUSY_TIMEOUT_MS, openDatabase } from '../../src/core/store/database';
import { openSqlite } from '../../src/core/store/sqlite-connection';
import { SqliteConnection } from '../../src/core/store/sqlite-sql-connection';

/**
 * On Node 24 better-sqlite3 12 aborts the process when V8 collects one of its statements outside JavaScript
 * (src/core/store/sqlite-connection.ts), so the app's connections keep every statement they make. The abort
 * itself needs Node 24 (checked by hand: `wg show` aborted in about half of its runs before, in none of 24
 * after); what this Node can check is the cause: a statement made here is never collected, and pragma()
 * answers as better-sqlite3's own does.
 */
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** Collects garbage until `ref` is cleared or the tries run out; whether it was. */
async function collected(ref: WeakRef<object>): Promise<boolean> {
  for (let i = 0; i < 10; i++) {
    // Reading a WeakRef keeps its object until the job ends, so it is read only after a collection, in a new job.
    await new Promise((resolve) => setImmediate(resolve));
    gc();
    await new Promise((resolve) => setImmediate(resolve));
    if (ref.deref() === undefined) return true;
  }
  return false;
}

describe('the app’s SQLite connections keep their statements', () => {
  it('the premise: a statement nothing holds is collected', async () => {
    const db = new Database(':memory:');
    const ref = new WeakRef(db.prepare('SELECT 1'));
    expect(await collected(ref)).toBe(true);
    db.close();
  });

  it('a statement made through prepare() or pragma() is not', async () => {
    const db = openSqlite(':memory:');
    const prepared = new WeakRef(db.prepare('SELECT 1'));
    db.pragma('user_version = 3');
    expect(await collected(prepared)).toBe(false);
    db.close();
  });

  it('pragma() answers as better-sqlite3’s own does, but a setting answers nothing (it is run, not prepared)', () => {
    const ours = openSqlite(':memory:');
    const theirs = new Database(':memory:');
    for (const db of [ours, theirs]) db.exec('CREATE TABLE t (a INTEGER PRIMARY KEY, b TEXT)');
    for (const [source, options] of [
      ['user_version = 7', undefined],
      ['user_version', { simple: true }],
      ['user_version', undefined],
      ['journal_mode', undefined],
      ['journal_mode', { simple: true }],
      ['foreign_keys = ON', { simple: true }],
      ['table_info(t)', undefined],
      ['integrity_check', undefined],
    ] as const) {
      expect(ours.pragma(source, options), source).toEqual(theirs.pragma(source, options));
    }
    expect(theirs.pragma('busy_timeout = 5')).toEqual([{ timeout: 5 }]);
    expect(ours.pragma('busy_timeout = 5')).toEqual([]);
    expect(ours.pragma('busy_timeout', { simple: true })).toBe(5);
    ours.close();
    theirs.close();
  });
});

describe('a setting pragma makes no statement', () => {
  // Every statement is kept for the process's life (above), and a connection sets its busy timeout twice in each write
  // transaction: a process holding a connection grew about 5 KB a transaction (50,000 empty ones: 86 → 322 MB).
  it('a thousand write transactions prepare nothing after the first', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wg-pragma-'));
    try {
      const file = join(dir, 'graph.db');
      const conn = new SqliteConnection(await openDatabase(file), file);
      await conn.write(async () => undefined);
      let prepared = 0;
      const prepare = conn.db.prepare.bind(conn.db);
      conn.db.prepare = ((source: string) => {
        prepared++;
        return prepare(source);
      }) as typeof conn.db.prepare;
      for (let i = 0; i < 1_000; i++) await conn.write(async () => undefined);
      expect(prepared).toBe(0);
      expect(conn.db.pragma('busy_timeout', { simple: true })).toBe(BUSY_TIMEOUT_MS);
      await conn.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the app’s SQLite connections keep temporary tables in memory', () => {
  // A ready read sorts with a LIMIT over a list it builds first: with SQLite's default (a file) each run opened and
  // unlinked a temporary file, about 1.1 ms against 0.01 ms (the coordinator's turn runs several such reads).
  it('on a connection that writes and on a read-only one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wg-temp-store-'));
    try {
      const file = join(dir, 'graph.db');
      const writer = openSqlite(file);
      writer.exec('CREATE TABLE t (id TEXT PRIMARY KEY, priority INTEGER)');
      const reader = openSqlite(file, { readonly: true, fileMustExist: true });
      for (const db of [writer, reader]) expect(db.pragma('temp_store', { simple: true })).toBe(2);
      writer.close();
      reader.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
