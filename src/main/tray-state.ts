import type { ServiceStatus } from '../shared/service-types';

export type QuitBehavior = 'keep-agents' | 'stop-agents';

/** Everything the tray shows, gathered from the open project's host. */
export interface TrayState {
  /** Display name of the open project; null when none is open. */
  project: string | null;
  /** Whether the coordinator runs, and if so whether it spawns new agents. */
  service: 'stopped' | 'running' | 'paused';
  /** Agents working right now. */
  working: number;
  /** Tasks whose status is `failed`. */
  failedTasks: number;
  /** What Quit will do with working agents; null when no project is open. */
  quitBehavior: QuitBehavior | null;
}

export const NO_PROJECT: TrayState = { project: null, service: 'stopped', working: 0, failedTasks: 0, quitBehavior: null };

export function trayStateFrom(input: {
  project: string;
  status: Pick<ServiceStatus, 'running' | 'paused' | 'agents'>;
  failedTasks: number;
  quitBehavior: QuitBehavior;
}): TrayState {
  const { status } = input;
  return {
    project: input.project,
    service: !status.running ? 'stopped' : status.paused ? 'paused' : 'running',
    working: status.agents.working,
    failedTasks: input.failedTasks,
    quitBehavior: input.quitBehavior,
  };
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** One line for the tooltip and the menu: "myproject: running · 3 agents working · 1 failed". */
export function statusLine(state: TrayState): string {
  if (state.project === null) return 'No project open';
  const parts: string[] = [state.service];
  if (state.working > 0) parts.push(`${plural(state.working, 'agent', 'agents')} working`);
  if (state.failedTasks > 0) parts.push(`${plural(state.failedTasks, 'task', 'tasks')} failed`);
  return `${state.project}: ${parts.join(' · ')}`;
}
