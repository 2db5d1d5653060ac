import type { Agent, RunPurpose } from '../../shared/agent';
import type { Task } from '../../shared/task';

/**
 * What each kind of run is called where runs are listed: the task's own work, or an internal run
 * about the task (the assigner choosing an identity, the evaluator scoring it, triage deciding
 * what a dead run leaves), which did not do the task's work.
 */
export const RUN_PURPOSE_LABELS: Record<RunPurpose, string> = {
  task: 'work',
  assign: 'assigner',
  evaluate: 'evaluator',
  triage: 'triage',
  chat: 'coordinator chat',
};

/**
 * The run that did (or does) the task's work: the assigned one if known, else the newest work run
 * for it. An evaluator's or assigner's run comes later but did not do the work, so its model is not
 * the task's; only a task with no work run at all falls back to its newest run of any kind.
 */
export function agentOfTask(task: Task, agents: ReadonlyMap<string, Agent>): Agent | null {
  if (task.assigned) {
    const assigned = agents.get(task.assigned);
    if (assigned && assigned.purpose === 'task') return assigned;
  }
  let work: Agent | null = null;
  let any: Agent | null = null;
  for (const agent of agents.values()) {
    if (agent.task_id !== task.id) continue;
    if (agent.purpose === 'task' && (!work || agent.started_at > work.started_at)) work = agent;
    if (!any || agent.started_at > any.started_at) any = agent;
  }
  return work ?? any;
}

/** Per task, the newest run that did its work, and an internal run working on it now (if any). */
export interface RunsByTask {
  work: Map<string, Agent>;
  helper: Map<string, Agent>;
}

/** Both indexes, built once per agents map for the whole graph. */
export function agentsByTask(agents: ReadonlyMap<string, Agent>): RunsByTask {
  const work = new Map<string, Agent>();
  const helper = new Map<string, Agent>();
  for (const agent of agents.values()) {
    const index = agent.purpose === 'task' ? work : agent.state === 'working' ? helper : null;
    if (!index) continue;
    const current = index.get(agent.task_id);
    if (!current || agent.started_at > current.started_at) index.set(agent.task_id, agent);
  }
  return { work, helper };
}
