import { importJsonl } from '../store/import-export';
import { ownLine } from '../store/jsonl-export';
import type { StoreCore } from '../store/store-core';
import { getTask } from '../store/task-reads';
import type { StoreEdit } from './store-apply';
import { keepRemovedTask, takeKeptTask } from './sync-records';
import { sameJson, type Line } from './task-merge';

/*
 * A task graph.jsonl stops having is removed from graph.db by the sync (upstream's gc, or a version
 * that lacks finished tasks: a `git stash`, an older commit checked out). graph.jsonl's line holds only
 * upstream's fields, so a task brought back from it alone would come back without what only graph.db
 * held: its executor, role, repository, results, evaluation. Each removed task is kept whole instead
 * (sync-records.ts), and a version that has it again brings it back as it was, with the changes its
 * line made since.
 */

/** The fields of `line` that differ from `before` (a field either lacks counts), but its id and kind. */
function changedFields(before: Line, line: Line): string[] {
  const keys = new Set([...Object.keys(before), ...Object.keys(line)]);
  return [...keys].filter((key) => key !== 'id' && key !== 'kind' && !sameJson(before[key], line[key]));
}

/**
 * The sync's edits, with each removal kept whole first, and each addition of a task kept so put back
 * whole, the rest of its line then taken as a change of the fields that differ from its line when it
 * was removed. Call inside the sync's write, before the edits are applied.
 */
export async function withKeptTasks(core: StoreCore, edits: readonly StoreEdit[]): Promise<StoreEdit[]> {
  const out: StoreEdit[] = [];
  for (const edit of edits) {
    if (edit.change.kind === 'remove') {
      await keepRemovedTask(core, edit.id, ownLine(await getTask(core, edit.id)), edit.line);
      out.push(edit);
      continue;
    }
    const kept = edit.change.kind === 'add' ? await takeKeptTask(core, edit.id) : null;
    if (kept === null) {
      out.push(edit);
      continue;
    }
    await importJsonl(core, JSON.stringify(kept.task));
    const fields = changedFields(kept.theirs, edit.line);
    if (fields.length > 0) out.push({ ...edit, change: { kind: 'fields', fields } });
  }
  return out;
}
