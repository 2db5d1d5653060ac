import { type RawBuilder, sql } from 'kysely';
import type { LogEntry, Task, TaskDetail, TaskLink, TaskStatus, TaskSummary } from '../../shared/task';
import { dependencyHold } from '../../shared/task-hold';
import { notFound } from '../../shared/errors';
import type { StoreCore } from './store-core';
import type { TasksTable } from './query/tables';
import { SUMMARY_COLUMNS, toTask, toTaskSummary, type TaskRow, type TaskSummaryRow } from './rows';
import { newestWorktreeRows, toTaskWorktree } from './worktree-rows';

/** Which tasks a side-table query reads (its `task_id`): one (the common case: every claim) by plain equality, many as one list. */
function ofTasks(core: StoreCore, ids: readonly string[]): RawBuilder<boolean> {
  return ids.length === 1 ? sql<boolean>`task_id = ${ids[0]}` : core.fn.inList(sql.ref('task_id'), ids);
}

/**
 * The side-table parts (deps, tags, newest worktree) of the tasks `ids`, all sent before the first wait (one round trip
 * on PostgreSQL, with whatever else is sent before it): how to make a list's item of each one's row.
 */
async function summaryParts(core: StoreCore, ids: readonly string[]): Promise<(row: TaskSummaryRow) => TaskSummary> {
  return summaryPartsOf(core, ofTasks(core, ids));
}

/** summaryParts of the tasks a condition on `task_id` selects. */
async function summaryPartsOf(core: StoreCore, of: RawBuilder<boolean>): Promise<(row: TaskSummaryRow) => TaskSummary> {
  // Dependencies kept from an import (on an id not in the graph, or closing an upstream cycle) are listed too, after the
  // others. Each list sorted as the table read sorts it (task-table-read.ts): without ORDER BY, SQLite gives its key's
  // order but PostgreSQL whichever its plan reads, so one task read alone and read with many could differ.
  const deps = core.all(
    sql<{ task_id: string; dep_id: string; kind: string }>`SELECT task_id, dep_id, 0 AS kept, 'dep' AS kind FROM deps WHERE ${of}
     UNION ALL SELECT task_id, dep_id, 1, kind FROM loose_deps WHERE ${of} ORDER BY task_id, kept, dep_id`,
  );
  const tags = core.all(core.build.selectFrom('task_tags').select(['task_id', 'tag']).where(of).orderBy('task_id').orderBy('tag'));
  const worktrees = newestWorktreeRows(core, of);
  const [rows, tagRows, worktreeRows] = await Promise.all([deps, tags, worktrees]);
  const after = group(rows, (r) => r.dep_id);
  const loopBack = group(
    rows.filter((r) => r.kind === 'cycle'),
    (r) => r.dep_id,
  );
  const tagged = group(tagRows, (r) => r.tag);
  const newest = new Map(worktreeRows.map((w) => [w.task_id, toTaskWorktree(w)]));
  return (row) =>
    toTaskSummary(row, {
      after: after.get(row.id) ?? [],
      loop_back: loopBack.get(row.id) ?? [],
      tags: tagged.get(row.id) ?? [],
      worktree: newest.get(row.id) ?? null,
    });
}

async function summaries(core: StoreCore, rows: TaskSummaryRow[]): Promise<TaskSummary[]> {
  if (rows.length === 0) return [];
  const summaryOf = await summaryParts(
    core,
    rows.map((row) => row.id),
  );
  return rows.map((row) => summaryOf(row));
}

interface TaskPartRow {
  part: number;
  n: number;
  a: string;
  b: string | null;
  c: string | null;
  d: string | null;
}

/**
 * What one whole task needs besides its row, both sent before the first wait: its log, dependencies (kept ones from an
 * import too) and tags in one statement, told apart by `part` (a claim reads one whole task inside the project's write
 * turn, where each statement is a round trip to the server), and its newest worktree. Each part in the order of a read
 * of many: the log as written, the lists sorted, a kept dependency (n = 1) last.
 */
