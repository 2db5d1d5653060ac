import { sqlText } from '../helpers/sql-text';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { POSTGRES_FUNCTIONS } from '../../src/core/store/postgres/pg-schema';
import { PG_MIGRATIONS } from '../../src/core/store/postgres/pg-migrations';
import { MIGRATIONS } from '../../src/core/store/migrations';
import type { StoreKind } from '../../src/core/store/sql-connection';
import { Store } from '../../src/core/store/store';
import { freshSchema } from '../helpers/postgres-server';
import { STORE_KINDS } from '../helpers/temp-store';

let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** The migration that rebuilt the tasks table for upstream's statuses (found by what it does, not its number). */
const REBUILD = MIGRATIONS.findIndex((sql) => sql.includes('CREATE TABLE tasks_new'));
/** The migration that recounted `.evaluate-X` after a failed X (the rule that lets it run). */
const FAILED_EVALUATED = MIGRATIONS.findIndex((sql) => sql.includes("u.status = 'failed' AND tasks.id = '.evaluate-' || u.id"));

/** What an older app left: its migrations up to `upTo`, then `rows` (SQLite's SQL); returns where the store is. */
function olderDatabase(kind: StoreKind, upTo: number, rows: string[]): string {
  if (kind === 'sqlite') {
    const path = join(dir, 'graph.db');
    const old = new Database(path);
    old.pragma('foreign_keys = ON');
    for (const [index, sql] of MIGRATIONS.slice(0, upTo).entries()) {
      old.exec(sql);
      old.pragma(`user_version = ${index + 1}`);
    }
    for (const sql of rows) old.exec(sql);
    old.close();
    return path;
  }
  // A project's schema as an older app made it (postgres/pg-migrate.ts): its functions, its version, its tables.
  const { url, schema, psql } = freshSchema('migrate');
  psql(
    [
      `CREATE SCHEMA "${schema}"`,
      `SET search_path TO "${schema}"`,
      POSTGRES_FUNCTIONS,
      'CREATE TABLE schema_version (version integer NOT NULL)',
      `INSERT INTO schema_version (version) VALUES (${upTo})`,
      ...PG_MIGRATIONS.slice(0, upTo),
      ...rows,
    ].join(';\n'),
  );
  return url;
}

