import type { TaskBrief } from '../../shared/projects';
import type { ServiceStatus } from '../../shared/service-types';

export type QuitBehavior = 'keep-agents' | 'stop-agents';

/** Everything the tray shows about one open project, gathered from its host. */
export interface TrayState {
  /** Display name of the project; null when none is open. */
  project: string | null;
  /** Its folder (what a per-project Pause or Resume names); null when none is open. */
  folder: string | null;
  /** Whether the coordinator runs, and if so whether it spawns new agents. */
  service: 'stopped' | 'running' | 'paused';
  /** Agents working right now. */
  working: number;
  /** Tasks whose status is `failed`. */
  failedTasks: number;
  /** Tasks only a person can move on (shared/needs-you.ts, and conflicted merges: projects/project-summary.ts). */
  waiting: number;
  /** The first few of them, with what each waits for ("awaits your approval"), for the menu. */
  needsYou: readonly TaskBrief[];
  /** What Quit will do with working agents; null when no project is open. */
  quitBehavior: QuitBehavior | null;
}

export const NO_PROJECT: TrayState = {
  project: null,
  folder: null,
  service: 'stopped',
  working: 0,
  failedTasks: 0,
  waiting: 0,
  needsYou: [],
  quitBehavior: null,
};

export function trayStateFrom(input: {
  project: string;
  folder: string;
  status: Pick<ServiceStatus, 'running' | 'paused' | 'agents'>;
  failedTasks: number;
  waiting: readonly TaskBrief[];
  quitBehavior: QuitBehavior;
}): TrayState {
  const { status } = input;
  return {
    project: input.project,
    folder: input.folder,
    service: !status.running ? 'stopped' : status.paused ? 'paused' : 'running',
    working: status.agents.working,
    failedTasks: input.failedTasks,
    waiting: input.waiting.length,
    needsYou: input.waiting.slice(0, MENU_TASKS + 1),
    quitBehavior: input.quitBehavior,
  };
}

/** The tasks the tray's menu names (one more is kept, to know there are more). */
export const MENU_TASKS = 5;

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

function counts(working: number, failed: number, waiting: number): string[] {
  const parts: string[] = [];
  if (working > 0) parts.push(`${plural(working, 'agent', 'agents')} working`);
  if (failed > 0) parts.push(`${plural(failed, 'task', 'tasks')} failed`);
  if (waiting > 0) parts.push(`${plural(waiting, 'task needs', 'tasks need')} you`);
  return parts;
}

/** One line for the tooltip and the menu: "myproject: running · 3 agents working · 1 task failed". */
export function statusLine(state: TrayState): string {
  if (state.project === null) return 'No project open';
  return `${state.project}: ${[state.service, ...counts(state.working, state.failedTasks, state.waiting)].join(' · ')}`;
}

/** Several projects: "3 projects · 4 agents working · 1 task failed"; one project: its status line. */
export function overviewLine(states: readonly TrayState[]): string {
  const open = states.filter((s) => s.project !== null);
  if (open.length <= 1) return statusLine(open[0] ?? NO_PROJECT);
  const sum = (pick: (s: TrayState) => number) => open.reduce((total, s) => total + pick(s), 0);
  return [
    plural(open.length, 'project', 'projects'),
    ...counts(
      sum((s) => s.working),
      sum((s) => s.failedTasks),
      sum((s) => s.waiting),
    ),
  ].join(' · ');
}
