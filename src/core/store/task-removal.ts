import { sql } from 'kysely';
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
  const present = await core.all(
    core.build
      .selectFrom('tasks')
      .select('id')
      .where(core.fn.inList(sql.ref('id'), ids)),
  );
  if (present.length === 0) return [];
  const gone = new Set(present.map((r) => r.id));
  const removed = [...gone];
  const depId = sql.ref('dep_id');
  const dependents = new Set(
    (
      await core.all(
        core.build
          .selectFrom('deps')
          .select('task_id')
          .where(core.fn.inList(depId, removed))
          .union(core.build.selectFrom('loose_deps').select('task_id').where(core.fn.inList(depId, removed))),
      )
    )
      .map((r) => r.task_id)
      .filter((id) => !gone.has(id)),
  );
  await core.send(core.build.deleteFrom('loose_deps').where(core.fn.inList(depId, removed)));
  // Dependencies, tags, log entries and messages go with each task (ON DELETE CASCADE).
  await core.send(core.build.deleteFrom('tasks').where(core.fn.inList(sql.ref('id'), removed)));
  // Those that have either list at all; which of them hold an array naming a removed task is seen below.
  const extraOf = sql.ref<string>('extra');
  const named = await core.all(
    core.build
      .selectFrom('tasks')
      .select(['id', 'extra'])
      .where((eb) => eb.or(ID_LISTS.map((key) => eb(core.fn.jsonText(extraOf, key), 'is not', null)))),
  );
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
    await core.send(
      core.build
        .updateTable('tasks')
        .set({ extra: JSON.stringify(extra) })
        .where('id', '=', row.id),
    );
    dependents.add(row.id);
  }
  for (const id of dependents) await core.send(core.build.updateTable('tasks').set({ rev }).where('id', '=', id));
  await recountAll(core);
  // A window asking what changed since before this gets every task instead (Store.snapshot).
  await core.send(
    core.build
      .insertInto('meta')
      .values({ key: 'tasks_removed_rev', value: rev })
      .onConflict((oc) => oc.column('key').doUpdateSet((eb) => ({ value: eb.ref('excluded.value') }))),
  );
  return [...gone];
}
