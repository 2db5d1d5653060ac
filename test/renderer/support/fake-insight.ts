import { WgError, notFound } from '../../../src/shared/errors';
import type { OpOutput, OpParsed } from '../../../src/shared/ops/registry';
import type { Task, TaskStatus } from '../../../src/shared/task';
import { directBlockers, whyBlocked } from '../../../src/core/graph/analysis/blocking';
import { bottlenecks } from '../../../src/core/graph/analysis/bottlenecks';
import { criticalPath } from '../../../src/core/graph/analysis/critical-path';
import { downstreamOf } from '../../../src/core/graph/analysis/downstream';
import { checkGraph } from '../../../src/core/graph/analysis/graph-check';
import { recentActivity, taskSummary } from '../../../src/core/graph/analysis/status-summary';
import { dependentsContext, taskContext } from '../../../src/core/graph/analysis/task-context';
import { taskCost } from '../../../src/core/graph/analysis/task-cost';
import { indexTasks } from '../../../src/core/graph/analysis/task-index';
import { parseWaitSpec } from '../../../src/core/waiting/wait-parse';

type InsightOp =
  | 'graph:status'
  | 'task:context'
  | 'task:blocked'
  | 'task:whyBlocked'
  | 'graph:check'
  | 'task:cost'
  | 'graph:criticalPath'
  | 'graph:bottlenecks'
  | 'task:resume'
  | 'task:approve'
  | 'task:reject'
  | 'task:requeue'
  | 'task:reclaim'
  | 'task:incomplete'
  | 'task:wait';

interface FakeGraph {
  tasks(): Task[];
  ready(task: Task): boolean;
  setStatus(id: string, status: TaskStatus, extra?: Partial<Task>): Task;
  setPaused(id: string, paused: boolean): Task;
}

/**
 * The fake's side of upstream's read-only views and task verbs: the views run the real pure
 * analyses on the fake's tasks; the verbs apply upstream's transitions without runs or worktrees.
 */
export function insightHandlers(graph: FakeGraph): { [N in InsightOp]: (input: OpParsed<N>) => OpOutput<N> } {
  const find = (id: string) => {
    const task = graph.tasks().find((t) => t.id === id);
    if (!task) throw notFound('task', id);
    return { task, tasks: graph.tasks(), index: indexTasks(graph.tasks()) };
  };
  const awaiting = (task: Task) => {
    if (task.status !== 'pending-validation' && task.status !== 'pending-eval') {
      throw new WgError('conflict', `task '${task.id}' is ${task.status}, not awaiting approval`);
    }
  };
  return {
    'graph:status': ({ all }) => {
      const tasks = graph.tasks();
      return {
        service: { running: false, pid: null, uptime: null, socket: null },
        coordinator: { max_agents: 4, executor: 'claude', model: null, poll_interval: 60 },
        agents: { alive: 0, dead: 0, active: [] },
        tasks: taskSummary(
          tasks,
          indexTasks(tasks),
          new Set(tasks.filter((t) => graph.ready(t)).map((t) => t.id)),
          new Date(),
          all === true,
        ),
        recent: recentActivity(tasks, all === true),
      };
    },
    'task:context': ({ task, dependents }) => {
      const { tasks, index } = find(task);
      return dependents ? dependentsContext(tasks, index, task) : taskContext(index, task);
    },
    'task:blocked': ({ id }) => directBlockers(find(id).index, id),
    'task:whyBlocked': ({ id }) => whyBlocked(find(id).index, id),
    'graph:check': () => checkGraph(graph.tasks(), indexTasks(graph.tasks())),
    'task:cost': ({ id }) => taskCost(find(id).index, id),
    'graph:criticalPath': () => criticalPath(graph.tasks()),
    'graph:bottlenecks': () => bottlenecks(graph.tasks()),
    'task:resume': ({ id, only }) => {
      const { task, tasks, index } = find(id);
      if (!task.paused) throw new WgError('conflict', `task '${id}' is not paused`);
      const resumed = (only ? [id] : downstreamOf(tasks, index, id)).filter((member) => index.get(member)?.paused);
      for (const member of resumed) graph.setPaused(member, false);
      return { task: find(id).task, resumed };
    },
    'task:approve': ({ id }) => {
      awaiting(find(id).task);
      return graph.setStatus(id, 'done');
    },
    'task:reject': ({ id, reason }) => {
      const { task } = find(id);
      awaiting(task);
      const rejections = (typeof task.extra.rejection_count === 'number' ? task.extra.rejection_count : 0) + 1;
      const failed = rejections >= 3;
      const extra = { ...task.extra, rejection_count: rejections };
      const next = failed
        ? graph.setStatus(id, 'failed', { extra, failure_reason: reason })
        : graph.setStatus(id, 'open', { extra, assigned: null });
      return { task: next, rejections, max: 3, failed };
    },
    'task:requeue': ({ id, reason }) => {
      const { task } = find(id);
      if (task.status !== 'in-progress')
        throw new WgError('conflict', `task '${id}' is ${task.status}; only in-progress tasks can be requeued`);
      return { task: graph.setStatus(id, 'open', { assigned: null }), attempt: 1, max: 3, reason };
    },
    'task:incomplete': ({ id, reason }) => graph.setStatus(id, 'incomplete', { assigned: null, failure_reason: reason ?? null }),
    'task:wait': ({ id, until, checkpoint }) => {
      const { task } = find(id);
      if (task.status !== 'in-progress')
        throw new WgError('conflict', `Cannot wait on task '${id}': status is '${task.status}', expected 'in-progress'`);
      const spec = parseWaitSpec(until, {
        nowMs: Date.now(),
        taskExists: (other) => graph.tasks().some((t) => t.id === other),
        mtimeMs: () => null,
        resolvePath: (path) => path,
      });
      const extra = { ...task.extra, wait_condition: spec, ...(checkpoint === undefined ? {} : { checkpoint }) };
      return graph.setStatus(id, 'waiting', { extra });
    },
    'task:reclaim': ({ id, from, to }) => {
      const { task } = find(id);
      if (task.status !== 'in-progress' || task.assigned !== from) throw new WgError('conflict', `task '${id}' is not held by '${from}'`);
      return graph.setStatus(id, 'in-progress', { assigned: to });
    },
  };
}
