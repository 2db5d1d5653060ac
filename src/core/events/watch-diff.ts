import type { Agent } from '../../shared/agent';
import type { Task } from '../../shared/task';
import type { WatchEvent } from '../../shared/watch-events';

/*
 * `wg watch`'s live events (pure): what changed between what a watcher last saw of a task or a run and
 * what a snapshot now says, as upstream's event types. A task seen for the first time is created; its
 * status moving to in-progress, done or failed is started, completed, failed; a failed or running task
 * open again with its attempts counted is retried; a new evaluation is recorded; a new run is spawned,
 * and a run leaving `working` has completed.
 */

interface SeenTask {
  status: Task['status'];
  retry_count: number;
  evaluation: string | null;
}

export interface WatchState {
  tasks: Map<string, SeenTask>;
  agents: Map<string, Agent['state']>;
}

const seen = (task: Task): SeenTask => ({
  status: task.status,
  retry_count: task.retry_count,
  evaluation: task.evaluation ? task.evaluation.timestamp : null,
});

/** What the watcher knows at its start: everything as it is, no events for it. */
export function watchState(tasks: readonly Task[], agents: readonly Agent[]): WatchState {
  return { tasks: new Map(tasks.map((t) => [t.id, seen(t)])), agents: new Map(agents.map((a) => [a.id, a.state])) };
}

function taskEvents(task: Task, before: SeenTask | undefined, now: string): WatchEvent[] {
  const at = (time: string | null) => time ?? now;
  if (!before) {
    const created: WatchEvent = { type: 'task.created', timestamp: task.created_at, task_id: task.id, data: { title: task.title } };
    return [created, ...taskEvents(task, { status: 'open', retry_count: task.retry_count, evaluation: null }, now)];
  }
  const events: WatchEvent[] = [];
  if (task.status !== before.status) {
    if (task.status === 'in-progress') {
      events.push({ type: 'task.started', timestamp: at(task.started_at), task_id: task.id, data: { assigned: task.assigned } });
    } else if (task.status === 'done') {
      events.push({ type: 'task.completed', timestamp: at(task.completed_at), task_id: task.id, data: { title: task.title } });
    } else if (task.status === 'failed') {
      events.push({ type: 'task.failed', timestamp: at(task.completed_at), task_id: task.id, data: { reason: task.failure_reason } });
    } else if (
      (task.status === 'open' || task.status === 'incomplete') &&
      (before.status === 'failed' || before.status === 'in-progress' || task.retry_count > before.retry_count)
    ) {
      events.push({ type: 'task.retried', timestamp: now, task_id: task.id, data: { retry_count: task.retry_count } });
    }
  }
  const evaluation = task.evaluation;
  if (evaluation && evaluation.timestamp !== before.evaluation) {
    events.push({
      type: 'evaluation.recorded',
      timestamp: evaluation.timestamp,
      task_id: task.id,
      data: { score: evaluation.score, evaluator: evaluation.evaluator, source: evaluation.source ?? null },
    });
  }
  return events;
}

function agentEvents(agent: Agent, before: Agent['state'] | undefined): WatchEvent[] {
  const events: WatchEvent[] = [];
  if (before === undefined) {
    events.push({
      type: 'agent.spawned',
      timestamp: agent.started_at,
      task_id: agent.task_id,
      data: { agent_id: agent.id, executor: agent.executor, model: agent.model, purpose: agent.purpose },
    });
  }
  if (agent.state !== 'working' && (before === undefined || before === 'working')) {
    events.push({
      type: 'agent.completed',
      timestamp: agent.ended_at ?? agent.started_at,
      task_id: agent.task_id,
      data: { agent_id: agent.id, state: agent.state, exit_code: agent.exit_code, reason: agent.reason },
    });
  }
  return events;
}

/**
 * The events of a snapshot of what changed (tasks and runs), in order, and the state updated. `full`:
 * the snapshot holds every task (after a removal), so ones missing from it are forgotten.
 */
export function watchEvents(
  state: WatchState,
  changed: { tasks: readonly Task[]; agents: readonly Agent[]; full?: boolean },
  now: string,
): WatchEvent[] {
  const events: WatchEvent[] = [];
  for (const task of changed.tasks) {
    events.push(...taskEvents(task, state.tasks.get(task.id), now));
    state.tasks.set(task.id, seen(task));
  }
  for (const agent of changed.agents) {
    events.push(...agentEvents(agent, state.agents.get(agent.id)));
    state.agents.set(agent.id, agent.state);
  }
  if (changed.full) {
    const present = new Set(changed.tasks.map((t) => t.id));
    for (const id of [...state.tasks.keys()]) if (!present.has(id)) state.tasks.delete(id);
  }
  return events;
}
