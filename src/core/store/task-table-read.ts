import { type RawBuilder, sql } from 'kysely';
import { priorityName } from '../../shared/task';
import { TASK_COLUMNS, type TaskField, type TaskTable } from '../../shared/task-table';
import type { StoreCore } from './store-core';
import { newestWorktreeRows, toTaskWorktree } from './worktree-rows';
import { storedJson } from './stored-json';
import { inFlight } from './in-flight';

/** The side-table parts, the table's last columns (shared/task-table.ts), in this order. */
const RELATED = ['tags', 'after', 'loop_back', 'worktree', 'log'] as const satisfies readonly TaskField[];
const OWN = TASK_COLUMNS.slice(0, TASK_COLUMNS.length - RELATED.length);
if (TASK_COLUMNS.slice(OWN.length).join() !== RELATED.join()) throw new Error('a task table ends with its side-table parts');
/** A column read as other than itself; the rest are the `tasks` column of the field's name. */
const READ_AS: Partial<Record<TaskField, string>> = { kind: "'task'", priority_value: 'priority' };

// Each column named as its field (two fields read `priority`), `seq` last, for the graph's order: sorted here (rarely
// needed: rows are nearly always read in it already). Rows are read as arrays of their values, in this order.
const SELECT = sql<
  Record<string, unknown>
>`SELECT ${sql.join(OWN.map((field) => sql`${sql.raw(READ_AS[field] ?? field)} AS ${sql.ref(field)}`))}, seq FROM tasks`;

const at = (field: TaskField): number => OWN.indexOf(field as (typeof OWN)[number]);
const ID = at('id');
const SEQ = OWN.length;
const PAUSED = at('paused');
const PRIORITY = at('priority');
const JSON_TEXT = (['artifacts', 'results', 'extra'] as const).map((name) => [at(name), name === 'extra' ? 'extra fields' : name] as const);
const EVALUATION = at('evaluation');

/**
 * Every task (`since` null), or those changed after revision `since`, as a table in the graph's
 * order: each row read as an array and made its task's values in place, its side-table parts read
 * for all of them at once. The same values as `listTasks` gives, field by field. The side tables are read side by
 * side, and for every task beside the rows too: one round trip on PostgreSQL for a window's first snapshot, where a
 * team's window waits on the network; for some, two (their ids first).
 */
export async function readTaskTable(core: StoreCore, since: number | null): Promise<TaskTable> {
  const read = core.arrays(since === null ? SELECT : sql<Record<string, unknown>>`${SELECT} WHERE rev > ${since}`);
  const whole = since === null ? inFlight(sideTables(core, null)) : null;
  const rows = await read;
  if (rows.length === 0) {
    await whole;
    return { columns: TASK_COLUMNS, rows };
  }
  inGraphOrder(rows);
  // Some: theirs, by the ids read.
  const sides = await (whole ??
    sideTables(
      core,
      core.fn.inList(
        sql.ref('task_id'),
        rows.map((row) => row[ID] as string),
      ),
    ));
  for (const row of rows) fill(row, sides);
  return { columns: TASK_COLUMNS, rows };
}

/** The side-table parts of the tasks `ofIds` chooses (null: every task's), each table grouped by task. */
interface SideTables {
  after: Map<string, unknown[]>;
  loose: Map<string, LooseDeps>;
  tags: Map<string, unknown[]>;
  worktrees: Map<string, unknown>;
  logs: Map<string, unknown[]>;
}

async function sideTables(core: StoreCore, ofIds: RawBuilder<boolean> | null): Promise<SideTables> {
  const where = ofIds === null ? sql`` : sql`WHERE ${ofIds}`;
  const [after, loose, tags, logs, worktrees] = await Promise.all([
    grouped(core, sql`SELECT task_id AS of_task, dep_id FROM deps ${where} ORDER BY task_id, dep_id`),
    // Dependencies kept from an import (on an id not in the graph, or closing an upstream cycle) come after the others.
    looseDeps(core, where),
    grouped(core, sql`SELECT task_id AS of_task, tag FROM task_tags ${where} ORDER BY task_id, tag`),
    logsByTask(core, where),
    newestWorktreeRows(core, ofIds),
  ]);
  return { after, loose, tags, logs, worktrees: new Map(worktrees.map((w) => [w.task_id, toTaskWorktree(w)])) };
}

