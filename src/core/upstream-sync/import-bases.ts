import { sql } from 'kysely';
import type { StoreCore } from '../store/store-core';
import { listTasks } from '../store/task-reads';
import type { FileStamp } from './graph-file';
import { parseGraphLines, tasksById } from './graph-lines';
import { oursLines } from './ours-lines';
import { readState, writeBase, writeState } from './sync-records';

/*
 * A graph imported from graph.jsonl (opening/upstream-graph.ts) starts the sync from the version
 * imported: each task's line as the file had it and as this app writes it are the bases of its first
 * merge. Without them every difference of spelling would count as a change made here (a priority or
 * creation time the import filled in), and the first sync, even of a command that only reads, would
 * write them into every line. A task changed here since the import gets no base (a whole-line merge).
 */

export async function adoptImport(core: StoreCore): Promise<void> {
  // SQLite's own catalogue and a table of an import into SQLite only: not among the builder's tables.
  const table = await core.get(sql`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'upstream_import'`);
  if (table === undefined) return;
  // One write of its own (no revision: nothing a person sees changes).
  await core.conn.write(async () => {
    const row = await core.get(sql<{ rev: number; stamp: string; text: string }>`SELECT rev, stamp, text FROM upstream_import`);
    if (row === undefined) return;
    if ((await readState(core)).rev === null) {
      const lines = tasksById(parseGraphLines(row.text));
      const unchanged = (await listTasks(core)).filter((task) => task.rev <= row.rev && lines.has(task.id));
      const ours = await oursLines(core, unchanged);
      for (const task of unchanged) {
        const node = lines.get(task.id);
        if (node) await writeBase(core, task.id, { text: node.raw, hash: node.hash }, JSON.stringify(ours.get(task.id)));
      }
      await writeState(core, { rev: row.rev, stamp: JSON.parse(row.stamp) as FileStamp });
    }
    await core.conn.exec('DROP TABLE upstream_import');
  });
}
