import type { DeadAgentsResult } from '../../shared/service-types';
import type { Store } from '../store/store';
import { requireTaskRow } from '../store/task-reads';
import { appendLog, transition } from '../store/task-writes';

/** Lists dead agents; `cleanup` requeues tasks they still hold, `purge` forgets the dead rows. */
export function deadAgents(store: Store, options: { cleanup?: boolean; purge?: boolean }, actor: string): DeadAgentsResult {
  const dead = store.agents.list({ dead: true });
  if (!options.cleanup && !options.purge) return { dead, cleaned: 0, purged: 0 };
  const core = store.core;
  return core.write((rev) => {
    let cleaned = 0;
    for (const agent of dead) {
      const row = requireTaskRow(core, agent.task_id);
      if (row.status === 'in-progress' && row.assigned === agent.id) {
        transition(core, row, { status: 'open', assigned: null, started_at: null }, rev);
        appendLog(core, agent.task_id, actor, `Dead agent ${agent.id} cleaned up; task requeued`);
        cleaned++;
      }
    }
    const purged = options.purge ? store.agents.purgeDead() : 0;
    return { dead, cleaned, purged };
  });
}
