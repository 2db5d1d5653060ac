/** The desktop app's open projects, side by side (seed 001's cross-project view). */

export interface TaskBrief {
  id: string;
  title: string;
  /** Why it is listed: a failure reason, "manual task", "merge conflict in a.ts". */
  note: string | null;
}

export interface AgentBrief {
  id: string;
  task_id: string;
  task_title: string;
  executor: string;
}

export type ProjectService = 'running' | 'paused' | 'stopped';

export interface ProjectSummary {
  folder: string;
  name: string;
  /** The project the window shows. */
  current: boolean;
  service: ProjectService;
  working: AgentBrief[];
  failed: TaskBrief[];
  /** Tasks only a person can move on: ready manual tasks, merges that conflicted. */
  waiting: TaskBrief[];
}

export interface ProjectsOverview {
  projects: ProjectSummary[];
}
