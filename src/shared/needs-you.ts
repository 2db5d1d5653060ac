import { AWAITING_EVALUATION, awaitsMerge, type TaskSummary } from './task';
import { readWaitSpec } from './wait-condition';

/*
 * "Needs you": the states only a person can move on, said once for every face (the first view, the Board's Needs you
 * column, the chips, the tray, desktop notifications, `wg status`, `wg list --needs-you`, the agent daemons' view).
 * Each kind says in plain words what the person is to do, and which command or button does it.
 */

export const NEEDS_YOU_KINDS = ['reply', 'approve', 'do', 'evaluate', 'unblock', 'merge'] as const;
export type NeedsYouKind = (typeof NEEDS_YOU_KINDS)[number];

export interface NeedsYou {
  kind: NeedsYouKind;
  /** A card's line: what the task waits for ("waits for your reply"). */
  label: string;
  /** What the person is to do, as a sentence with the command that does it. */
  todo: string;
}

/** What a task alone does not say: how the project is set up and what the rest of the graph does. */
export interface NeedsYouFacts {
  /** Whether this open task may start now: its dependencies let it go, it is not paused, and it is due. */
  ready(task: TaskSummary): boolean;
  /** Whether a person does this task (its executor is manual, or it names none and the default is). */
  manual(task: TaskSummary): boolean;
  /**
   * Whether something will evaluate this task pending evaluation by itself: the coordinator's evaluation gate
   * (`[agency] auto_evaluate`), or upstream's `.evaluate-X` for it, not ended.
   */
  evaluated(task: TaskSummary): boolean;
  /** How many unfinished tasks wait on this one (directly). */
  waitingOn(task: TaskSummary): number;
}

/** The person's part in this task now, or null when it is not theirs to move. */
export function needsYou(task: TaskSummary, facts: NeedsYouFacts): NeedsYou | null {
  const id = task.id;
  // `.merge-X` (X marked done without its merge): only a person merges it, whatever its own status says.
  if (awaitsMerge(task))
    return { kind: 'merge', label: 'done; not merged', todo: `merge its work, then finish it (\`wg show ${id}\` says how)` };
  switch (task.status) {
    case 'waiting':
      return waitsForPerson(task)
        ? { kind: 'reply', label: 'waits for your reply', todo: `reply to it: \`wg msg send ${id} "…"\` releases the wait` }
        : null;
    case 'pending-validation':
      return {
        kind: 'approve',
        label: 'awaits your approval',
        todo: `approve its work (\`wg approve ${id}\`) or reject it with what to change (\`wg reject ${id} --reason "…"\`)`,
      };
    case 'pending-eval':
    case 'failed-pending-eval':
      return facts.evaluated(task)
        ? null
        : {
            kind: 'evaluate',
            label: 'no evaluation will run',
            todo: `nothing here evaluates it: evaluate it (\`wg evaluate run ${id}\`), record a score (\`wg evaluate record --task ${id} --score 0.9\`) or skip the evaluation (\`wg approve ${id}\`)`,
          };
    case 'failed': {
      const held = facts.waitingOn(task);
      if (held === 0) return null;
      return {
        kind: 'unblock',
        label: `failed; ${held} ${held === 1 ? 'task waits' : 'tasks wait'} on it`,
        todo: `retry it (\`wg retry ${id}\`) or abandon it (\`wg abandon ${id}\`) so what waits on it can go on`,
      };
    }
    case 'open':
    case 'incomplete':
      return facts.manual(task) && facts.ready(task)
        ? { kind: 'do', label: 'yours to do', todo: `do it, then mark it done (\`wg done ${id}\`)` }
        : null;
    default:
      return null;
  }
}

/** Parked by `wg wait --until human-input` (alone or beside other conditions): a person's message releases it. */
export function waitsForPerson(task: Pick<TaskSummary, 'status' | 'extra'>): boolean {
  if (task.status !== 'waiting') return false;
  return readWaitSpec(task.extra)?.conditions.some((c) => c.type === 'human-input') === true;
}

/** Whether this status waits for an evaluation (the gate's or a rescue's). */
export const awaitsEvaluation = (task: Pick<TaskSummary, 'status'>): boolean => AWAITING_EVALUATION.includes(task.status);
