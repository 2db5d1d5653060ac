import type { LogEntry, Task, TaskDetail, TaskLink, TaskStatus, TaskSummary } from '../../shared/task';
import { dependencyHold } from '../../shared/task-hold';
import { notFound } from '../../shared/errors';
import type { StoreCore } from './store-core';
import { SUMMARY_COLUMNS, toTask, toTaskSummary, type TaskRow, type TaskSummaryRow } from './rows';
import { DUE_AT, HAS_DUE, READY_AFTER, READY_AT, READY_NOW, READY_ORDER } from './readiness-sql';
import { newestWorktreeRowsSoon, toTaskWorktree } from './worktree-rows';
import type { Soon } from './sql-connection';

const BY_IDS = 'task_id IN (SELECT value FROM json_each(?))';

/** Which tasks a side-table query reads: one (the common case: every claim) by plain equality, without the JSON table. */
function selectionOf(ids: readonly string[]): [where: string, ids: string] {
  return ids.length === 1 ? ['task_id = ?', ids[0] as string] : [BY_IDS, JSON.stringify(ids)];
}

/**
 * The side-table parts (deps, tags, newest worktree) of the tasks `ids`, asked for together (one round trip on
 * PostgreSQL): how to make a list's item of each one's row.
 */
async function summariesSoon(core: StoreCore, ids: readonly string[]): Promise<Soon<(row: TaskSummaryRow) => TaskSummary>> {
  const [where, selected] = selectionOf(ids);
  // Dependencies kept from an import (on an id not in the graph, or closing an upstream cycle) are listed too, after the
  // others. Each list sorted as the table read sorts it (task-table-read.ts): without ORDER BY, SQLite gives its key's
  // order but PostgreSQL whichever its plan reads, so one task read alone and read with many could differ.
  const deps = await core.soon<{ task_id: string; dep_id: string; kind: string }>(
    `SELECT task_id, dep_id, 0 AS kept, 'dep' AS kind FROM deps WHERE ${where}
     UNION ALL SELECT task_id, dep_id, 1, kind FROM loose_deps WHERE ${where} ORDER BY task_id, kept, dep_id`,
    selected,
    selected,
  );
  const tags = await core.soon<{ task_id: string; tag: string }>(
    `SELECT task_id, tag FROM task_tags WHERE ${where} ORDER BY task_id, tag`,
    selected,
  );
  const worktrees = await newestWorktreeRowsSoon(core, where, selected);
  return async () => {
    const rows = await deps();
    const after = group(rows, (r) => r.dep_id);
    const loopBack = group(
      rows.filter((r) => r.kind === 'cycle'),
      (r) => r.dep_id,
    );
    const tagged = group(await tags(), (r) => r.tag);
    const newest = new Map((await worktrees()).map((w) => [w.task_id, toTaskWorktree(w)]));
    return (row) =>
      toTaskSummary(row, {
        after: after.get(row.id) ?? [],
        loop_back: loopBack.get(row.id) ?? [],
        tags: tagged.get(row.id) ?? [],
        worktree: newest.get(row.id) ?? null,
      });
  };
}

async function summaries(core: StoreCore, rows: TaskSummaryRow[]): Promise<TaskSummary[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((row) => row.id);
  const summaryOf = await (await summariesSoon(core, ids))();
  return rows.map((row) => summaryOf(row));
}

/**
 * One task's log, dependencies (kept ones from an import too) and tags in one statement, told apart by `part`: a
 * claim reads one whole task inside the project's write turn, where each statement is a round trip to the server.
 * Each part in the order of a read of many: the log as written, the lists sorted, a kept dependency (n = 1) last.
 */
const ONE_TASK_PARTS = `SELECT 0 AS part, id AS n, timestamp AS a, actor AS b, message AS c, user AS d FROM task_log WHERE task_id = ?
  UNION ALL SELECT 1, 0, dep_id, NULL, NULL, NULL FROM deps WHERE task_id = ?
  UNION ALL SELECT 1, 1, dep_id, kind, NULL, NULL FROM loose_deps WHERE task_id = ?
  UNION ALL SELECT 2, 0, tag, NULL, NULL, NULL FROM task_tags WHERE task_id = ?
  ORDER BY part, n, a`;

