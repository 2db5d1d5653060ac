import type { WatchEvent } from '../../shared/watch-events';
import type { JsonValue } from '../../shared/task';
import type { Store } from '../store/store';

/*
 * `wg watch --replay N` (and the `graph:events` operation): the graph's recent events, told from what
 * the store keeps with a time: when each task was made, started and ended, each retry in its log, each
 * evaluation, each run's start and end. Newest last.
 *
 * Each kind of event is read as plain columns and its `data` made here: the SQL is the same on
 * SQLite and PostgreSQL, which build JSON with functions of different names.
 */

interface Row {
  timestamp: string | null;
  task_id: string | null;
  [column: string]: JsonValue;
}

/** One kind of event: its query (timestamp, task_id and the columns its data holds, in that order). */
interface Source {
  type: WatchEvent['type'];
  sql: string;
  data: readonly string[];
}

const SOURCES: readonly Source[] = [
  { type: 'task.created', sql: 'SELECT created_at AS timestamp, id AS task_id, title FROM tasks', data: ['title'] },
  {
    // Every task that started, finished since or not: a done task's start is still part of its history.
    type: 'task.started',
    sql: 'SELECT started_at AS timestamp, id AS task_id, assigned FROM tasks WHERE started_at IS NOT NULL',
    data: ['assigned'],
  },
  {
    type: 'task.completed',
    sql: "SELECT completed_at AS timestamp, id AS task_id, title FROM tasks WHERE status = 'done' AND completed_at IS NOT NULL",
    data: ['title'],
  },
  {
    type: 'task.failed',
    sql: "SELECT coalesce(completed_at, started_at, created_at) AS timestamp, id AS task_id, failure_reason AS reason FROM tasks WHERE status = 'failed'",
    data: ['reason'],
  },
  {
    type: 'task.retried',
    sql: "SELECT timestamp, task_id, message FROM task_log WHERE message LIKE 'Retry #%'",
    data: ['message'],
  },
  {
    type: 'evaluation.recorded',
    sql: 'SELECT timestamp, task_id, score, evaluator, source FROM evaluations',
    data: ['score', 'evaluator', 'source'],
  },
  {
    type: 'agent.spawned',
    sql: 'SELECT started_at AS timestamp, task_id, id AS agent_id, executor, model FROM agents',
    data: ['agent_id', 'executor', 'model'],
  },
  {
    type: 'agent.completed',
    sql: 'SELECT ended_at AS timestamp, task_id, id AS agent_id, state, exit_code, reason FROM agents WHERE ended_at IS NOT NULL',
    data: ['agent_id', 'state', 'exit_code', 'reason'],
  },
];

/** Every event the store can tell, oldest first (events of one time in the order of SOURCES). */
export async function eventHistory(store: Store): Promise<WatchEvent[]> {
  const events: WatchEvent[] = [];
  for (const source of SOURCES) {
    for (const row of await store.core.sql<Row>(source.sql).all()) {
      const data: Record<string, JsonValue> = {};
      for (const column of source.data) data[column] = row[column] ?? null;
      events.push({
        type: source.type,
        timestamp: row.timestamp as string,
        ...(row.task_id !== null ? { task_id: row.task_id } : {}),
        data,
      });
    }
  }
  // A missing time sorts first, as SQLite's ORDER BY puts NULL; times are ISO text, compared as text.
  const key = (event: WatchEvent) => event.timestamp ?? '';
  return events.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}
