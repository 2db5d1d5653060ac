import { appendFileSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { TempProject } from '../helpers/wg-cli';

/**
 * Opening a project whose graph.db is not what it should be, in-process; an upstream folder (its lock is
 * flock(1)'s), commands at the same moment and a read-only project are in open-project.process.test.ts.
 */
let projects: TempProject[] = [];
afterEach(() => {
  for (const p of projects) p.remove();
  projects = [];
});

describe('a graph.db that is not a whole database', () => {
  async function damaged(damage: (db: string) => void): Promise<{ p: TempProject; db: string }> {
    const p = new TempProject('wg-damaged-');
    projects.push(p);
    await p.ok(['init']);
    await p.ok(['add', 'Something']);
    const db = join(p.root, '.workgraph/graph.db');
    damage(db);
    return { p, db };
  }

  it.each([
    ['empty', (db: string) => writeFileSync(db, ''), /graph\.db is empty, not a workgraph database; it was left as it is/],
    ['truncated', (db: string) => truncateSync(db, statSync(db).size - 4096), /graph\.db is damaged[^;]*; it was left as it is/],
    [
      'not SQLite',
      (db: string) => writeFileSync(db, 'these are my notes, not a database\n'.repeat(10)),
      /graph\.db is not an SQLite database; it was left as it is/,
    ],
  ])('%s: refused with one clear line and never replaced', async (_name, damage, message) => {
    const { p, db } = await damaged(damage);
    const before = readFileSync(db);
    for (const args of [['list'], ['add', 'Another']]) {
      const result = await p.wg(args);
      expect(result.exitCode).not.toBe(0);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(result.stderr).toMatch(message);
    }
    expect(readFileSync(db).equals(before)).toBe(true);
  });
});

describe('a graph.db whose size is not what its header says', () => {
  // A full disk can cut the file's growth while SQLite's header already counts the pages (issue 27,
  // item 5): SQLite still opens it whole, so it is used, never refused for its size.
  it('is used when SQLite finds it whole', async () => {
    const p = new TempProject('wg-short-');
    projects.push(p);
    await p.ok(['init']);
    await p.ok(['add', 'Kept', '--id', 'kept']);
    const db = join(p.root, '.workgraph/graph.db');
    // Part of a page the full disk let through at its end: the old size check called this truncated.
    appendFileSync(db, Buffer.alloc(1000));
    const list = await p.wg(['list']);
    expect(list.stderr).toBe('');
    expect(list.stdout).toContain('kept');
    await p.ok(['add', 'After', '--id', 'after']);
  });
});