async function oneTask(core: StoreCore, id: string): Promise<(row: TaskRow) => Task> {
  const parts = core.all(
    sql<TaskPartRow>`SELECT 0 AS part, id AS n, timestamp AS a, actor AS b, message AS c, ${sql.ref('user')} AS d FROM task_log WHERE task_id = ${id}
  UNION ALL SELECT 1, 0, dep_id, NULL, NULL, NULL FROM deps WHERE task_id = ${id}
  UNION ALL SELECT 1, 1, dep_id, kind, NULL, NULL FROM loose_deps WHERE task_id = ${id}
  UNION ALL SELECT 2, 0, tag, NULL, NULL, NULL FROM task_tags WHERE task_id = ${id}
  ORDER BY part, n, a`,
  );
  const worktree = newestWorktreeRows(core, ofTasks(core, [id]));
  const [partRows, worktreeRows] = await Promise.all([parts, worktree]);
  const log: LogEntry[] = [];
  const after: string[] = [];
  const loopBack: string[] = [];
  const tags: string[] = [];
  for (const part of partRows) {
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
  const newest = worktreeRows[0];
  return (row) =>
    toTask(toTaskSummary(row, { after, loop_back: loopBack, tags, worktree: newest ? toTaskWorktree(newest) : null }), row, log);
}

/**
 * What whole tasks need besides their rows, for the tasks `ids`, all sent before the first wait (the rows may be read
 * in the same go): how to make each whole task of its row. One task (every claim) in two statements, many in four.
 */
async function wholeTasks(core: StoreCore, ids: readonly string[]): Promise<(row: TaskRow) => Task> {
  if (ids.length === 1) return oneTask(core, ids[0] as string);
  return wholeTasksOf(core, ofTasks(core, ids));
}

/** wholeTasks of the tasks a condition on `task_id` selects. */
async function wholeTasksOf(core: StoreCore, of: RawBuilder<boolean>): Promise<(row: TaskRow) => Task> {
  const [byTask, summaryOf] = await Promise.all([logsOf(core, of), summaryPartsOf(core, of)]);
  return (row) => toTask(summaryOf(row), row, byTask.get(row.id) ?? []);
}

/** The log entries of the tasks `of` chooses, by task, oldest first. */
async function logsOf(core: StoreCore, of: RawBuilder<boolean>): Promise<Map<string, LogEntry[]>> {
  const rows = await core.all(
    core.build.selectFrom('task_log').select(['task_id', 'timestamp', 'actor', 'message', 'user']).where(of).orderBy('id'),
  );
  return group(
    rows,
    (r): LogEntry =>
      r.user === null
        ? { timestamp: r.timestamp, actor: r.actor, message: r.message }
        : { timestamp: r.timestamp, actor: r.actor, message: r.message, user: r.user },
  );
}

/** Whole tasks of rows already read. */
async function hydrate(core: StoreCore, rows: TaskRow[]): Promise<Task[]> {
  if (rows.length === 0) return [];
  const taskOf = await wholeTasks(
    core,
    rows.map((row) => row.id),
  );
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
  return core.get(core.build.selectFrom('tasks').selectAll().where('id', '=', id).$castTo<TaskRow>());
}

/** Who has a task and in what state: what a status change needs (a whole row is four times dearer to read). */
export type TaskState = Pick<TaskRow, 'id' | 'status' | 'assigned'>;

/** Who has a task and its state; `schedule` says whether settling it must rearm a repeat (most have none). */
export async function findTaskState(core: StoreCore, id: string): Promise<(TaskState & Pick<TaskRow, 'schedule'>) | undefined> {
  return core.get(
    core.build
      .selectFrom('tasks')
      .select(['id', 'status', 'assigned', 'schedule'])
      .where('id', '=', id)
      .$castTo<TaskState & Pick<TaskRow, 'schedule'>>(),
  );
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
  // One (every claim, every `wg show`) by its key, as findTaskRow reads it; many as one list.
  const tasks = core.build.selectFrom('tasks').selectAll().$castTo<TaskRow>();
  const rows = core.all(
    unique.length === 1 ? tasks.where('id', '=', unique[0] as string) : tasks.where(core.fn.inList(sql.ref('id'), unique)),
  );
  const whole = wholeTasks(core, unique);
  const [found, make] = await Promise.all([rows, whole]);
  return new Map(found.map((row) => [row.id, { row, task: make(row) }]));
}

/** Tasks read whole, with their rows, by id (tasksWithRows, tasksChosenBy). */
export type TasksRead = ReadonlyMap<string, { row: TaskRow; task: Task }>;

/**
 * The rows and whole tasks of the tasks a query of ids chooses (`ids`: a statement whose one column is `id`), in the
 * same go as each other and as whatever is sent with them: what a statement chooses is read whole without waiting for
 * its answer first (a turn's claims of the ready tasks it reads, engine-state.ts).
 */
export async function tasksChosenBy(core: StoreCore, ids: RawBuilder<{ id: string }>): Promise<Map<string, { row: TaskRow; task: Task }>> {
  const chosen = sql`(SELECT id FROM (${ids}) chosen)`;
  const rows = core.all(sql<TaskRow>`SELECT * FROM tasks WHERE id IN ${chosen}`);
  const whole = wholeTasksOf(core, sql<boolean>`task_id IN ${chosen}`);
  const [found, make] = await Promise.all([rows, whole]);
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

/** The columns of a list's item (TaskSummaryRow). */
const SUMMARY_FIELDS = SUMMARY_COLUMNS.split(',').map((column) => column.trim() as keyof TasksTable);

/** The rows a filter selects, in the graph's order: whole, or only a list item's columns. */
async function listedRows<R>(core: StoreCore, filter: TaskFilter, columns: 'all' | 'summary'): Promise<R[]> {
  const from = core.build.selectFrom('tasks');
  let query = (columns === 'all' ? from.selectAll() : from.select(SUMMARY_FIELDS)).$castTo<R>();
  // A `.merge-X` still waiting for a person stays listed (awaitsMerge in shared/task.ts).
  if (filter.system === false)
    query = query.where(
      sql<boolean>`(substr(id, 1, 1) <> '.' OR (${core.fn.like(sql.ref('id'), '.merge-%')} AND status NOT IN ('done', 'abandoned')))`,
    );
  if (filter.status) query = query.where('status', '=', filter.status);
  for (const tag of typeof filter.tag === 'string' ? [filter.tag] : (filter.tag ?? [])) {
    query = query.where('id', 'in', core.build.selectFrom('task_tags').select('task_id').where('tag', '=', tag));
  }
  if (filter.paused) query = query.where('paused', '=', 1);
  if (filter.priority !== undefined) query = query.where('priority', '=', filter.priority);
  return core.all(query.orderBy('seq'));
}

export async function listTasks(core: StoreCore, filter: TaskFilter = {}): Promise<Task[]> {
  return hydrate(core, await listedRows<TaskRow>(core, filter, 'all'));
}

/**
 * Every task as a list item, its rows and what each one carries (dependencies, tags, newest worktree) asked for
 * together, in graph order: one round trip to PostgreSQL where `listTaskSummaries` waits for the rows first (the
 * reports over the whole graph: `wg velocity`, `wg analyze`…). The rows of a task added between the two would lack
 * its parts, so both are one read transaction's.
 */
export async function everyTaskSummary(core: StoreCore, filter: Pick<TaskFilter, 'system'> = {}): Promise<TaskSummary[]> {
  return core.read(async () => {
    const rows = listedRows<TaskSummaryRow>(core, filter, 'summary');
    const parts = summaryPartsOf(core, sql<boolean>`1 = 1`);
    const [found, summaryOf] = await Promise.all([rows, parts]);
    return found.map((row) => summaryOf(row));
  });
}

/** The ids of the ready tasks, by the same rule as `readyTasks`, without reading them whole. */
export async function readyTaskIds(core: StoreCore, now: Date): Promise<string[]> {
  const rows = await core.all(
    sql<{ id: string }>`SELECT id FROM ${core.fn.indexed('tasks', 'tasks_ready')} WHERE ${core.ready.readyAt(now.toISOString())}`,
  );
  return rows.map((row) => row.id);
}

/**
 * What `wg list` shows: the tasks as list items (TaskSummary), read from their columns only. A list of every task (but
 * the system's, perhaps) reads the side tables whole, with the rows (everyTaskSummary): naming a thousand tasks in each
 * side table's query cost more than reading the few it leaves out.
 */
export async function listTaskSummaries(core: StoreCore, filter: TaskFilter = {}): Promise<TaskSummary[]> {
  const { system, ...narrowing } = filter;
  if (Object.values(narrowing).every((value) => value === undefined || value === false)) return everyTaskSummary(core, { system });
  return summaries(core, await listedRows<TaskSummaryRow>(core, filter, 'summary'));
}

/** Ready tasks in dispatch order (priority, then age); a negative `limit` is none. Uses the partial index; no graph walk. */
async function readyTaskRows(core: StoreCore, now: Date, limit = -1): Promise<TaskRow[]> {
  return core.all(
    sql<TaskRow>`SELECT * FROM ${core.fn.indexed('tasks', 'tasks_ready')} WHERE ${core.ready.readyAt(now.toISOString())}
     ORDER BY ${core.ready.readyOrder}${limit >= 0 ? sql` LIMIT ${limit}` : sql``}`,
  );
}

export async function readyTasks(core: StoreCore, now: Date, limit = -1): Promise<Task[]> {
  return hydrate(core, await readyTaskRows(core, now, limit));
}

/**
 * Upstream's "Waiting on delay" (`wg ready`): open or incomplete tasks whose dependencies have all
 * ended (done, failed, abandoned, or not in the graph) and whose `ready_after` is still to come.
 */
export async function delayedTasks(core: StoreCore, now: Date): Promise<Task[]> {
  const rows = await core.all(
    sql<TaskRow>`SELECT * FROM tasks WHERE status IN ('open', 'incomplete') AND ${core.ready.readyAfter} > ${now.toISOString()}
       AND NOT EXISTS (SELECT 1 FROM deps d JOIN tasks u ON u.id = d.dep_id
         WHERE d.task_id = tasks.id AND u.status NOT IN ('done', 'failed', 'abandoned'))
       ORDER BY ${core.ready.readyOrder}`,
  );
  return hydrate(core, rows);
}

export async function tasksChangedSince(core: StoreCore, rev: number): Promise<Task[]> {
  return hydrate(core, await core.all(core.build.selectFrom('tasks').selectAll().where('rev', '>', rev).orderBy('seq').$castTo<TaskRow>()));
}

export async function dependenciesOf(core: StoreCore, id: string): Promise<string[]> {
  return (await core.all(core.build.selectFrom('deps').select('dep_id').where('task_id', '=', id))).map((r) => r.dep_id);
}

/**
 * Every task `from` depends on, however indirectly, with its own dependencies: the part of the graph a new
 * dependency on `from` could close a cycle through, read in one statement (a walk of it a query a task was a round
 * trip a task on PostgreSQL).
 */
export async function dependencyEdgesFrom(core: StoreCore, from: string): Promise<(id: string) => readonly string[]> {
  const rows = await core.all(
    // The first term reads a column, not the bound value: PostgreSQL refuses a recursive query whose terms' collations differ.
    sql<{ task_id: string; dep_id: string }>`WITH RECURSIVE upstream(id) AS (SELECT task_id FROM deps WHERE task_id = ${from}
       UNION SELECT d.dep_id FROM deps d JOIN upstream u ON d.task_id = u.id)
       SELECT task_id, dep_id FROM deps WHERE task_id IN (SELECT id FROM upstream)`,
  );
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
  const prefix = `${base}-`;
  const rows = await core.all(
    core.build.selectFrom('tasks').select('id').where(sql<boolean>`id = ${base} OR substr(id, 1, length(${prefix})) = ${prefix}`),
  );
  const taken = new Set(rows.map((row) => row.id));
  return (id) => taken.has(id);
}

export async function tagsOf(core: StoreCore, id: string): Promise<string[]> {
  return (await core.all(core.build.selectFrom('task_tags').select('tag').where('task_id', '=', id))).map((r) => r.tag);
}

/**
 * Each task's dependents (upstream's `before`), kept dependencies from an import included, in the
 * graph's order; for `ids` only when given.
 */
export async function dependentsByTask(core: StoreCore, ids?: readonly string[]): Promise<Map<string, string[]>> {
  const where = ids ? sql`WHERE ${core.fn.inList(sql.ref('d.dep_id'), ids)}` : sql``;
  const rows = await core.all(
    sql<{ dep_id: string; task_id: string }>`SELECT d.dep_id, d.task_id
       FROM (SELECT dep_id, task_id FROM deps UNION ALL SELECT dep_id, task_id FROM loose_deps) d
       JOIN tasks t ON t.id = d.task_id ${where} ORDER BY t.seq`,
  );
  const map = new Map<string, string[]>();
  for (const { dep_id, task_id } of rows) {
    const list = map.get(dep_id);
    if (list) list.push(task_id);
    else map.set(dep_id, [task_id]);
  }
  return map;
}

export async function dependentsOf(core: StoreCore, id: string): Promise<string[]> {
  return (await core.all(core.build.selectFrom('deps').select('task_id').where('dep_id', '=', id))).map((r) => r.task_id);
}

/**
 * The soonest time (`not_before`, upstream's `ready_after`) of an otherwise-ready task: when the coordinator should look
 * again. Sent when called: started before other reads and awaited after them, it travels with them (in-flight.ts).
 */
export async function nextScheduledAt(core: StoreCore, now: Date): Promise<string | null> {
  const { dueAt, hasDue } = core.ready;
  const rows = await core.all(
    sql<{ at: string | null }>`SELECT min(${dueAt}) AS at FROM ${core.fn.indexed('tasks', 'tasks_due')}
       WHERE ${core.ready.readyNow} AND ${hasDue} AND ${dueAt} > ${now.toISOString()}`,
  );
  return rows[0]?.at ?? null;
}

export async function taskDetail(core: StoreCore, id: string, now: Date): Promise<TaskDetail> {
  // Read side by side: one round trip on PostgreSQL, what holds an open task that is not ready among them.
  const [{ task, lookup }, readyRow, dependents, linked] = await Promise.all([
    withUpstream(core, id),
    core.get(sql`SELECT 1 FROM tasks WHERE id = ${id} AND ${core.ready.readyAt(now.toISOString())}`),
    // Dependents through an upstream loop's back edge count too.
    core.all(
      sql<{ task_id: string }>`SELECT task_id FROM deps WHERE dep_id = ${id}
         UNION ALL SELECT task_id FROM loose_deps WHERE dep_id = ${id} AND kind = 'cycle'`,
    ),
    // The status of every task it is linked to either way, read with it (they were a round of reads of their own, one a task).
    core.all(
      sql<{ id: string; status: TaskStatus }>`SELECT id, status FROM tasks WHERE id IN (
         SELECT dep_id FROM deps WHERE task_id = ${id} UNION SELECT dep_id FROM loose_deps WHERE task_id = ${id}
         UNION SELECT task_id FROM deps WHERE dep_id = ${id} UNION SELECT task_id FROM loose_deps WHERE dep_id = ${id})`,
    ),
  ]);
  if (!task) throw notFound('task', id);
  const ready = readyRow !== undefined;
  const requiredBy = dependents.map((row) => row.task_id).sort();
  const open = (task.status === 'open' || task.status === 'incomplete') && !task.paused;
  const statuses = new Map(linked.map((row) => [row.id, row.status]));
  const link = (other: string): TaskLink => ({ id: other, status: statuses.get(other) ?? null });
  const dependencies = task.after.map(link);
  const required_by = requiredBy.map(link);
  // What holds it, as the window's card says it.
  const hold = open && !ready ? dependencyHold(task, lookup) : null;
  return { ...task, dependencies, required_by, ready, hold };
}

/**
 * A task read whole, with the open tasks upstream of it as a list reads them (no log or long fields), through which
 * what holds it is found (shared/task-hold.ts walks no further than an open task's dependencies), and each one's
 * `.evaluate-` task. The upstream ones are chosen only for a task that is open and not paused, the only one a hold is
 * said of (a ready one reads its done dependencies, unused). Sent together: one round trip on PostgreSQL.
 */
async function withUpstream(core: StoreCore, id: string): Promise<{ task: Task | undefined; lookup: Map<string, TaskSummary> }> {
  const chosen = sql<{ id: string }>`WITH RECURSIVE upstream(id) AS (
         SELECT dep_id FROM deps WHERE task_id = ${id}
           AND EXISTS (SELECT 1 FROM tasks WHERE id = ${id} AND status IN ('open', 'incomplete') AND paused = 0)
         UNION SELECT d.dep_id FROM deps d JOIN upstream u ON d.task_id = u.id JOIN tasks t ON t.id = u.id
           WHERE t.status IN ('open', 'incomplete', 'blocked'))
       SELECT id FROM tasks WHERE id = ${id} UNION SELECT id FROM upstream UNION SELECT '.evaluate-' || id FROM upstream`;
  const [row, logs, summaries] = await Promise.all([
    findTaskRow(core, id),
    logsOf(core, sql<boolean>`task_id = ${id}`),
    summariesChosenBy(core, chosen),
  ]);
  const lookup = new Map(summaries.map((summary) => [summary.id, summary]));
  const summary = lookup.get(id);
  const task = row && summary ? toTask(summary, row, logs.get(id) ?? []) : undefined;
  return { task, lookup };
}

/** The tasks a query chooses, as a list reads them (TaskSummary). */
async function summariesChosenBy(core: StoreCore, ids: RawBuilder<{ id: string }>): Promise<TaskSummary[]> {
  const chosen = sql`(SELECT id FROM (${ids}) chosen)`;
  const rows = core.all(
    core.build.selectFrom('tasks').select(SUMMARY_FIELDS).where(sql<boolean>`id IN ${chosen}`).$castTo<TaskSummaryRow>(),
  );
  const parts = summaryPartsOf(core, sql<boolean>`task_id IN ${chosen}`);
  const [found, summaryOf] = await Promise.all([rows, parts]);
  return found.map((row) => summaryOf(row));
}

/** Whether a task's log has this line already: for what is said once, though each sweep would find it so again. */
export async function logHas(core: StoreCore, taskId: string, message: string): Promise<boolean> {
  const query = core.build.selectFrom('task_log').select(sql.lit(1).as('one')).where('task_id', '=', taskId).where('message', '=', message);
  return (await core.get(query.limit(1))) !== undefined;
}
