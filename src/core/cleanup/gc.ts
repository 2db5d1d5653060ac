import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { GcResult } from '../../shared/cleanup';
import { removeRunFolder, runFolderBytes } from '../run-folder/run-folders';
import type { Store } from '../store/store';
import { removeTasks } from '../store/task-removal';
import { parseCleanupAge } from './age';
import { gcCandidates } from './gc-plan';

export interface GcOptions {
  dryRun: boolean;
  includeDone: boolean;
  older: string | undefined;
}

/**
 * `wg gc`: the terminal tasks gc-plan.ts chooses, removed in one transaction (the choice made inside
 * it, so a task that changed since cannot slip out), or only listed with `--dry-run`. The folders of their ended runs
 * go with them: output no task shows any more, which a long-lived project piles up by the gigabyte (about 44 KB for a
 * shell task's run of a few lines, on 4 KB blocks). The runs' records stay, small, as what they cost stays counted.
 * Upstream's gc leaves the folders, and its `dead-agents --purge --delete-dirs` frees them by forgetting done runs,
 * which this app keeps.
 */
export async function collectGarbage(store: Store, runsDir: string, options: GcOptions): Promise<GcResult> {
  const olderMs = options.older === undefined ? null : parseCleanupAge(options.older);
  const choose = async () => {
    const tasks = await store.list();
    const ids = gcCandidates(tasks, { includeDone: options.includeDone, olderMs, now: store.core.clock() });
    const byId = new Map(tasks.map((t) => [t.id, t]));
    return ids.map((id) => {
      const task = byId.get(id);
      return { id, title: task?.title ?? id, status: task?.status ?? 'done' };
    });
  };
  const bytesOf = (runs: readonly string[]) => runs.reduce((sum, id) => sum + runFolderBytes(runsDir, id), 0);
  const withFolders = (runs: readonly string[]) => runs.filter((id) => existsSync(join(runsDir, id)));
  if (options.dryRun) {
    const removed = await choose();
    const runs = withFolders(await store.agents.endedRunsOf(removed.map((t) => t.id)));
    return { kind: 'tasks', dry_run: true, removed, run_folders: runs.length, run_bytes: bytesOf(runs) };
  }
  const { removed, runs } = await store.core.batch(async () => {
    const removed = await choose();
    if (removed.length === 0) return { removed, runs: [] };
    const ids = removed.map((t) => t.id);
    const runs = await store.core.write(async (rev) => {
      const ended = await store.agents.endedRunsOf(ids);
      await removeTasks(store.core, ids, rev);
      return ended;
    });
    return { removed, runs: withFolders(runs) };
  });
  // After the commit: a gc that fails leaves every run's output as it was.
  const bytes = bytesOf(runs);
  for (const id of runs) removeRunFolder(runsDir, id);
  return { kind: 'tasks', dry_run: false, removed, run_folders: runs.length, run_bytes: bytes };
}