interface TaskPartRow {
  part: number;
  n: number;
  a: string;
  b: string | null;
  c: string | null;
  d: string | null;
}

/** What one whole task needs besides its row (ONE_TASK_PARTS, and its newest worktree), asked for together. */
async function oneTaskSoon(core: StoreCore, id: string): Promise<Soon<(row: TaskRow) => Task>> {
  const parts = await core.soon<TaskPartRow>(ONE_TASK_PARTS, id, id, id, id);
  const worktree = await newestWorktreeRowsSoon(core, 'task_id = ?', id);
  return async () => {
    const log: LogEntry[] = [];
    const after: string[] = [];
    const loopBack: string[] = [];
    const tags: string[] = [];
    for (const part of await parts()) {
      const kind = Number(part.part);
      if (kind === 1) {
        after.push(part.a);
        if (part.b === 'cycle') loopBack.push(part.a);
      } else if (kind === 2) tags.push(part.a);
      else {
        const entry: LogEntry = { timestamp: part.a, actor: part.b ?? '', message: part.c ?? '' };
        log.push(part.d === null ? entry : { ...entry, user: part.d });
      }
    }
    const newest = (await worktree())[0];
    return (row) =>
      toTask(toTaskSummary(row, { after, loop_back: loopBack, tags, worktree: newest ? toTaskWorktree(newest) : null }), row, log);
  };
}

/**
 * What whole tasks need besides their rows, for the tasks `ids`, asked for together (the rows may be read in the same
 * go): how to make each whole task of its row. One task (every claim) in two statements, many in four.
 */
async function wholeTasksSoon(core: StoreCore, ids: readonly string[]): Promise<Soon<(row: TaskRow) => Task>> {
  if (ids.length === 1) return oneTaskSoon(core, ids[0] as string);
  const [where, selected] = selectionOf(ids);
  const logs = await core.soon<LogEntry & { task_id: string; user: string | null }>(
    `SELECT task_id, timestamp, actor, message, user FROM task_log WHERE ${where} ORDER BY id`,
    selected,
  );
  const summary = await summariesSoon(core, ids);
  return async () => {
    const byTask = group(
      await logs(),
      (r): LogEntry =>
        r.user === null
          ? { timestamp: r.timestamp, actor: r.actor, message: r.message }
          : { timestamp: r.timestamp, actor: r.actor, message: r.message, user: r.user },
    );
    const summaryOf = await summary();
    return (row) => toTask(summaryOf(row), row, byTask.get(row.id) ?? []);
  };
}

/** Whole tasks of rows already read. */
async function hydrate(core: StoreCore, rows: TaskRow[]): Promise<Task[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((row) => row.id);
  const taskOf = await (await wholeTasksSoon(core, ids))();
  return rows.map((row) => taskOf(row));
}

function group<R extends { task_id: string }, V>(rows: R[], value: (row: R) => V): Map<string, V[]> {
  const map = new Map<string, V[]>();
  for (const row of rows) {
    const list = map.get(row.task_id);
    if (list) list.push(value(row));
    else map.set(row.task_id, [value(row)]);
  }
  return map;
}

export async function findTaskRow(core: StoreCore, id: string): Promise<TaskRow | undefined> {
  return core.sql<TaskRow>('SELECT * FROM tasks WHERE id = ?').get(id);
}

/** Who has a task and in what state: what a status change needs (a whole row is four times dearer to read). */
export type TaskState = Pick<TaskRow, 'id' | 'status' | 'assigned'>;

/** Who has a task and its state; `schedule` says whether settling it must rearm a repeat (most have none). */
export async function findTaskState(core: StoreCore, id: string): Promise<(TaskState & Pick<TaskRow, 'schedule'>) | undefined> {
  return core.sql<TaskState & Pick<TaskRow, 'schedule'>>('SELECT id, status, assigned, schedule FROM tasks WHERE id = ?').get(id);
}