function fill(row: unknown[], { after, loose, tags, worktrees, logs }: SideTables): void {
  const id = row[ID] as string;
  row.length = SEQ;
  row[PAUSED] = row[PAUSED] === 1;
  row[PRIORITY] = priorityName(row[PRIORITY] as number);
  for (const [index, field] of JSON_TEXT) row[index] = storedJson(row[index] as string, id, field);
  if (row[EVALUATION] !== null) row[EVALUATION] = storedJson(row[EVALUATION] as string, id, 'evaluation');
  const own = after.get(id);
  const kept = loose.get(id);
  row.push(
    tags.get(id) ?? [],
    own && kept ? own.concat(kept.after) : (own ?? kept?.after ?? []),
    kept?.loopBack ?? [],
    worktrees.get(id) ?? null,
    logs.get(id) ?? [],
  );
}

/** A task's dependencies kept from an import: all of them, and those that close an upstream loop. */
interface LooseDeps {
  after: string[];
  loopBack: string[];
}

async function looseDeps(core: StoreCore, where: RawBuilder<unknown>): Promise<Map<string, LooseDeps>> {
  const byTask = new Map<string, LooseDeps>();
  for (const { of_task: task, dep_id: dep, kind } of await core.all(
    sql<{
      of_task: string;
      dep_id: string;
      kind: string;
    }>`SELECT task_id AS of_task, dep_id, kind FROM loose_deps ${where} ORDER BY task_id, dep_id`,
  )) {
    let deps = byTask.get(task);
    if (!deps) {
      deps = { after: [], loopBack: [] };
      byTask.set(task, deps);
    }
    deps.after.push(dep);
    if (kind === 'cycle') deps.loopBack.push(dep);
  }
  return byTask;
}

/** Sorts the rows by `seq` unless they are in its order already. */
function inGraphOrder(rows: unknown[][]): void {
  for (let i = 1; i < rows.length; i++) {
    if (((rows[i - 1] as unknown[])[SEQ] as number) > ((rows[i] as unknown[])[SEQ] as number)) {
      rows.sort((a, b) => (a[SEQ] as number) - (b[SEQ] as number));
      return;
    }
  }
}

/** The second column of each row, grouped by the first (a task's id), in the rows' order. */
async function grouped(core: StoreCore, query: RawBuilder<Record<string, unknown>>): Promise<Map<string, unknown[]>> {
  const map = new Map<string, unknown[]>();
  for (const [task, value] of (await core.arrays(query)) as Array<[string, unknown]>) {
    const list = map.get(task);
    if (list) list.push(value);
    else map.set(task, [value]);
  }
  return map;
}

/** Each task's log in the order written; `user` only where one was recorded (as `listTasks` gives it). */
async function logsByTask(core: StoreCore, where: RawBuilder<unknown>): Promise<Map<string, unknown[]>> {
  const map = new Map<string, unknown[]>();
  const rows = await core.all(
    sql<{
      of_task: string;
      timestamp: string;
      actor: string;
      message: string;
      user: string | null;
    }>`SELECT task_id AS of_task, timestamp, actor, message, ${sql.ref('user')} FROM task_log ${where} ORDER BY task_id, id`,
  );
  for (const { of_task: task, timestamp, actor, message, user } of rows) {
    const entry = user === null ? { timestamp, actor, message } : { timestamp, actor, message, user };
    const list = map.get(task);
    if (list) list.push(entry);
    else map.set(task, [entry]);
  }
  return map;
}
