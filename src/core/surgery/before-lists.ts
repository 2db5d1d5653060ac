import type { JsonValue } from '../../shared/task';
import type { StoreCore } from '../store/store-core';
import { dependentsOf } from '../store/task-reads';

/*
 * Upstream keeps every edge twice: in `after` of the later task and in `before` of the earlier one
 * (kept in `extra` here, written back to graph.jsonl). Its graph surgery edits both lists; so do these
 * commands, so that graph.jsonl holds what upstream's own command would have written. A task that has
 * no `before` list yet (its dependents were added here) starts from its dependents, the list upstream
 * would have had.
 */

async function extraOf(core: StoreCore, id: string): Promise<Record<string, JsonValue>> {
  const row = await core.get(core.build.selectFrom('tasks').select('extra').where('id', '=', id));
  return JSON.parse(row?.extra ?? '{}') as Record<string, JsonValue>;
}

/** The task's `before` as upstream has it: the kept list, else its dependents. */
export async function beforeOf(core: StoreCore, id: string): Promise<string[]> {
  const kept = (await extraOf(core, id)).before;
  if (Array.isArray(kept)) return kept.filter((item): item is string => typeof item === 'string');
  return dependentsOf(core, id);
}

/** Writes the task's `before` (left out when empty, as upstream's serializer does). Call inside a write. */
export async function setBefore(core: StoreCore, id: string, list: readonly string[]): Promise<void> {
  const extra = await extraOf(core, id);
  if (list.length === 0) delete extra.before;
  else extra.before = [...list];
  await core.send(
    core.build
      .updateTable('tasks')
      .set({ extra: JSON.stringify(extra) })
      .where('id', '=', id),
  );
}
