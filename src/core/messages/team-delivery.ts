import type { Store } from '../store/store';
import { markInbox } from './inbox-marker';

/*
 * The tasks whose working run this coordinator started (agents.coordinator_id) and whose agent has a message it has
 * not read: one not its own, past its cursor. On a team's graph a message may be sent through any coordinator, or
 * straight into the store, by a `wg` in another folder: the marker that wakes the agent's hook was then left in that
 * folder, not in this one, where the agent's hook looks.
 */
const UNREAD_FOR_OWN_RUNS = `SELECT DISTINCT a.task_id FROM agents a JOIN messages m ON m.task_id = a.task_id
  WHERE a.coordinator_id = ? AND a.state = 'working'
    AND m.seq > COALESCE((SELECT c.cursor FROM message_cursors c WHERE c.reader = a.id AND c.task_id = a.task_id), 0)
    AND (m.agent_id IS NULL OR m.agent_id <> a.id)`;

/**
 * Delivers messages to this coordinator's own runs as a send through it does (inbox-marker.ts): called when it
 * hears another machine's commit. A marker left for a message the agent reads meanwhile only costs its hook one
 * look that finds nothing.
 */
export async function markInboxesOfOwnRuns(store: Store, serviceDir: string, coordinatorId: string): Promise<number> {
  const tasks = await store.core.sql<{ task_id: string }>(UNREAD_FOR_OWN_RUNS).all(coordinatorId);
  for (const { task_id } of tasks) markInbox(serviceDir, task_id);
  return tasks.length;
}
