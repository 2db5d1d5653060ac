import type { AgentBrief, ProjectService, ProjectSummary, TaskBrief } from '../../shared/projects';
import type { ConfigEntry, ExecutorProfile } from '../../shared/config-types';
import { needsYouFacts, needsYouSetup, readyNow, tasksNeedingYou, type NeedsYou, type NeedsYouSetup } from '../../shared/needs-you';
import type { AgentSummary, TaskSummary } from '../notifications/notify-decision';

export interface SummaryInput {
  folder: string;
  name: string;
  current: boolean;
  service: ProjectService;
  tasks: readonly TaskSummary[];
  agents: readonly AgentSummary[];
  /** Who does which executor's work, and whether evaluations run (needs-you.ts). */
  setup: NeedsYouSetup;
  now: number;
}

/** needs-you.ts's setup from `config:list` and `executor:list` (a value not found: its default). */
export function needsYouSetupFrom(
  entries: readonly ConfigEntry[],
  profiles: readonly Pick<ExecutorProfile, 'name' | 'type'>[],
): NeedsYouSetup {
  const value = (key: string) => entries.find((entry) => entry.key === key)?.value;
  const executor = value('coordinator.executor');
  return needsYouSetup(
    {
      coordinator: { executor: typeof executor === 'string' ? executor : 'claude' },
      agency: { auto_evaluate: value('agency.auto_evaluate') === true },
    },
    profiles,
  );
}

/** Before config.toml was read: nothing counts as a stuck evaluation (a false alarm in the tray is worse than a late one). */
export const UNREAD_SETUP: NeedsYouSetup = needsYouSetup({ coordinator: { executor: 'claude' }, agency: { auto_evaluate: true } }, []);

/** Each task a person is to move on (needs-you.ts), by id, in the graph's order. */
export function needingYou(tasks: readonly TaskSummary[], setup: NeedsYouSetup, now: number): Map<string, NeedsYou> {
  const facts = needsYouFacts(tasks, readyNow(tasks, now), setup);
  return new Map(tasksNeedingYou(tasks, facts).map(({ task, needs }) => [task.id, needs]));
}

/**
 * What the All projects view and the tray say about one project: agents at work, failed tasks, and what only a
 * person can move on (needs-you.ts, the window's notion), with worktrees whose merge conflicted with no agent on them.
 */
export function summarizeProject(input: SummaryInput): ProjectSummary {
  const byId = new Map(input.tasks.map((t) => [t.id, t]));
  const working: AgentBrief[] = input.agents
    .filter((a) => a.state === 'working')
    .map((a) => ({ id: a.id, task_id: a.task_id, task_title: byId.get(a.task_id)?.title ?? a.task_id, executor: a.executor }));
  const failed: TaskBrief[] = input.tasks
    .filter((t) => t.status === 'failed')
    .map((t) => ({ id: t.id, title: t.title, note: t.failure_reason }));
  const needing = needingYou(input.tasks, input.setup, input.now);
  const waiting: TaskBrief[] = [];
  for (const task of input.tasks) {
    const needs = needing.get(task.id);
    if (needs !== undefined) waiting.push({ id: task.id, title: task.title, note: needs.label });
    else if (task.worktree_conflict.length > 0 && task.status !== 'in-progress' && task.status !== 'done') {
      waiting.push({ id: task.id, title: task.title, note: `merge conflict in ${task.worktree_conflict.join(', ')}` });
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