export async function requireTaskRow(core: StoreCore, id: string): Promise<TaskRow> {
  const row = await findTaskRow(core, id);
  if (!row) throw notFound('task', id);
  return row;
}

export async function getTask(core: StoreCore, id: string): Promise<Task> {
  const found = (await tasksWithRows(core, [id])).get(id);
  if (!found) throw notFound('task', id);
  return found.task;
}

/** The whole task of a row just read. */
export async function taskFromRow(core: StoreCore, row: TaskRow): Promise<Task> {
  return (await hydrate(core, [row]))[0] as Task;
}

/**
 * The rows and whole tasks of `ids` (those that exist), read together: a turn's claims read their tasks in one go
 * (one round trip on PostgreSQL) however many they are.
 */
export async function tasksWithRows(core: StoreCore, ids: readonly string[]): Promise<Map<string, { row: TaskRow; task: Task }>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Map();
  // One (every claim, every `wg show`) by its key, as findTaskRow reads it; many through the JSON table.
  const rows =
    unique.length === 1
      ? await core.soon<TaskRow>('SELECT * FROM tasks WHERE id = ?', unique[0])
      : await core.soon<TaskRow>('SELECT * FROM tasks WHERE id IN (SELECT value FROM json_each(?))', JSON.stringify(unique));
  const whole = await wholeTasksSoon(core, unique);
  const found = await rows();
  const make = await whole();
  return new Map(found.map((row) => [row.id, { row, task: make(row) }]));
}

export interface TaskFilter {
  status?: TaskStatus;
  /** A tag, or several: a task with every one of them (upstream's repeated --tag). */
  tag?: string | readonly string[];
  /** Only paused tasks (upstream's --paused). */
  paused?: boolean;
  /** Only tasks of this priority number (upstream's --priority). */
  priority?: number;
  /** False hides upstream's system tasks (ids starting with a dot) but an unfinished `.merge-X`; shown unless said. */
  system?: boolean;
}

/** The rows a filter selects, in the graph's order: whole, or only a list item's columns. */
async function listedRows<R>(core: StoreCore, filter: TaskFilter, columns: string): Promise<R[]> {
  const where: string[] = [];
  const params: Array<string | number> = [];
  // A `.merge-X` still waiting for a person stays listed (awaitsMerge in shared/task.ts).
  if (filter.system === false) where.push("(substr(id, 1, 1) <> '.' OR (id LIKE '.merge-%' AND status NOT IN ('done', 'abandoned')))");
  if (filter.status) {
    where.push('status = ?');
    params.push(filter.status);
  }
  for (const tag of typeof filter.tag === 'string' ? [filter.tag] : (filter.tag ?? [])) {
    where.push('id IN (SELECT task_id FROM task_tags WHERE tag = ?)');
    params.push(tag);
  }
  if (filter.paused) where.push('paused = 1');
  if (filter.priority !== undefined) {
    where.push('priority = ?');
    params.push(filter.priority);
  }
  if (filter.paused) where.push('paused = 1');
  const sql = `SELECT ${columns} FROM tasks ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq`;
  return core.sql<R>(sql).all(...params);
}

export async function listTasks(core: StoreCore, filter: TaskFilter = {}): Promise<Task[]> {
  return hydrate(core, await listedRows<TaskRow>(core, filter, '*'));
}

/** What `wg list` shows: the tasks as list items (TaskSummary), read from their columns only. */
export async function listTaskSummaries(core: StoreCore, filter: TaskFilter = {}): Promise<TaskSummary[]> {
  return summaries(core, await listedRows<TaskSummaryRow>(core, filter, SUMMARY_COLUMNS));
}

/** Ready tasks in dispatch order (priority, then age). Uses the partial index; no graph walk. */
async function readyTaskRows(core: StoreCore, now: Date, limit = -1): Promise<TaskRow[]> {
  return core
    .sql<TaskRow>(
      `SELECT * FROM tasks INDEXED BY tasks_ready
       WHERE ${READY_AT} ORDER BY ${READY_ORDER} LIMIT ?`,
    )
    .all(now.toISOString(), limit);
}

export async function readyTasks(core: StoreCore, now: Date, limit = -1): Promise<Task[]> {
  return hydrate(core, await readyTaskRows(core, now, limit));
}

