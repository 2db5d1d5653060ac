import type { Agent } from '../../shared/agent';
import type { Task } from '../../shared/task';

/** The agent running (or that last ran) a task: the assigned one if known, else the newest for it. */
export function agentOfTask(task: Task, agents: ReadonlyMap<string, Agent>): Agent | null {
  if (task.assigned) {
    const assigned = agents.get(task.assigned);
    if (assigned) return assigned;
  }
  let newest: Agent | null = null;
  for (const agent of agents.values()) {
    if (agent.task_id === task.id && (!newest || agent.started_at > newest.started_at)) newest = agent;
  }
  return newest;
}

/** Index of the newest agent per task, built once per agents map for the whole graph. */
export function agentsByTask(agents: ReadonlyMap<string, Agent>): Map<string, Agent> {
  const index = new Map<string, Agent>();
  for (const agent of agents.values()) {
    const current = index.get(agent.task_id);
    if (!current || agent.started_at > current.started_at) index.set(agent.task_id, agent);
  }
  return index;
}
