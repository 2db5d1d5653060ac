import { sql } from 'kysely';
import type { WatchEvent } from '../../shared/watch-events';
import type { JsonValue } from '../../shared/task';
import type { Store } from './store';
import type { Query, StoreCore } from './store-core';

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
  query: (core: StoreCore) => Query<Row>;
  data: readonly string[];
}

const SOURCES: readonly Source[] = [
  {
    type: 'task.created',
    query: ({ build }) => build.selectFrom('tasks').select(['created_at as timestamp', 'id as task_id', 'title']).$castTo<Row>(),
    data: ['title'],
  },
  {
    // Every task that started, finished since or not: a done task's start is still part of its history.
    type: 'task.started',
    query: ({ build }) =>
      build
        .selectFrom('tasks')
        .select(['started_at as timestamp', 'id as task_id', 'assigned'])
        .where('started_at', 'is not', null)
        .$castTo<Row>(),
    data: ['assigned'],
  },
  {
    type: 'task.completed',
    query: ({ build }) =>
      build
        .selectFrom('tasks')
        .select(['completed_at as timestamp', 'id as task_id', 'title'])
        .where('status', '=', 'done')
        .where('completed_at', 'is not', null)
        .$castTo<Row>(),
    data: ['title'],
  },
  {
    type: 'task.failed',
    query: ({ build }) =>
      build
        .selectFrom('tasks')
        .select((eb) => [
          eb.fn.coalesce('completed_at', 'started_at', 'created_at').as('timestamp'),
          'id as task_id',
          'failure_reason as reason',
        ])
        .where('status', '=', 'failed')
        .$castTo<Row>(),
    data: ['reason'],
  },
  {
    type: 'task.retried',
    query: ({ build, fn }) =>
      build
        .selectFrom('task_log')
        .select(['timestamp', 'task_id', 'message'])
        .where(fn.like(sql.ref('message'), 'Retry #%'))
        .$castTo<Row>(),
    data: ['message'],
  },
  {
    type: 'evaluation.recorded',
    query: ({ build }) => build.selectFrom('evaluations').select(['timestamp', 'task_id', 'score', 'evaluator', 'source']).$castTo<Row>(),
    data: ['score', 'evaluator', 'source'],
  },
  {
    type: 'agent.spawned',
    query: ({ build }) =>
      build.selectFrom('agents').select(['started_at as timestamp', 'task_id', 'id as agent_id', 'executor', 'model']).$castTo<Row>(),
    data: ['agent_id', 'executor', 'model'],
  },
  {
    type: 'agent.completed',
    query: ({ build }) =>
      build
        .selectFrom('agents')
        .select(['ended_at as timestamp', 'task_id', 'id as agent_id', 'state', 'exit_code', 'reason'])
        .where('ended_at', 'is not', null)
        .$castTo<Row>(),
    data: ['agent_id', 'state', 'exit_code', 'reason'],
  },
];

/** Every event the store can tell, oldest first (events of one time in the order of SOURCES). */
export async function eventHistory(store: Store): Promise<WatchEvent[]> {
  const events: WatchEvent[] = [];
  for (const source of SOURCES) {
    for (const row of await store.core.all(source.query(store.core))) {
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
