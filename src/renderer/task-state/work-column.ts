import type { StateKind } from './task-state';

/**
 * Where a task stands for the person watching the work: the board's columns, left to right in
 * the order a person acts on them. What needs them comes first, then what runs now, then what
 * broke (and what it holds up), then what starts next, what will start by itself later, and last
 * what is finished. Every task state belongs to exactly one; the graph's counts and colours use the
 * same families (a task blocked by a failure is with the failures, never with what waits).
 */
export const WORK_COLUMNS = ['needs-you', 'running', 'failed', 'ready', 'waiting', 'done'] as const;
export type WorkColumn = (typeof WORK_COLUMNS)[number];

export const WORK_COLUMN_TITLES: Record<WorkColumn, string> = {
  'needs-you': 'Needs you',
  running: 'Running',
  failed: 'Failed',
  ready: 'Ready',
  waiting: 'Waiting',
  done: 'Done',
};

/** What each column holds, in words (its heading's tooltip). */
export const WORK_COLUMN_HINTS: Record<WorkColumn, string> = {
  'needs-you':
    "What only you move on: replies and approvals tasks wait for, evaluations nothing will run, tasks a person does, failures other tasks wait on, work to merge, agents' questions, and ready tasks the coordinator's machine cannot start until you act (an agent CLI to install)",
  running: 'Agents at work now, and finished work an evaluation is deciding on',
  failed: 'Failed tasks nothing waits on, then the tasks a failure holds up (blocked until someone retries, edits or abandons it)',
  ready: 'Tasks the coordinator starts next, top first: the order is their priority, then their age',
  waiting: 'Tasks that start by themselves later: after their dependencies, at their time, or once resumed',
  done: 'Finished and abandoned tasks, the latest first',
};

const COLUMN_OF: Record<StateKind, WorkColumn> = {
  'needs-you': 'needs-you',
  running: 'running',
  evaluating: 'running',
  failed: 'failed',
  blocked: 'failed',
  ready: 'ready',
  waiting: 'waiting',
  scheduled: 'waiting',
  paused: 'waiting',
  done: 'done',
  abandoned: 'done',
};

/** The column a task in this state belongs to. */
export const workColumn = (kind: StateKind): WorkColumn => COLUMN_OF[kind];

/** The states a column holds, in the order the board lists them within it. */
export function columnKinds(column: WorkColumn): StateKind[] {
  return (Object.keys(COLUMN_OF) as StateKind[]).filter((kind) => COLUMN_OF[kind] === column);
}