/**
 * Upstream's "Waiting on delay" (`wg ready`): open or incomplete tasks whose dependencies have all
 * ended (done, failed, abandoned, or not in the graph) and whose `ready_after` is still to come.
 */
export async function delayedTasks(core: StoreCore, now: Date): Promise<Task[]> {
  const rows = await core
    .sql<TaskRow>(
      `SELECT * FROM tasks WHERE status IN ('open', 'incomplete') AND ${READY_AFTER} > ?
       AND NOT EXISTS (SELECT 1 FROM deps d JOIN tasks u ON u.id = d.dep_id
         WHERE d.task_id = tasks.id AND u.status NOT IN ('done', 'failed', 'abandoned'))
       ORDER BY ${READY_ORDER}`,
    )
    .all(now.toISOString());
  return hydrate(core, rows);
}

export async function tasksChangedSince(core: StoreCore, rev: number): Promise<Task[]> {
  return hydrate(core, await core.sql<TaskRow>('SELECT * FROM tasks WHERE rev > ? ORDER BY seq').all(rev));
}

export async function dependenciesOf(core: StoreCore, id: string): Promise<string[]> {
  return (await core.sql<{ dep_id: string }>('SELECT dep_id FROM deps WHERE task_id = ?').all(id)).map((r) => r.dep_id);
}

/**
 * Every task `from` depends on, however indirectly, with its own dependencies: the part of the graph a new
 * dependency on `from` could close a cycle through, read in one statement (a walk of it a query a task was a round
 * trip a task on PostgreSQL).
 */
export async function dependencyEdgesFrom(core: StoreCore, from: string): Promise<(id: string) => readonly string[]> {
  const rows = await core
    .sql<{ task_id: string; dep_id: string }>(
      // The first term reads a column, not the bound value: PostgreSQL refuses a recursive query whose terms' collations differ.
      `WITH RECURSIVE upstream(id) AS (SELECT task_id FROM deps WHERE task_id = ? UNION SELECT d.dep_id FROM deps d JOIN upstream u ON d.task_id = u.id)
       SELECT task_id, dep_id FROM deps WHERE task_id IN (SELECT id FROM upstream)`,
    )
    .all(from);
  const edges = new Map<string, string[]>();
  for (const row of rows) {
    const deps = edges.get(row.task_id);
    if (deps) deps.push(row.dep_id);
    else edges.set(row.task_id, [row.dep_id]);
  }
  return (id) => edges.get(id) ?? [];
}

/** The ids taken among `base` and `base-N`, read at once for uniqueId (graph/slug.ts). */
export async function idsLike(core: StoreCore, base: string): Promise<(id: string) => boolean> {
  const rows = await core
    .sql<{ id: string }>('SELECT id FROM tasks WHERE id = ? OR substr(id, 1, length(?)) = ?')
    .all(base, `${base}-`, `${base}-`);
  const taken = new Set(rows.map((row) => row.id));
  return (id) => taken.has(id);
}

export async function tagsOf(core: StoreCore, id: string): Promise<string[]> {
  return (await core.sql<{ tag: string }>('SELECT tag FROM task_tags WHERE task_id = ?').all(id)).map((r) => r.tag);
}

/**
 * Each task's dependents (upstream's `before`), kept dependencies from an import included, in the
 * graph's order; for `ids` only when given.
 */
export async function dependentsByTask(core: StoreCore, ids?: readonly string[]): Promise<Map<string, string[]>> {
  const where = ids ? 'WHERE d.dep_id IN (SELECT value FROM json_each(?))' : '';
  const rows = await core
    .sql<{ dep_id: string; task_id: string }>(
      `SELECT d.dep_id, d.task_id FROM (SELECT dep_id, task_id FROM deps UNION ALL SELECT dep_id, task_id FROM loose_deps) d
       JOIN tasks t ON t.id = d.task_id ${where} ORDER BY t.seq`,
    )
    .all(...(ids ? [JSON.stringify(ids)] : []));
  const map = new Map<string, string[]>();
  for (const { dep_id, task_id } of rows) {
    const list = map.get(dep_id);
    if (list) list.push(task_id);
    else map.set(dep_id, [task_id]);
  }
  return map;
}

