import type { ExecutorProfile, Settings } from '../../shared/config-types';
import { profileFor } from '../deciding/executor-choice';
import { remoteTarget } from '../executors/remote';
import { sql } from 'kysely';
import type { Store } from '../store/store';
import type { RemoteNeed } from './matching';
import { errorText } from '../../shared/errors';

interface ReadyRow {
  id: string;
  executor: string | null;
  exec: string | null;
  repo: string | null;
  role: string | null;
}

export interface ReadyRemote {
  needs: RemoteNeed[];
  /** Ready remote tasks that can never run (no repository named): failed with the reason. */
  unlaunchable: Array<{ task_id: string; reason: string }>;
}

/**
 * Ready tasks that agent daemons run, in queue order, with the repository and role each needs.
 * Read by name in SQL (executor naming a remote profile, or none when the default is remote), so
 * local work ahead in the queue costs nothing here.
 */
export async function readyDaemonTasks(
  store: Store,
  config: { settings: Settings; profiles: readonly ExecutorProfile[] },
  now: Date,
  limit: number,
): Promise<ReadyRemote> {
  const remote = config.profiles.filter((p) => p.type === 'remote').map((p) => p.name);
  const defaultRemote = remote.includes(config.settings.coordinator.executor);
  if (remote.length === 0 || limit <= 0) return { needs: [], unlaunchable: [] };
  // Through the ready tasks' executor index: a seek per remote profile name, where the queue order's
  // index would walk every ready local task (the coordinator asks after each of its turns).
  const { core } = store;
  const byName = core.fn.inList(sql.ref('executor'), remote);
  const rows = await core.all(
    sql<ReadyRow>`SELECT id, executor, exec, repo, role FROM ${core.fn.indexed('tasks', 'tasks_ready_by_executor')}
     WHERE ${core.ready.readyAt(now.toISOString())} AND substr(id, 1, 1) <> '.' AND assigned IS NULL
       AND (${defaultRemote ? sql`${byName} OR (executor IS NULL AND exec IS NULL)` : byName})
     ORDER BY ${core.ready.readyOrder} LIMIT ${limit}`,
  );
  const result: ReadyRemote = { needs: [], unlaunchable: [] };
  for (const row of rows) {
    try {
      const target = remoteTarget(row, profileFor(row, config.settings, config.profiles));
      result.needs.push({ task_id: row.id, repo: target.repo, role: target.role });
    } catch (error) {
      result.unlaunchable.push({ task_id: row.id, reason: `cannot launch: ${errorText(error)}` });
    }
  }
  return result;
}
