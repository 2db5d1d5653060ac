import type { StoreCore } from '../store/store-core';
import { listTasks } from '../store/task-reads';
import type { FileStamp } from './graph-file';
import { parseGraphLines, tasksById } from './graph-lines';
import { oursLines } from './ours-lines';
import { baseHashes, markRemoved, writeBase, writeState } from './sync-records';

/*
 * A version of graph.jsonl this app wrote and put into graph.db in the same write (a run snapshot
 * restored, which upstream's `wg runs restore` copies over graph.jsonl as it is): both sides agree on
 * every task, so each line is its task's base and the next sync has nothing to merge. Taken in by a
 * sync instead, an older version written back is what the sync refuses (regressions.ts). Call inside
 * the `core.write` of revision `rev` that made graph.db the file's graph, under graph.lock.
 */

export async function adoptVersion(core: StoreCore, text: string, stamp: FileStamp, rev: number): Promise<void> {
  const lines = tasksById(parseGraphLines(text));
  const tasks = await listTasks(core);
  const ours = await oursLines(core, tasks);
  for (const task of tasks) {
    const node = lines.get(task.id);
    if (!node) continue;
    await writeBase(core, task.id, { text: node.raw, hash: node.hash }, JSON.stringify(ours.get(task.id)));
    await markRemoved(core, task.id, false);
  }
  for (const id of (await baseHashes(core)).keys()) {
    if (lines.has(id)) continue;
    await writeBase(core, id, null, null);
    await markRemoved(core, id, true);
  }
  await writeState(core, { rev, stamp });
}
