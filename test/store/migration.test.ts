import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../src/core/store/migrations';
import { Store } from '../../src/core/store/store';

let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** The migration that rebuilt the tasks table for upstream's statuses (found by what it does, not its number). */
const REBUILD = MIGRATIONS.findIndex((sql) => sql.includes('CREATE TABLE tasks_new'));

describe('the migration to upstream statuses and priorities', () => {
  it('keeps every task, dependency, tag and log entry of an older database and turns its ranks into numbers', () => {
    dir = mkdtempSync(join(tmpdir(), 'wg-migrate-'));
    const path = join(dir, 'graph.db');
    const old = new Database(path);
    old.pragma('foreign_keys = ON');
    for (const [index, sql] of MIGRATIONS.slice(0, REBUILD).entries()) {
      old.exec(sql);
      old.pragma(`user_version = ${index + 1}`);
    }
    const insert = old.prepare(
      "INSERT INTO tasks (id, seq, title, status, priority, created_at, blockers, rev) VALUES (?, ?, ?, ?, ?, '2026-01-01T00:00:00Z', ?, 1)",
    );
    insert.run('crit', 1, 'Critical', 'done', 0, 0);
    insert.run('hi', 2, 'High', 'open', 1, 1);
    insert.run('norm', 3, 'Normal', 'open', 2, 0);
    insert.run('lo', 4, 'Low', 'open', 3, 0);
    old.prepare('INSERT INTO deps (task_id, dep_id) VALUES (?, ?)').run('hi', 'norm');
    old.prepare("INSERT INTO task_tags (task_id, tag) VALUES ('hi', 'x')").run();
    old.prepare("INSERT INTO task_log (task_id, timestamp, actor, message) VALUES ('hi', '2026-01-01T00:00:00Z', 'user', 'made')").run();
    old.prepare("UPDATE meta SET value = 4 WHERE key = 'task_seq'").run();
    old.close();

    const store = new Store(path);
    try {
      const tasks = new Map(store.list().map((t) => [t.id, t]));
      expect([...tasks.values()].map((t) => [t.id, t.priority, t.priority_value])).toEqual([
        ['crit', 'critical', 100],
        ['hi', 'high', 50],
        ['norm', 'normal', 10],
        ['lo', 'low', 5],
      ]);
      expect(tasks.get('hi')).toMatchObject({
        after: ['norm'],
        tags: ['x'],
        log: [{ message: 'made', actor: 'user', timestamp: '2026-01-01T00:00:00Z' }],
      });
      // Ready in upstream's order (higher number first); hi still waits for norm.
      expect(store.ready().map((t) => t.id)).toEqual(['norm', 'lo']);
      // A database that held tasks is not a candidate for the automatic upstream import.
      expect(store.core.sql<{ value: number }>("SELECT value FROM meta WHERE key = 'upstream_checked'").get()?.value).toBe(1);
    } finally {
      store.close();
    }
  });
});
