import type { WatchEvent } from '../../shared/watch-events';
import type { Store } from '../store/store';

/*
 * `wg watch --replay N` (and the `graph:events` operation): the graph's recent events, told from what
 * the store keeps with a time: when each task was made, started and ended, each retry in its log, each
 * evaluation, each run's start and end. Newest last.
 */

interface Row {
  type: WatchEvent['type'];
  timestamp: string;
  task_id: string | null;
  data: string;
}

/** Every event the store can tell, oldest first. */
export function eventHistory(store: Store): WatchEvent[] {
  const rows = store.core
    .sql<Row>(
      `SELECT 'task.created' AS type, created_at AS timestamp, id AS task_id, json_object('title', title) AS data FROM tasks
       UNION ALL SELECT 'task.started', started_at, id, json_object('assigned', assigned) FROM tasks WHERE started_at IS NOT NULL AND status = 'in-progress'
       UNION ALL SELECT 'task.completed', completed_at, id, json_object('title', title) FROM tasks WHERE status = 'done' AND completed_at IS NOT NULL
       UNION ALL SELECT 'task.failed', coalesce(completed_at, started_at, created_at), id, json_object('reason', failure_reason) FROM tasks WHERE status = 'failed'
       UNION ALL SELECT 'task.retried', timestamp, task_id, json_object('message', message) FROM task_log WHERE message LIKE 'Retry #%'
       UNION ALL SELECT 'evaluation.recorded', timestamp, task_id, json_object('score', score, 'evaluator', evaluator, 'source', source) FROM evaluations
       UNION ALL SELECT 'agent.spawned', started_at, task_id, json_object('agent_id', id, 'executor', executor, 'model', model) FROM agents
       UNION ALL SELECT 'agent.completed', ended_at, task_id, json_object('agent_id', id, 'state', state, 'exit_code', exit_code, 'reason', reason) FROM agents WHERE ended_at IS NOT NULL
       ORDER BY timestamp`,
    )
    .all();
  return rows.map((row) => ({
    type: row.type,
    timestamp: row.timestamp,
    ...(row.task_id !== null ? { task_id: row.task_id } : {}),
    data: JSON.parse(row.data) as WatchEvent['data'],
  }));
}
