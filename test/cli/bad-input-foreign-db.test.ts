import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TempProject } from '../helpers/wg-cli';

/*
 * Another program's SQLite file where graph.db should be is neither migrated by `wg list` (64 tables written into it)
 * nor, holding a table named tasks, refused with SQLite's own "table tasks already exists".
 */
const p = new TempProject();
const db = () => join(p.root, '.workgraph/graph.db');
const digest = () => createHash('sha256').update(readFileSync(db())).digest('hex');
beforeAll(() => {
  mkdirSync(join(p.root, '.workgraph'));
  const other = new Database(db());
  other.exec('CREATE TABLE tasks (x); CREATE TABLE notes (body)');
  other.close();
});
afterAll(() => p.remove());

describe("another program's SQLite file as graph.db", () => {
  it('is refused in one line by a read and by a change, and left byte for byte as it was', async () => {
    const before = digest();
    const files = readdirSync(join(p.root, '.workgraph')).sort();
    for (const args of [['list'], ['add', 'A']]) {
      const result = await p.wg(args);
      expect(result.exitCode, args.join(' ')).not.toBe(0);
      expect(result.stderr, args.join(' ')).toBe(
        `wg: ${db()} is another program's SQLite database, not a workgraph one; it was left as it is (restore it from a backup, or move graph.db, graph.db-wal and graph.db-shm away to start afresh; wg check --db checks it again)`,
      );
    }
    expect(digest()).toBe(before);
    expect(readdirSync(join(p.root, '.workgraph')).sort()).toEqual(files);
  });
});
