import type { AgentBrief, ProjectService, ProjectSummary, TaskBrief } from '../../shared/projects';
import { SATISFYING_STATUSES } from '../../shared/task';
import type { AgentSummary, TaskSummary } from '../notifications/notify-decision';

export interface SummaryInput {
  folder: string;
  name: string;
  current: boolean;
  service: ProjectService;
  tasks: readonly TaskSummary[];
  agents: readonly AgentSummary[];
  /** Executor profiles of type manual (people do those tasks). */
  manualExecutors: ReadonlySet<string>;
}

/**
 * What the All projects view and the tray say about one project: agents at work, failed tasks, and
 * tasks waiting for a person: ready tasks a person does (a manual executor), and worktrees whose merge
 * conflicted with no agent working on them.
 */
export function summarizeProject(input: SummaryInput): ProjectSummary {
  const byId = new Map(input.tasks.map((t) => [t.id, t]));
  const ready = (task: TaskSummary) =>
    task.status === 'open' && !task.paused && task.after.every((dep) => SATISFYING_STATUSES.includes(byId.get(dep)?.status ?? 'open'));
  const working: AgentBrief[] = input.agents
    .filter((a) => a.state === 'working')
    .map((a) => ({ id: a.id, task_id: a.task_id, task_title: byId.get(a.task_id)?.title ?? a.task_id, executor: a.executor }));
  const failed: TaskBrief[] = input.tasks
    .filter((t) => t.status === 'failed')
    .map((t) => ({ id: t.id, title: t.title, note: t.failure_reason }));
  const waiting: TaskBrief[] = [];
  for (const task of input.tasks) {
    if (task.worktree_conflict.length > 0 && task.status !== 'in-progress' && task.status !== 'done') {
      waiting.push({ id: task.id, title: task.title, note: `merge conflict in ${task.worktree_conflict.join(', ')}` });
    } else if (ready(task) && task.executor !== null && input.manualExecutors.has(task.executor)) {
      waiting.push({ id: task.id, title: task.title, note: 'done by hand' });
    }
  }
  return { folder: input.folder, name: input.name, current: input.current, service: input.service, working, failed, waiting };
}

export interface Totals {
  projects: number;
  working: number;
  failed: number;
  waiting: number;
}

export function totals(projects: readonly Pick<ProjectSummary, 'working' | 'failed' | 'waiting'>[]): Totals {
  let working = 0;
  let failed = 0;
  let waiting = 0;
  for (const p of projects) {
    working += p.working.length;
    failed += p.failed.length;
    waiting += p.waiting.length;
  }
  return { projects: projects.length, working, failed, waiting };
}