describe.each(STORE_KINDS)('on %s', (kind) => {
  describe('the migration to upstream statuses and priorities', () => {
    it('keeps every task, dependency, tag and log entry of an older database and turns its ranks into numbers', async () => {
      dir = mkdtempSync(join(tmpdir(), 'wg-migrate-'));
      const task = (id: string, seq: number, title: string, status: string, priority: number, blockers: number) =>
        `INSERT INTO tasks (id, seq, title, status, priority, created_at, blockers, rev) VALUES ('${id}', ${seq}, '${title}', '${status}', ${priority}, '2026-01-01T00:00:00Z', ${blockers}, 1)`;
      const location = olderDatabase(kind, REBUILD, [
        task('crit', 1, 'Critical', 'done', 0, 0),
        task('hi', 2, 'High', 'open', 1, 1),
        task('norm', 3, 'Normal', 'open', 2, 0),
        task('lo', 4, 'Low', 'open', 3, 0),
        "INSERT INTO deps (task_id, dep_id) VALUES ('hi', 'norm')",
        "INSERT INTO task_tags (task_id, tag) VALUES ('hi', 'x')",
        "INSERT INTO task_log (task_id, timestamp, actor, message) VALUES ('hi', '2026-01-01T00:00:00Z', 'user', 'made')",
        "UPDATE meta SET value = 4 WHERE key = 'task_seq'",
      ]);

      const store = await Store.open(location);
      try {
        const tasks = new Map((await store.list()).map((t) => [t.id, t]));
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
        expect((await store.ready()).map((t) => t.id)).toEqual(['norm', 'lo']);
        // A database that held tasks is not a candidate for the automatic upstream import.
        expect((await sqlText<{ value: number }>(store.core, "SELECT value FROM meta WHERE key = 'upstream_checked'").get())?.value).toBe(
          1,
        );
        // The migrated store goes on as a new one does: the next task takes the next number, the log the next line.
        await store.tasks.add({ title: 'After the migration', after: ['hi'] }, 'user');
        await store.tasks.log('hi', 'still here', 'user');
        expect((await store.get('after-the-migration')).after).toEqual(['hi']);
        expect((await store.get('hi')).log.map((e) => e.message)).toEqual(['made', 'still here']);
        // The rebuilt tasks table is still what dependencies and tags must name (PostgreSQL's foreign keys put back).
        for (const sql of [
          "INSERT INTO deps (task_id, dep_id) VALUES ('hi', 'gone')",
          "INSERT INTO task_tags (task_id, tag) VALUES ('gone', 'x')",
        ]) {
          await expect(() => store.core.write(() => sqlText(store.core, sql).run()), sql).rejects.toThrow();
        }
      } finally {
        await store.close();
      }
    });
  });

  describe('the recount for the evaluation of failed work', () => {
    it("lets an older database's .evaluate-X of a failed X run, as a new one does, and leaves the other counts as they were", async () => {
      dir = mkdtempSync(join(tmpdir(), 'wg-migrate-'));
      const task = (id: string, seq: number, status: string, blockers: number) =>
        `INSERT INTO tasks (id, seq, title, status, priority, created_at, blockers, rev) VALUES ('${id}', ${seq}, '${id}', '${status}', 10, '2026-01-01T00:00:00Z', ${blockers}, 1)`;
      // As an older app counted them: the failed X held both its evaluation and its regular dependent.
      const location = olderDatabase(kind, FAILED_EVALUATED, [
        task('x', 1, 'failed', 0),
        task('.evaluate-x', 2, 'open', 1),
        task('next', 3, 'open', 1),
        "INSERT INTO deps (task_id, dep_id) VALUES ('.evaluate-x', 'x')",
        "INSERT INTO deps (task_id, dep_id) VALUES ('next', 'x')",
        "UPDATE meta SET value = 3 WHERE key = 'task_seq'",
      ]);
      const store = await Store.open(location);
      try {
        expect((await store.ready()).map((t) => t.id)).toEqual(['.evaluate-x']);
        expect(await sqlText<{ id: string; blockers: number }>(store.core, 'SELECT id, blockers FROM tasks ORDER BY seq').all()).toEqual([
          { id: 'x', blockers: 0 },
          { id: '.evaluate-x', blockers: 0 },
          { id: 'next', blockers: 1 },
        ]);
      } finally {
        await store.close();
      }
    });
  });
});

describe.skipIf(!STORE_KINDS.includes('postgres'))("a team's schema an older wg's coordinator runs on", () => {
  const FAR = 9_999_999_999_999;
  const coordinator = (id: string, renewedAt: number, expiresAt: number, host = 'team-b', pid = 4242) =>
    `INSERT INTO coordinators (id, role, epoch, host, folder, pid, started_at, renewed_at, expires_at) VALUES ('${id}', 'holder', 1, '${host}', '/srv/${id}', ${pid}, 0, ${renewedAt}, ${expiresAt})`;

  it('is not upgraded while that coordinator holds its lease: one line names it, and the version stays', async () => {
    dir = mkdtempSync(join(tmpdir(), 'wg-migrate-'));
    const older = MIGRATIONS.length - 1;
    // A lease that runs far into the future: the coordinator is running.
    const url = olderDatabase('postgres', older, [coordinator('a', 0, FAR)]);
    await expect(() => Store.open(url)).rejects.toThrow(
      `the project's database is version ${older}, and an older wg's coordinator runs on it (team-b:/srv/a, pid 4242): stop it there (wg service stop) before this wg (${MIGRATIONS.length}) upgrades it; nothing was changed`,
    );
    // Asked again, it is still that version: the refusal changed nothing.
    await expect(() => Store.open(url)).rejects.toThrow(`the project's database is version ${older}, and`);
  });

  it('is upgraded once its coordinators stopped (a released lease), lapsed, or were killed on this machine', async () => {
    dir = mkdtempSync(join(tmpdir(), 'wg-migrate-'));
    const rows = [coordinator('a', 10, 5), coordinator('b', 0, 1), coordinator('c', 0, FAR, hostname(), 2_147_483_646)];
    const url = olderDatabase('postgres', MIGRATIONS.length - 1, rows);
    const store = await Store.open(url);
    try {
      expect((await sqlText<{ version: number }>(store.core, 'SELECT version FROM schema_version').get())?.version).toBe(MIGRATIONS.length);
    } finally {
      await store.close();
    }
  });
});
