import type { Agent } from './agent';
import type { LogEntry, Priority, Task, TaskStatus } from './task';

/**
 * Tasks as a table: the field names once, then each task's values in that order. A window's graph
 * snapshot carries its tasks so: on a big plan the same 34 names written, sent and read again for
 * every task were most of what the store built and the window parsed.
 */
export interface TaskTable {
  columns: readonly TaskField[];
  rows: unknown[][];
}

/** A field of a whole task, as a table's column names it. */
export type TaskField = Exclude<keyof Task, 'retry_limit'>;

/**
 * A table whose rows are sent as JSON text, PART_ROWS rows a part (`graph:snapshot` with `parts`). A window parses
 * the answer, then each part in a task of its own: parsed whole, a 50,000-task plan's answer was one task of
 * 80-150 ms that kept the window from input; its parts' text is read at a fifth of that, and each part in 2-4 ms.
 */
export interface TaskTableText {
  columns: readonly TaskField[];
  parts: string[];
}

/** How many rows each part of a TaskTableText holds (the last part holds what is left). */
export const PART_ROWS = 2000;

/** What `graph:snapshot` answers: the store's revision, its tasks as a table, its runs. */
export interface GraphSnapshot<Table extends TaskTable | TaskTableText = TaskTable> {
  rev: number;
  tasks: Table;
  agents: Agent[];
  /** Every task, though asked `since`: one was removed, so what is not here is gone. */
  full?: true;
}

/** The columns a store sends, in its order: a table of these is read by one literal per row. */
export const TASK_COLUMNS = [
  'kind',
  'id',
  'title',
  'description',
  'status',
  'paused',
  'priority',
  'priority_value',
  'model',
  'executor',
  'exec',
  'repo',
  'role',
  'schedule',
  'not_before',
  'assigned',
  'agent',
  'created_at',
  'started_at',
  'completed_at',
  'artifacts',
  'results',
  'retry_count',
  'max_retries',
  'rescue_count',
  'failure_reason',
  'evaluation',
  'session_id',
  'cost_usd',
  'tokens_in',
  'tokens_out',
  'extra',
  'rev',
  'tags',
  'after',
  'loop_back',
  'worktree',
  'log',
] as const satisfies readonly TaskField[];

// Every field of a task has its column (a compile error names the one left out).
const covered: Record<Exclude<TaskField, (typeof TASK_COLUMNS)[number]>, never> = {};
void covered;

/** The table with its rows as JSON text, `partRows` (PART_ROWS) a part. */
export function tableAsText(table: TaskTable, partRows = PART_ROWS): TaskTableText {
  const parts: string[] = [];
  for (let start = 0; start < table.rows.length; start += partRows) parts.push(JSON.stringify(table.rows.slice(start, start + partRows)));
  return { columns: table.columns, parts };
}

/** The tasks of one part of a TaskTableText, made whole. */
export function tasksOfPart(columns: readonly TaskField[], part: string): Task[] {
  return tasksOfTable({ columns, rows: JSON.parse(part) as unknown[][] });
}

/** The tasks of a table, its rows sent as values or as text, as whole tasks, each made once from its row. */
export function tasksOfTable(table: TaskTable | TaskTableText): Task[] {
  if ('parts' in table) return table.parts.flatMap((part) => tasksOfPart(table.columns, part));
  const { columns, rows } = table;
  if (columns.length === TASK_COLUMNS.length && columns.every((column, index) => column === TASK_COLUMNS[index]))
    return rows.map(taskOfRow);
  // Another build's columns (a window newer or older than the coordinator): by name.
  return rows.map((row) => {
    const task: Record<string, unknown> = {};
    columns.forEach((column, index) => {
      task[column] = row[index];
    });
    // A coordinator older than the loops' column: none is marked.
    task.loop_back ??= [];
    return task as unknown as Task;
  });
}

/** A row of TASK_COLUMNS as one object literal: every task the same shape, made in one step. */
function taskOfRow(row: unknown[]): Task {
  return {
    kind: row[0] as 'task',
    id: row[1] as string,
    title: row[2] as string,
    description: row[3] as string,
    status: row[4] as TaskStatus,
    paused: row[5] as boolean,
    priority: row[6] as Priority,
    priority_value: row[7] as number,
    model: row[8] as string | null,
    executor: row[9] as string | null,
    exec: row[10] as string | null,
    repo: row[11] as string | null,
    role: row[12] as string | null,
    schedule: row[13] as string | null,
    not_before: row[14] as string | null,
    assigned: row[15] as string | null,
    agent: row[16] as string | null,
    created_at: row[17] as string,
    started_at: row[18] as string | null,
    completed_at: row[19] as string | null,
    artifacts: row[20] as string[],
    results: row[21] as Task['results'],
    retry_count: row[22] as number,
    max_retries: row[23] as number | null,
    rescue_count: row[24] as number,
    failure_reason: row[25] as string | null,
    evaluation: row[26] as Task['evaluation'],
    session_id: row[27] as string | null,
    cost_usd: row[28] as number,
    tokens_in: row[29] as number,
    tokens_out: row[30] as number,
    extra: row[31] as Task['extra'],
    rev: row[32] as number,
    tags: row[33] as string[],
    after: row[34] as string[],
    loop_back: row[35] as string[],
    worktree: row[36] as Task['worktree'],
    log: row[37] as LogEntry[],
  };
}
