import type { Agent } from '../../../src/shared/agent';
import type { ArchivedTask } from '../../../src/shared/cleanup';
import { WgError, notFound } from '../../../src/shared/errors';
import type { OpOutput, OpParsed } from '../../../src/shared/ops/registry';
import type { Task } from '../../../src/shared/task';
import { gcCandidates } from '../../../src/core/cleanup/gc-plan';
import { spendFrom } from '../../../src/core/history/spend';
import { timeStats } from '../../../src/core/history/time-stats';

type HistoryOp =
  | 'graph:gc'
  | 'graph:archive'
  | 'archive:search'
  | 'archive:restore'
  | 'trace:show'
  | 'trace:export'
  | 'trace:import'
  | 'snapshot:list'
  | 'snapshot:show'
  | 'snapshot:diff'
  | 'snapshot:restore'
  | 'usage:spend'
  | 'usage:stats';

interface Graph {
  tasks(): Task[];
  agents(): Agent[];
  /** Takes the tasks out of the graph (a removal the window sees as one). */
  remove(ids: readonly string[]): void;
  put(task: Task): void;
}

const listed = (t: Task): ArchivedTask => ({
  id: t.id,
  title: t.title,
  completed_at: t.completed_at,
  tags: t.tags,
  status: t.status,
  description: t.description || null,
});

const notHere = (what: string) => () => {
  throw new WgError('unavailable', `${what} is not in the test stand-in`);
};

/**
 * gc, archive and spend of the in-memory workgraph, with the real rules (gc-plan, spend) where they
 * are pure; the archive is a list of the tasks taken out. What reads files (trace, run snapshots)
 * is not in the stand-in.
 */
export function historyHandlers(graph: Graph): { [N in HistoryOp]: (input: OpParsed<N>) => OpOutput<N> } {
  const archived: Task[] = [];
  const archivable = (t: Task) =>
    (t.status === 'done' || t.status === 'abandoned') &&
    !graph.tasks().some((other) => other.after.includes(t.id) && !['done', 'failed', 'abandoned'].includes(other.status));
  return {
    'graph:gc': ({ dryRun, includeDone }) => {
      const ids = gcCandidates(graph.tasks(), { includeDone: includeDone ?? false, olderMs: null, now: new Date() });
      const removed = graph
        .tasks()
        .filter((t) => ids.includes(t.id))
        .map((t) => ({ id: t.id, title: t.title, status: t.status }));
      if (!dryRun) graph.remove(ids);
      return { kind: 'tasks', dry_run: dryRun ?? false, removed };
    },
    'graph:archive': ({ ids, list, yes, dryRun }) => {
      if (list) return { kind: 'list', tasks: archived.map(listed) };
      const find = (id: string) => {
        const task = graph.tasks().find((t) => t.id === id);
        if (!task) throw notFound('task', id);
        return task;
      };
      const tasks = ids?.length ? ids.map(find) : graph.tasks().filter(archivable);
      if (dryRun || (!ids?.length && !yes)) return { kind: 'preview', tasks: tasks.map(listed), ok: dryRun ?? false };
      archived.push(...tasks);
      graph.remove(tasks.map((t) => t.id));
      return { kind: 'archived', tasks: tasks.map(listed) };
    },
    'archive:search': ({ query, limit }) =>
      archived
        .filter((t) => `${t.title} ${t.description} ${t.tags.join(' ')}`.toLowerCase().includes(query.toLowerCase()))
        .slice(0, limit)
        .map(listed),
    'archive:restore': ({ task, reopen }) => {
      const index = archived.findIndex((t) => t.id === task);
      if (index === -1) throw new WgError('not_found', `Task '${task}' not found in archive`);
      const [restored] = archived.splice(index, 1) as [Task];
      const back = reopen ? { ...restored, status: 'open' as const, completed_at: null, assigned: null } : restored;
      graph.put(back);
      return { id: back.id, title: back.title, status: back.status };
    },
    'trace:show': notHere('wg trace'),
    'trace:export': notHere('wg trace export'),
    'trace:import': notHere('wg trace import'),
    'snapshot:list': () => [],
    'snapshot:show': ({ id }) => {
      throw new WgError('not_found', `no run snapshot '${id}' (wg runs list shows them)`);
    },
    'snapshot:diff': notHere('wg runs diff'),
    'snapshot:restore': notHere('wg runs restore'),
    'usage:spend': () => spendFrom(graph.tasks(), graph.agents(), () => null),
    'usage:stats': () => timeStats(graph.agents(), null, new Date()),
  };
}
