import type { Agent } from '../../shared/agent';
import type { Task } from '../../shared/task';
import { tasksOfTable } from '../../shared/task-table';
import type { AgentSummary, TaskSummary } from '../notifications/notify-decision';
import type { ProjectHost } from './project-host';

export interface GraphChange {
  /** Null on the first refresh: there was nothing before. */
  prev: TaskSummary[] | null;
  next: TaskSummary[];
}

/**
 * Main's own view of the tasks and agents, for the tray, notifications and the All projects view:
 * fetches only what changed since the last revision seen (`graph:snapshot` with `since`) and keeps
 * the fields the rules need.
 */
export class GraphTracker {
  private readonly tasks = new Map<string, TaskSummary>();
  private readonly agents = new Map<string, AgentSummary>();
  private rev: number | null = null;

  constructor(private readonly host: Pick<ProjectHost, 'dispatch'>) {}

  async refresh(): Promise<GraphChange> {
    const prev = this.rev === null ? null : [...this.tasks.values()];
    const snapshot = await this.host.dispatch('graph:snapshot', this.rev === null ? {} : { since: this.rev }, 'app');
    // Every task, after one was removed: what is not here is gone.
    if (snapshot.full) {
      this.tasks.clear();
      this.agents.clear();
    }
    for (const task of tasksOfTable(snapshot.tasks)) this.tasks.set(task.id, summarize(task));
    for (const agent of snapshot.agents) this.agents.set(agent.id, agentSummary(agent));
    this.rev = snapshot.rev;
    return { prev, next: [...this.tasks.values()] };
  }

  failedCount(): number {
    let count = 0;
    for (const task of this.tasks.values()) if (task.status === 'failed') count++;
    return count;
  }

  taskList(): TaskSummary[] {
    return [...this.tasks.values()];
  }

  agentList(): AgentSummary[] {
    return [...this.agents.values()];
  }
}

function summarize(task: Task): TaskSummary {
  return {
    id: task.id,
    title: task.title,
    status: task.status,
    paused: task.paused,
    after: task.after,
    failure_reason: task.failure_reason,
    executor: task.executor,
    exec: task.exec,
    extra: task.extra,
    not_before: task.not_before,
    worktree_conflict: task.worktree?.state === 'conflict' ? task.worktree.conflict_files : [],
  };
}

function agentSummary(agent: Agent): AgentSummary {
  return { id: agent.id, task_id: agent.task_id, executor: agent.executor, state: agent.state };
}
