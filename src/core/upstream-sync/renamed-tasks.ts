import type { StoreCore } from '../store/store-core';
import { findTaskRow } from '../store/task-reads';
import type { FileNode } from './graph-lines';

/**
 * Tasks a version names by an id graph.db does not have, created at the very moment of a task of graph.db's that it
 * lacks: that task renamed (new id → old id). Taken in as a new task it would run twice, the second time with none
 * of what graph.db alone holds (its executor, its results).
 */
export async function renamedIn(
  core: StoreCore,
  present: ReadonlyMap<string, FileNode>,
  inStore: ReadonlySet<string>,
): Promise<Map<string, string>> {
  const lackedByCreation = new Map<number, string>();
  for (const id of inStore) {
    if (present.has(id)) continue;
    const created = Date.parse((await findTaskRow(core, id))?.created_at ?? '');
    if (!Number.isNaN(created)) lackedByCreation.set(created, id);
  }
  const renamed = new Map<string, string>();
  if (lackedByCreation.size === 0) return renamed;
  for (const [id, node] of present) {
    if (inStore.has(id) || typeof node.line.created_at !== 'string') continue;
    const was = lackedByCreation.get(Date.parse(node.line.created_at));
    if (was !== undefined) renamed.set(id, was);
  }
  return renamed;
}