export async function dependentsOf(core: StoreCore, id: string): Promise<string[]> {
  return (await core.sql<{ task_id: string }>('SELECT task_id FROM deps WHERE dep_id = ?').all(id)).map((r) => r.task_id);
}

/** The soonest time (`not_before`, upstream's `ready_after`) of an otherwise-ready task: when the coordinator should look again. */
export async function nextScheduledAt(core: StoreCore, now: Date): Promise<string | null> {
  return (await nextScheduledAtSoon(core, now))();
}

/** `nextScheduledAt`, read with the reads asked for after it (StoreCore.soon). */
export async function nextScheduledAtSoon(core: StoreCore, now: Date): Promise<Soon<string | null>> {
  const rows = await core.soon<{ at: string | null }>(
    `SELECT min(${DUE_AT}) AS at FROM tasks INDEXED BY tasks_due
       WHERE ${READY_NOW} AND ${HAS_DUE} AND ${DUE_AT} > ?`,
    now.toISOString(),
  );
  return async () => (await rows())[0]?.at ?? null;
}

export async function taskDetail(core: StoreCore, id: string, now: Date): Promise<TaskDetail> {
  // Read side by side: one round trip on PostgreSQL for each of the two rounds.
  const [task, readyRow, looseRows, dependents] = await Promise.all([
    getTask(core, id),
    core.sql(`SELECT 1 FROM tasks WHERE id = ? AND ${READY_AT}`).get(id, now.toISOString()),
    // Dependents through an upstream loop's back edge count too.
    core.sql<{ task_id: string }>("SELECT task_id FROM loose_deps WHERE dep_id = ? AND kind = 'cycle'").all(id),
    dependentsOf(core, id),
  ]);
  const ready = readyRow !== undefined;
  const requiredBy = [...dependents, ...looseRows.map((r) => r.task_id)].sort();
  const open = (task.status === 'open' || task.status === 'incomplete') && !task.paused;
  const statusOf = core.sql<{ status: TaskStatus }>('SELECT status FROM tasks WHERE id = ?');
  const link = async (other: string): Promise<TaskLink> => ({ id: other, status: (await statusOf.get(other))?.status ?? null });
  const [dependencies, required_by, upstream] = await Promise.all([
    Promise.all(task.after.map(link)),
    Promise.all(requiredBy.map(link)),
    // What holds it, as the window's card says it; only what lies upstream of it is read.
    open && !ready ? upstreamForHold(core, id) : new Map<string, Task>(),
  ]);
  const hold = open && !ready ? dependencyHold(task, upstream) : null;
  return { ...task, dependencies, required_by, ready, hold };
}

/**
 * The open tasks upstream of a task, through which what holds it is found (shared/task-hold.ts walks no further than
 * an open task's dependencies), with each one's `.evaluate-` task: read in one statement and one batch.
 */
async function upstreamForHold(core: StoreCore, id: string): Promise<Map<string, Task>> {
  const rows = await core
    .sql<{ id: string }>(
      `WITH RECURSIVE upstream(id) AS (
         SELECT dep_id FROM deps WHERE task_id = ?
         UNION SELECT d.dep_id FROM deps d JOIN upstream u ON d.task_id = u.id JOIN tasks t ON t.id = u.id
           WHERE t.status IN ('open', 'incomplete', 'blocked'))
       SELECT id FROM upstream`,
    )
    .all(id);
  const ids = rows.map((row) => row.id);
  const found = await tasksWithRows(core, [...ids, ...ids.map((other) => `.evaluate-${other}`)]);
  return new Map([...found].map(([other, { task }]) => [other, task]));
}

/** Whether a task's log has this line already: for what is said once, though each sweep would find it so again. */
export async function logHas(core: StoreCore, taskId: string, message: string): Promise<boolean> {
  return (await core.sql('SELECT 1 FROM task_log WHERE task_id = ? AND message = ? LIMIT 1').get(taskId, message)) !== undefined;
}
