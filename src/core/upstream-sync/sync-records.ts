import { sql } from 'kysely';
import type { StoreCore } from '../store/store-core';
import type { FileStamp } from './graph-file';
import type { Line } from './task-merge';

/*
 * What the sync remembers, in graph.db beside the graph (so it commits with what it applied):
 *   upstream_sync_lines:    each task as graph.jsonl had it (its line's text) and as this app wrote it
 *                          (its upstream line) after the last sync: the bases of the next merge;
 *   upstream_sync_state:   the revision of the last sync and the graph.jsonl version it left;
 *   upstream_sync_touched: when each task was last written here (a trigger), to tell which side
 *                          wrote a field later when both changed it;
 *   upstream_sync_removed: the tasks a sync removed, so a refused older version of graph.jsonl
 *                          (graph-sync.ts) cannot bring them back as if new;
 *   upstream_sync_kept:    each task a sync removed, whole (this app's own line, with what graph.jsonl
 *                          never holds: its executor, role, results, evaluation), and graph.jsonl's line
 *                          then, for KEPT_DAYS: a version that has it again (a stash popped, a checkout
 *                          undone) brings it back whole, with only the changes its line made since;
 *   upstream_sync_earlier: graph.jsonl's earlier lines of each task by their stamp, without their log, for
 *                          EARLIER_HOURS: a copy read before this app changed a line and saved later (an
 *                          editor's buffer, a stash) has one of them, changed by hand, and what the person
 *                          changed is told from it (earlierLine).
 * Made on first use, and only in a project that has a graph.jsonl: no other project gets the tables
 * or pays for the trigger on its writes.
 */

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS upstream_sync_lines (id TEXT PRIMARY KEY, theirs_hash TEXT, theirs TEXT, ours TEXT);
  -- Every sync reads all hashes: from this index, not from the table's pages full of lines (5,000 tasks: 10 ms -> 1 ms).
  CREATE INDEX IF NOT EXISTS upstream_sync_hashes ON upstream_sync_lines (id, theirs_hash);
  CREATE TABLE IF NOT EXISTS upstream_sync_state (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS upstream_sync_touched (task_id TEXT PRIMARY KEY, at TEXT NOT NULL) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS upstream_sync_removed (id TEXT PRIMARY KEY) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS upstream_sync_kept (id TEXT PRIMARY KEY, task TEXT NOT NULL, theirs TEXT NOT NULL, removed_at TEXT NOT NULL) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS upstream_sync_earlier (id TEXT NOT NULL, stamp TEXT NOT NULL, theirs TEXT NOT NULL, kept_at TEXT NOT NULL, PRIMARY KEY (id, stamp)) WITHOUT ROWID;
  -- Every keeping drops the lines kept too long, of any task: from this index, not a walk through the table.
  CREATE INDEX IF NOT EXISTS upstream_sync_earlier_age ON upstream_sync_earlier (kept_at);
  -- Every change of a task bumps its rev (log entries, dependencies and tags too); a recount of blockers does not.
  CREATE TRIGGER IF NOT EXISTS upstream_sync_task_written AFTER UPDATE OF rev ON tasks BEGIN
    INSERT INTO upstream_sync_touched (task_id, at) VALUES (NEW.id, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
      ON CONFLICT (task_id) DO UPDATE SET at = excluded.at;
  END;
  CREATE TRIGGER IF NOT EXISTS upstream_sync_task_added AFTER INSERT ON tasks BEGIN
    INSERT INTO upstream_sync_touched (task_id, at) VALUES (NEW.id, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
      ON CONFLICT (task_id) DO UPDATE SET at = excluded.at;
  END;
`;

/*
 * The sync's records are SQLite's alone (a team's graph on PostgreSQL is never synced with a graph.jsonl): they are
 * not among the query builder's tables, so their statements are kysely `sql` templates in SQLite's words.
 */

/** Now, as the records stamp it (UTC ISO with milliseconds). */
const NOW = sql<string>`strftime('%Y-%m-%dT%H:%M:%fZ', 'now')`;

/** `hours` before now, stamped as NOW. */
const hoursAgo = (hours: number) => sql<string>`strftime('%Y-%m-%dT%H:%M:%fZ', 'now', ${`-${hours} hours`})`;

export async function ensureSyncRecords(core: StoreCore): Promise<void> {
  const present = await core.get(
    sql<{
      n: number;
    }>`SELECT count(*) AS n FROM sqlite_master WHERE name IN ('upstream_sync_hashes', 'upstream_sync_task_added', 'upstream_sync_removed', 'upstream_sync_kept', 'upstream_sync_earlier_age')`,
  );
  if (present?.n === 5) return;
  // Schema only: no revision (nothing a window shows changed).
  await core.conn.write(() => core.conn.exec(SCHEMA));
}

export interface BaseRow {
  theirs: Line | null;
  /** graph.jsonl's line as its very text (written back byte for byte when nothing changed it). */
  theirsText: string | null;
  ours: Line | null;
}

export interface SyncState {
  /** The store's revision the last sync left; null: never synced. */
  rev: number | null;
  stamp: FileStamp | null;
}

function parseLine(text: string | null): Line | null {
  return text === null ? null : (JSON.parse(text) as Line);
}

export async function readState(core: StoreCore): Promise<SyncState> {
  const rows = await core.all(sql<{ key: string; value: string }>`SELECT key, value FROM upstream_sync_state`);
  const value = (key: string) => rows.find((r) => r.key === key)?.value ?? null;
  const rev = value('rev');
  const stamp = value('stamp');
  return { rev: rev === null ? null : Number(rev), stamp: stamp === null ? null : (JSON.parse(stamp) as FileStamp) };
}

export async function writeState(core: StoreCore, state: { rev: number; stamp: FileStamp | null }): Promise<void> {
  const put = (key: string, value: string) =>
    core.send(
      sql`INSERT INTO upstream_sync_state (key, value) VALUES (${key}, ${value}) ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
    );
  await put('rev', String(state.rev));
  await put('stamp', JSON.stringify(state.stamp));
  // A version taken in (or written over) ends a merge the person was finishing (markConflicted).
  await core.send(sql`DELETE FROM upstream_sync_state WHERE key = 'conflicted'`);
}

/**
 * graph.jsonl was read with git's conflict markers in it: the person finishes the merge, keeping the lines of each task
 * they want (what the sync told them), and the next version is their choice, an older line of a task included.
 */
export async function markConflicted(core: StoreCore): Promise<void> {
  await core.send(sql`INSERT INTO upstream_sync_state (key, value) VALUES ('conflicted', '1') ON CONFLICT (key) DO NOTHING`);
}

/** Whether the last version read had conflict markers and none was taken in since (markConflicted). */
export async function conflicted(core: StoreCore): Promise<boolean> {
  return (await core.get(sql`SELECT 1 FROM upstream_sync_state WHERE key = 'conflicted'`)) !== undefined;
}

/** The hash of each task's graph.jsonl line at the last sync (null: graph.jsonl did not have it). */
export async function baseHashes(core: StoreCore): Promise<Map<string, string | null>> {
  const rows = await core.all(sql<{ id: string; theirs_hash: string | null }>`SELECT id, theirs_hash FROM upstream_sync_lines`);
  return new Map(rows.map((row) => [row.id, row.theirs_hash]));
}

export async function readBase(core: StoreCore, id: string): Promise<BaseRow | null> {
  const row = await core.get(
    sql<{ theirs: string | null; ours: string | null }>`SELECT theirs, ours FROM upstream_sync_lines WHERE id = ${id}`,
  );
  return row ? { theirs: parseLine(row.theirs), theirsText: row.theirs, ours: parseLine(row.ours) } : null;
}

/** This app's line of the task at the last sync, as text (compared as written). */
export async function baseOursText(core: StoreCore, id: string): Promise<string | null | undefined> {
  return (await core.get(sql<{ ours: string | null }>`SELECT ours FROM upstream_sync_lines WHERE id = ${id}`))?.ours;
}

export async function writeBase(
  core: StoreCore,
  id: string,
  theirs: { text: string; hash: string } | null,
  ours: string | null,
): Promise<void> {
  if (theirs === null && ours === null) {
    await core.send(sql`DELETE FROM upstream_sync_lines WHERE id = ${id}`);
    await core.send(sql`DELETE FROM upstream_sync_earlier WHERE id = ${id}`);
    return;
  }
  await core.send(
    sql`INSERT INTO upstream_sync_lines (id, theirs, theirs_hash, ours) VALUES (${id}, ${theirs?.text ?? null}, ${theirs?.hash ?? null}, ${ours})
     ON CONFLICT (id) DO UPDATE SET theirs = excluded.theirs, theirs_hash = excluded.theirs_hash, ours = excluded.ours`,
  );
}

/**
 * How long a task's earlier graph.jsonl lines are kept: a copy read that long before is not told from. Each change
 * stamps the line (an agent's every `wg log`), so a count would reach back only minutes during a run.
 */
const EARLIER_HOURS = 24;
/** At most this many of them per task, the latest: a task changed more often than that in EARLIER_HOURS reaches less far. */
const EARLIER_MOST = 200;

/** The stamp a line carries, as its text (upstream reads a line without `last_interaction_at` as changed at its creation). */
export function stampText(line: Line): string | null {
  const stamp = line.last_interaction_at ?? line.created_at;
  return typeof stamp === 'string' ? stamp : null;
}

/**
 * graph.jsonl's line of the task that a sync replaces by one with another stamp: kept (its log left out, which no edit
 * by hand is told by, and which makes most of a busy task's line).
 */
export async function keepEarlierLine(core: StoreCore, id: string, stamp: string, line: Line): Promise<void> {
  const { log: _log, ...kept } = line;
  await core.send(
    sql`INSERT INTO upstream_sync_earlier (id, stamp, theirs, kept_at) VALUES (${id}, ${stamp}, ${JSON.stringify(kept)}, ${NOW})
       ON CONFLICT (id, stamp) DO UPDATE SET theirs = excluded.theirs, kept_at = excluded.kept_at`,
  );
  await core.send(sql`DELETE FROM upstream_sync_earlier WHERE kept_at < ${hoursAgo(EARLIER_HOURS)}`);
  await core.send(
    sql`DELETE FROM upstream_sync_earlier WHERE id = ${id} AND stamp NOT IN
       (SELECT stamp FROM upstream_sync_earlier WHERE id = ${id} ORDER BY stamp DESC LIMIT ${sql.lit(EARLIER_MOST)})`,
  );
}

/** graph.jsonl's earlier line of the task that carried `stamp`, if kept. */
export async function earlierLine(core: StoreCore, id: string, stamp: string): Promise<Line | null> {
  const row = await core.get(sql<{ theirs: string }>`SELECT theirs FROM upstream_sync_earlier WHERE id = ${id} AND stamp = ${stamp}`);
  return row ? (JSON.parse(row.theirs) as Line) : null;
}

/** When the task was last written here (ms), if known. */
export async function touchedAt(core: StoreCore, id: string): Promise<number | null> {
  const at = (await core.get(sql<{ at: string }>`SELECT at FROM upstream_sync_touched WHERE task_id = ${id}`))?.at;
  return at === undefined ? null : Date.parse(at);
}

/** A sync removed the task (on either side), or it is back (`removed` false). */
export async function markRemoved(core: StoreCore, id: string, removed: boolean): Promise<void> {
  if (removed) await core.send(sql`INSERT INTO upstream_sync_removed (id) VALUES (${id}) ON CONFLICT DO NOTHING`);
  else await core.send(sql`DELETE FROM upstream_sync_removed WHERE id = ${id}`);
}

export async function wasRemoved(core: StoreCore, id: string): Promise<boolean> {
  return (await core.get(sql`SELECT 1 FROM upstream_sync_removed WHERE id = ${id}`)) !== undefined;
}

/** How long a task a sync removed is kept whole, to be brought back if graph.jsonl has it again. */
const KEPT_DAYS = 30;

/** A task a sync removes: kept whole (`task`, this app's own line) with graph.jsonl's line of it then (`theirs`). */
export async function keepRemovedTask(core: StoreCore, id: string, task: Line, theirs: Line): Promise<void> {
  await core.send(sql`DELETE FROM upstream_sync_kept WHERE removed_at < ${hoursAgo(KEPT_DAYS * 24)}`);
  await core.send(
    sql`INSERT INTO upstream_sync_kept (id, task, theirs, removed_at) VALUES (${id}, ${JSON.stringify(task)}, ${JSON.stringify(theirs)}, ${NOW})
       ON CONFLICT (id) DO UPDATE SET task = excluded.task, theirs = excluded.theirs, removed_at = excluded.removed_at`,
  );
}

/** The task a sync removed, kept whole, and graph.jsonl's line of it then; taken out of the records (it is back). */
export async function takeKeptTask(core: StoreCore, id: string): Promise<{ task: Line; theirs: Line } | null> {
  const kept = await keptTask(core, id);
  if (kept) await core.send(sql`DELETE FROM upstream_sync_kept WHERE id = ${id}`);
  return kept;
}

/** A removed task as it was kept (keepRemovedTask), left kept. */
export async function keptTask(core: StoreCore, id: string): Promise<{ task: Line; theirs: Line } | null> {
  const row = await core.get(sql<{ task: string; theirs: string }>`SELECT task, theirs FROM upstream_sync_kept WHERE id = ${id}`);
  return row ? { task: JSON.parse(row.task) as Line, theirs: JSON.parse(row.theirs) as Line } : null;
}
