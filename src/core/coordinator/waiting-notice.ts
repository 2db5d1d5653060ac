import { sql } from 'kysely';
import type { Store } from '../store/store';
import { appendLog, touch } from '../store/task-writes';
import type { Config } from '../config/config-view';
import { COORDINATOR } from '../runs/settling/settle';
import { lastLogLine } from '../runs/claiming/waiting-note';
import { runsHere } from '../agency/system-tasks';
import { runsAsAgentTask } from '../../shared/task';

const WAITING_FOR_A_PERSON = 'Waiting for a person';

function message(id: string, system: boolean): string {
  if (system) {
    return `${WAITING_FOR_A_PERSON}: upstream's system tasks are not started by this app; start an agent on it with \`wg spawn ${id}\`, or finish it with \`wg done ${id}\``;
  }
  return `${WAITING_FOR_A_PERSON}: its executor is manual, so nothing starts it; do it and run \`wg done ${id}\`, or start an agent on it with \`wg spawn ${id}\``;
}

/** A ready task nothing starts by itself: 0 of a manual executor, 1 one of upstream's system tasks. */
export interface ReadyToTell {
  id: string;
  part: number;
}

/**
 * Ready tasks the coordinator never starts by itself (a manual executor, upstream's system tasks)
 * say so in their log, once each time they become ready, with how to start them. The ready ones
 * are found through indexes (by executor; system ids are a key range), not by reading every ready task.
 */
export class WaitingNotices {
  /** Tasks told, while they stay ready; one that leaves and comes back is told again. */
  private readonly told = new Set<string>();

  /**
   * The ready tasks nothing starts by themselves, in one statement sent before the first await (it travels with the
   * turn's other reads); `tell` says what to do in the log of those not told yet.
   */
  async readyToTell(store: Store, config: Config, now: Date): Promise<ReadyToTell[]> {
    const at = now.toISOString();
    const manual = config.profiles.filter((p) => p.type === 'manual').map((p) => p.name);
    const { core } = store;
    const readyAt = core.ready.readyAt(at);
    const byExecutor = core.fn.indexed('tasks', 'tasks_ready_by_executor');
    // One statement (a round trip on PostgreSQL) of up to three parts, each through its own index: ready tasks of a
    // manual executor, those of none when the default is manual, and, by the key range, upstream's system tasks
    // (not by the status index, which holds every open task of the graph, a good part of a busy coordinator's CPU on
    // a large graph).
    const parts = [
      ...(manual.length > 0
        ? [sql`SELECT id, 0 AS part FROM ${byExecutor} WHERE ${readyAt} AND ${core.fn.inList(sql.ref('executor'), manual)}`]
        : []),
      ...(manual.includes(config.settings.coordinator.executor)
        ? [sql`SELECT id, 0 AS part FROM ${byExecutor} WHERE ${readyAt} AND executor IS NULL AND exec IS NULL`]
        : []),
      sql`SELECT id, 1 AS part FROM tasks WHERE id >= '.' AND id < '/' AND ${core.fn.notByIndex(readyAt)}`,
    ];
    return core.all(sql<ReadyToTell>`${sql.join(parts, sql` UNION ALL `)}`);
  }

  /** Of the ready tasks read, those whose log does not say yet what to do (and what was told, forgotten once not ready). */
  async untold(core: Store['core'], rows: readonly ReadyToTell[]): Promise<string[]> {
    const manualRows = rows.filter((row) => Number(row.part) === 0);
    const systemRows = rows.filter((row) => Number(row.part) === 1);
    // Upstream's .assign-/.evaluate-/.flip- tasks are run by this app (agency/system-tasks.ts), whatever the default
    // executor, and `.verify-X` starts like any task (a manual executor's rows above still ask for it): nobody is asked.
    const ready = new Set(
      [...manualRows, ...systemRows.filter((row) => !runsAsAgentTask(row.id))].filter((row) => !runsHere(row.id)).map((row) => row.id),
    );
    for (const id of this.told) if (!ready.has(id)) this.told.delete(id);
    const untold: string[] = [];
    for (const id of ready) {
      if (this.told.has(id)) continue;
      // Said already (by an earlier coordinator) and nothing happened since: not again.
      if ((await lastLogLine(core, id))?.startsWith(WAITING_FOR_A_PERSON)) this.told.add(id);
      else untold.push(id);
    }
    return untold;
  }

  /** Inside a coordinator turn (one transaction): tells the ready tasks read (readyToTell) not told yet. */
  async tell(store: Store, rows: readonly ReadyToTell[]): Promise<void> {
    const core = store.core;
    for (const id of await this.untold(core, rows)) {
      this.told.add(id);
      await core.write(async (rev) => {
        await appendLog(core, id, COORDINATOR, message(id, id.startsWith('.') && !runsAsAgentTask(id)));
        await touch(core, id, rev);
      });
    }
  }
}
