import type { JsonValue } from '../../shared/task';
import { recountAll } from './dependency-writes';
import type { StoreCore } from './store-core';

/*
 * Tasks taken out of the graph by `wg gc` and `wg archive`, as upstream's `remove_node` takes them:
 * each goes with its log, tags and messages, and the tasks that named it stop naming it (their
 * dependencies, and upstream's `before` and `requires` kept with them). Those tasks are changed (a
 * new revision), so a sync writes them to graph.jsonl too; the removed ones are found by the sync
 * through `tasks_removed_rev` (upstream-sync/graph-sync.ts). Call inside one `core.write`.
 */

/** Upstream's lists of task ids kept in `extra` that `remove_node` also clears of a removed id. */
const ID_LISTS = ['before', 'requires'] as const;

function without(value: JsonValue | undefined, gone: ReadonlySet<string>): JsonValue[] | null {
  if (!Array.isArray(value) || !value.some((v) => typeof v === 'string' && gone.has(v))) return null;
  return value.filter((v) => !(typeof v === 'string' && gone.has(v)));
}

/** Removes `ids` (those that exist) in the write of revision `rev`; returns the ids removed. */
export async function removeTasks(core: StoreCore, ids: readonly string[], rev: number): Promise<string[]> {
  const list = JSON.stringify(ids);
  const present = await core.sql<{ id: string }>('SELECT id FROM tasks WHERE id IN (SELECT value FROM json_each(?))').all(list);
  if (present.length === 0) return [];
  const gone = new Set(present.map((r) => r.id));
  const removed = JSON.stringify([...gone]);
  const dependents = new Set(
    (
      await core
        .sql<{ task_id: string }>(
          `SELECT task_id FROM deps WHERE dep_id IN (SELECT value FROM json_each(?))
         UNION SELECT task_id FROM loose_deps WHERE dep_id IN (SELECT value FROM json_each(?))`,
        )
        .all(removed, removed)
    )
      .map((r) => r.task_id)
      .filter((id) => !gone.has(id)),
  );
  await core.sql('DELETE FROM loose_deps WHERE dep_id IN (SELECT value FROM json_each(?))').send(removed);
  // Dependencies, tags, log entries and messages go with each task (ON DELETE CASCADE).
  await core.sql('DELETE FROM tasks WHERE id IN (SELECT value FROM json_each(?))').send(removed);
  // Those that have either list at all; which of them hold an array naming a removed task is seen below.
  const named = await core
    .sql<{ id: string; extra: string }>(
      "SELECT id, extra FROM tasks WHERE json_extract(extra, '$.before') IS NOT NULL OR json_extract(extra, '$.requires') IS NOT NULL",
    )
    .all();
  for (const row of named) {
    const extra = JSON.parse(row.extra) as Record<string, JsonValue>;
    let changed = false;
    for (const key of ID_LISTS) {
      const kept = without(extra[key], gone);
      if (kept === null) continue;
      changed = true;
      if (kept.length === 0) delete extra[key];
      else extra[key] = kept;
    }
    if (!changed) continue;
    await core.sql('UPDATE tasks SET extra = ? WHERE id = ?').send(JSON.stringify(extra), row.id);
    dependents.add(row.id);
  }
  const touch = core.sql('UPDATE tasks SET rev = ? WHERE id = ?');
  for (const id of dependents) await touch.send(rev, id);
  await recountAll(core);
  // A window asking what changed since before this gets every task instead (Store.snapshot).
  await core
    .sql("INSERT INTO meta (key, value) VALUES ('tasks_removed_rev', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value")
    .send(rev);
  return [...gone];
}
