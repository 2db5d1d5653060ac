import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../src/core/store/migrations';
import { TempProject } from '../helpers/wg-cli';
import { RECOVER } from './support/damaged-db';

/**
 * `wg check --db` on a graph.db whose pages are whole (SQLite's integrity_check finds nothing) but whose contents are
 * not what this app reads: a JSON column holding something that is not JSON, or a table, column or index the
 * migrations make that another program dropped. Each is named on a line of its own, the command exits 1 and says how
 * to recover, and nothing is changed: no note is left, so every other command still reads what is whole.
 */
let projects: TempProject[] = [];
afterEach(() => {
  for (const p of projects) p.remove();
  projects = [];
});

async function project(): Promise<{ p: TempProject; db: string }> {
  const p = new TempProject('wg-dbcheck-');
  projects.push(p);
  await p.ok(['init']);
  await p.ok(['add', 'First', '--id', 'first']);
  await p.ok(['add', 'Second', '--id', 'second', '--after', 'first']);
  return { p, db: join(p.root, '.workgraph', 'graph.db') };
}

/** Runs `work` on graph.db as another program would, and leaves everything in the file itself (no -wal beside it). */
function edit(db: string, work: (conn: Database.Database) => void): void {
  const conn = new Database(db);
  try {
    work(conn);
    conn.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    conn.close();
  }
}

const BAD = '{"not": json';

/*
 * Damaged rows of tasks are done ones: SQLite itself refuses a task whose extra is not JSON while the task is open (the
 * tasks_due index reads extra's ready_after), so it is such a task that another program's write can leave damaged.
 */

/**
 * Every JSON column in graph.db (the ones this app parses), in the order the check goes through them, with a row to
 * hold a damaged value in `column` (every other column of the row as this app writes it). The upstream_* tables are
 * made on first use beside upstream's graph.jsonl, not by the migrations.
 */
const JSON_COLUMNS: Array<{ table: string; column: string; row: (key: string, column: string) => string }> = [];
const add = (table: string, columns: string[], row: (key: string, column: string) => string) => {
  for (const column of columns) JSON_COLUMNS.push({ table, column, row });
};
const value = (column: string, damaged: string, whole: string) => (column === damaged ? `'${BAD}'` : `'${whole}'`);
add(
  'tasks',
  ['artifacts', 'results', 'evaluation', 'extra'],
  (key, c) =>
    `INSERT INTO tasks (id, seq, title, status, created_at, rev, ${c}) VALUES ('${key}', 100, 'T', 'done', '2026-01-01T00:00:00Z', 1, '${BAD}')`,
);
add(
  'agents',
  ['launch'],
  (key, c) =>
    `INSERT INTO agents (id, task_id, executor, state, started_at, rev, ${c}) VALUES ('${key}', 'second', 'claude', 'done', '2026-01-01T00:00:00Z', 1, '${BAD}')`,
);
add(
  'agent_tokens',
  ['roles', 'repos'],
  (key, c) => `INSERT INTO agent_tokens (name, hash, last4, created_at, ${c}) VALUES ('${key}', '${key}', 'abcd', '2026-01-01', '${BAD}')`,
);
add('other_nodes', ['node'], (key, c) => `INSERT INTO other_nodes (id, seq, ${c}) VALUES ('${key}', 1, '${BAD}')`);
add(
  'worktrees',
  ['conflict_files', 'setup_files', 'decided_pass'],
  (key, c) =>
    `INSERT INTO worktrees (id, task_id, path, branch, base_branch, base_commit, owner, state, created_at, updated_at, rev, ${c})
     VALUES ('${key}', 'second', '/x', 'b', 'main', 'abc', 'agent', 'merged', 'now', 'now', 1, '${BAD}')`,
);
add(
  'agency_components',
  ['content', 'extra'],
  (key, c) =>
    `INSERT INTO agency_components (id, name, description, category, content, extra, created_at)
     VALUES ('${key}', 'n', 'd', 'skill', ${value('content', c, '{"name":"x"}')}, ${value('extra', c, '{}')}, 'now')`,
);
add(
  'agency_outcomes',
  ['success_criteria', 'extra'],
  (key, c) => `INSERT INTO agency_outcomes (id, name, description, created_at, ${c}) VALUES ('${key}', 'n', 'd', 'now', '${BAD}')`,
);
add(
  'agency_tradeoffs',
  ['acceptable', 'unacceptable', 'extra'],
  (key, c) => `INSERT INTO agency_tradeoffs (id, name, description, created_at, ${c}) VALUES ('${key}', 'n', 'd', 'now', '${BAD}')`,
);
add(
  'agency_roles',
  ['component_ids', 'extra'],
  (key, c) => `INSERT INTO agency_roles (id, name, created_at, ${c}) VALUES ('${key}', 'n', 'now', '${BAD}')`,
);
add(
  'agency_agents',
  ['capabilities', 'extra'],
  (key, c) =>
    `INSERT INTO agency_agents (id, name, role_id, tradeoff_id, created_at, ${c}) VALUES ('${key}', 'n', 'r', 't', 'now', '${BAD}')`,
);
add(
  'evaluations',
  ['dimensions'],
  (_key, c) => `INSERT INTO evaluations (id, task_id, score, source, timestamp, ${c}) VALUES (7, 'second', 0.5, 'llm', 'now', '${BAD}')`,
);
add('team_settings', ['value'], (key, c) => `INSERT INTO team_settings (key, rev, ${c}) VALUES ('${key}', 1, '${BAD}')`);
add('upstream_sync_lines', ['theirs', 'ours'], (key, c) => `INSERT INTO upstream_sync_lines (id, ${c}) VALUES ('${key}', '${BAD}')`);
add('upstream_sync_state', ['value'], (key, c) => `INSERT INTO upstream_sync_state (key, ${c}) VALUES ('${key}', '${BAD}')`);
add(
  'upstream_sync_kept',
  ['task', 'theirs'],
  (key, c) =>
    `INSERT INTO upstream_sync_kept (id, task, theirs, removed_at) VALUES ('${key}', ${value('task', c, '{}')}, ${value('theirs', c, '{}')}, 'now')`,
);
add('upstream_import', ['stamp'], (_key, c) => `INSERT INTO upstream_import (rev, text, ${c}) VALUES (1, '', '${BAD}')`);

