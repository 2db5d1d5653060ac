import type { WgClient } from '../../shared/client';
import type { Task } from '../../shared/task';
import type { ChatBatch } from './chat-batch';

const UNDONE_REASON = 'undone from the coordinator chat';

const added = (from: readonly string[], to: readonly string[]) => to.filter((x) => !from.includes(x));

/** The edit that puts a task's title, description, priority, dependencies and tags back as they were (null: none changed). */
function putBack(then: Task, now: Task): Parameters<WgClient['task:edit']>[0] | null {
  const addAfter = added(now.after, then.after);
  const removeAfter = added(then.after, now.after);
  const addTag = added(now.tags, then.tags);
  const removeTag = added(then.tags, now.tags);
  const title = then.title !== now.title ? then.title : undefined;
  const description = then.description !== now.description ? then.description : undefined;
  const edit = {
    id: then.id,
    ...(then.priority_value !== now.priority_value ? { priority: then.priority_value } : {}),
    ...(title !== undefined ? { title } : {}),
    ...(description !== undefined ? { description } : {}),
    ...(addAfter.length > 0 ? { addAfter } : {}),
    ...(removeAfter.length > 0 ? { removeAfter } : {}),
    ...(addTag.length > 0 ? { addTag } : {}),
    ...(removeTag.length > 0 ? { removeTag } : {}),
  };
  return Object.keys(edit).length > 1 ? edit : null;
}

/** What an Undo could not put back, in a line each (a status the agent changed other than a pause). */
export type UndoLeft = string[];

/**
 * Undoes a chat answer's batch through the operation registry, as a person would by hand: the tasks it changed get
 * their title, description, priority, dependencies, tags and pause back (first, so that none of them waits on a task about to
 * go), then the tasks it made are abandoned and archived (`wg archive`: off the graph, and restorable from the
 * archive). There is no undo history of the graph to go back in: these are the operations' own inverses.
 */
export async function undoBatch(client: WgClient, batch: ChatBatch, now: ReadonlyMap<string, Task>): Promise<UndoLeft> {
  const left: UndoLeft = [];
  for (const id of batch.changed) {
    const then = batch.before.get(id);
    const current = now.get(id);
    if (!then || !current) continue;
    const edit = putBack(then, current);
    if (edit) await client['task:edit'](edit);
    if (then.paused !== current.paused) await (then.paused ? client['task:pause']({ id }) : client['task:resume']({ id, only: true }));
    if (then.status !== current.status) left.push(`“${current.title}” stays ${current.status} (it was ${then.status})`);
  }
  const made = batch.made.filter((id) => now.has(id));
  for (const id of made) {
    const status = now.get(id)?.status;
    if (status !== 'abandoned' && status !== 'done') await client['task:abandon']({ id, reason: UNDONE_REASON });
  }
  if (made.length > 0) await client['graph:archive']({ ids: made, yes: true });
  return left;
}