/** The upstream_* tables as upstream-sync/sync-records.ts and opening/upstream-graph.ts make them. */
const UPSTREAM_TABLES = `
  CREATE TABLE upstream_sync_lines (id TEXT PRIMARY KEY, theirs_hash TEXT, theirs TEXT, ours TEXT);
  CREATE TABLE upstream_sync_state (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
  CREATE TABLE upstream_sync_kept (id TEXT PRIMARY KEY, task TEXT NOT NULL, theirs TEXT NOT NULL, removed_at TEXT NOT NULL) WITHOUT ROWID;
  CREATE TABLE upstream_import (rev INTEGER NOT NULL, stamp TEXT NOT NULL, text TEXT NOT NULL);
`;

/** The key a damaged row is named by: evaluations and upstream_import are numbered by SQLite. */
const keyOf = (table: string, column: string) => (table === 'evaluations' ? '7' : table === 'upstream_import' ? '1' : `bad-${column}`);

describe('wg check --db on a graph.db whose pages are whole but whose contents are not', () => {
  it('names every value of every JSON column that is not JSON (table, row, column), exits 1, and changes nothing', async () => {
    const { p, db } = await project();
    edit(db, (conn) => {
      conn.exec(UPSTREAM_TABLES);
      for (const { table, column, row } of JSON_COLUMNS) conn.exec(row(keyOf(table, column), column));
      // A value SQLite stores as a number reads back as JSON; NULL where the column allows it is no value at all.
      conn.exec("UPDATE tasks SET results = 5, evaluation = NULL WHERE id = 'second'");
    });
    const before = readFileSync(db);

    const check = await p.wg(['check', '--db']);
    expect(check.exitCode).toBe(1);
    expect(check.stdout.split('\n')).toEqual([
      `${db} is damaged; SQLite finds its pages whole (integrity_check: ok), but:`,
      ...JSON_COLUMNS.map(({ table, column }) => `  ${table} '${keyOf(table, column)}': column ${column} is not JSON`),
      `To recover: stop the coordinator (wg service stop), then ${RECOVER}.`,
      "A file 'wg export' wrote can be read into a fresh graph with 'wg import FILE'.",
    ]);
    const json = JSON.parse((await p.wg(['check', '--db', '--json'])).stdout) as Record<string, unknown>;
    expect(json).toMatchObject({
      db,
      ok: false,
      problems: [],
      tasks: null,
      missing: [],
      not_json: JSON_COLUMNS.map(({ table, column }) => ({ table, key: keyOf(table, column), column })),
    });

    // Nothing changed, and no note left: what is whole is still read, and a damaged value is said where it is met.
    expect(readFileSync(db).equals(before)).toBe(true);
    expect(existsSync(`${db}-damaged`)).toBe(false);
    expect(await p.wg(['show', 'first'])).toMatchObject({ exitCode: 0, stderr: '' });
    expect((await p.wg(['show', 'bad-results'])).stderr).toBe(
      "wg: graph.db holds a damaged value: the results of task 'bad-results' is not JSON (was graph.db edited by another program?)",
    );
  });

  it('lists at most 100 damaged values in words, and every one with --json', async () => {
    const { p, db } = await project();
    edit(db, (conn) => {
      const insert = conn.prepare(
        "INSERT INTO tasks (id, seq, title, status, created_at, rev, extra) VALUES (?, ?, 'T', 'done', '2026-01-01T00:00:00Z', 1, 'x')",
      );
      for (let i = 0; i < 150; i++) insert.run(`t${i}`, 100 + i);
    });
    const lines = (await p.wg(['check', '--db'])).stdout.split('\n');
    expect(lines.slice(1, 102)).toEqual([
      ...Array.from({ length: 100 }, (_, i) => `  tasks 't${i}': column extra is not JSON`),
      '  and 50 more values that are not JSON (wg check --db --json lists every one)',
    ]);
    const json = JSON.parse((await p.wg(['check', '--db', '--json'])).stdout) as { not_json: unknown[] };
    expect(json.not_json).toHaveLength(150);
  });

  it('names each table, column and index the migrations make that is gone, exits 1, and changes nothing', async () => {
    const { p, db } = await project();
    edit(db, (conn) => {
      // Gone with its JSON column: the values of agents.launch are not looked for.
      conn.exec(`
        DROP TABLE message_cursors;
        DROP TABLE agency_assignments;
        ALTER TABLE tasks DROP COLUMN session_id;
        ALTER TABLE agents DROP COLUMN launch;
        DROP INDEX tasks_ready;
        DROP INDEX deps_by_dep;
      `);
    });
    const before = readFileSync(db);

    const check = await p.wg(['check', '--db']);
    expect(check.exitCode).toBe(1);
    expect(check.stdout.split('\n')).toEqual([
      `${db} is damaged; SQLite finds its pages whole (integrity_check: ok), but:`,
      '  table agency_assignments is missing',
      '  table message_cursors is missing',
      '  column agents.launch is missing',
      '  column tasks.session_id is missing',
      '  index deps_by_dep is missing',
      '  index tasks_ready is missing',
      `To recover: stop the coordinator (wg service stop), then ${RECOVER}.`,
      "A file 'wg export' wrote can be read into a fresh graph with 'wg import FILE'.",
    ]);
    expect(JSON.parse((await p.wg(['check', '--db', '--json'])).stdout)).toMatchObject({
      ok: false,
      missing: [
        { kind: 'table', name: 'agency_assignments' },
        { kind: 'table', name: 'message_cursors' },
        { kind: 'column', name: 'agents.launch' },
        { kind: 'column', name: 'tasks.session_id' },
        { kind: 'index', name: 'deps_by_dep' },
        { kind: 'index', name: 'tasks_ready' },
      ],
      not_json: [],
    });
    expect(readFileSync(db).equals(before)).toBe(true);
    expect(existsSync(`${db}-damaged`)).toBe(false);
  });

  it('a whole graph.db, and one made by an older app (before a migration that adds a column), are whole', async () => {
    const { p, db } = await project();
    expect(await p.wg(['check', '--db'])).toMatchObject({ exitCode: 0, stdout: `${db}: whole (SQLite integrity_check: ok; 2 tasks)` });
    // A migration adds coordinators.capacity: a file made before it has no such column, nor the names a later
    // migration gave (daemon_jobs was remote_jobs, agents.runs_elsewhere was agents.remote), and lacks nothing.
    const capacity = MIGRATIONS.findIndex((sql) => sql.includes('ALTER TABLE coordinators ADD COLUMN capacity'));
    expect(capacity).toBeGreaterThan(0);
    edit(db, (conn) => {
      conn.exec(`ALTER TABLE coordinators DROP COLUMN capacity;
        ALTER TABLE daemon_jobs RENAME TO remote_jobs;
        DROP INDEX daemon_jobs_active;
        DROP INDEX daemon_jobs_ended;
        CREATE INDEX remote_jobs_active ON remote_jobs (state) WHERE state IN ('assigned','running');
        CREATE INDEX remote_jobs_ended ON remote_jobs (ended_at) WHERE ended_at IS NOT NULL;
        ALTER TABLE agents RENAME COLUMN runs_elsewhere TO remote;`);
      conn.pragma(`user_version = ${capacity}`);
    });
    expect(await p.wg(['check', '--db'])).toMatchObject({ exitCode: 0, stdout: `${db}: whole (SQLite integrity_check: ok; 2 tasks)` });
  });
});
