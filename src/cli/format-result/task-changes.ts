import { isSystemTaskId, runsAsAgentTask, type Task } from '../../shared/task';
import { retriesText } from '../../shared/retry-budget';
import { assignText } from '../agency-format';
import { abandonText, approveText, incompleteText, publishText, reclaimText, rejectText, requeueText, resumeText } from '../insight-format';
import { checkpointText, execText, nextText } from '../loop-format';
import { insertText, recoverText, replayText, rescueText, resetText } from '../surgery-format';
import type { Formatters } from './formatters';

/** A task changed: one line (or a few) naming what happened, mostly in upstream's words. */

export const taskChangeFormatters: Formatters = {
  'task:assign': assignText,
  'task:resume': resumeText,
  // Upstream's words for `wg reschedule` and `wg reprioritize`.
  'task:reschedule': (task) =>
    task.not_before
      ? `Rescheduled '${task.id}' - not ready until ${task.not_before}`
      : `Cleared not_before for '${task.id}' - task is now ready`,
  'task:reprioritize': ({ task, before, after, changed }) =>
    changed ? `Reprioritized '${task.id}': ${before} -> ${after}` : `Task '${task.id}' already has priority '${after}'`,
  'task:abandon': (result, _term, input) => abandonText(result, typeof input.reason === 'string' ? input.reason : undefined),
  'task:publish': (result, _term, input) => publishText(result, input.only === true, input.wcc === true),
  'task:approve': approveText,
  'task:reject': rejectText,
  'task:requeue': requeueText,
  'task:reclaim': (task, _term, input) => reclaimText(task, String(input.from)),
  // Upstream's words for wg pause and wg unclaim (its pause and unclaim run functions).
  'task:pause': (task) => `Paused '${task.id}'`,
  'task:unclaim': (task) => `Unclaimed '${task.id}'`,
  // Upstream's words: "Claimed 'X' for 'A'", or "Claimed 'X'" without an actor.
  'task:add': (task, _term, input) => addedText(task, input),
  'task:claim': (task, _term, input) => {
    const actor = input.agent ?? input.actor;
    return typeof actor === 'string' ? `Claimed '${task.id}' for '${actor}'` : `Claimed '${task.id}'`;
  },
  // Upstream's words for wg done, fail, retry and edit (its run functions of each), then the retries as every
  // command here says them (shared/retry-budget.ts).
  // Upstream's words for a done left waiting for its evaluation (this app's own evaluator has no task to name).
  'task:done': (task) =>
    task.awaiting === undefined
      ? `Marked '${task.id}' as ${task.status}`
      : `Marked '${task.id}' as ${task.status} — awaiting ${task.awaiting === null ? 'its evaluation' : `\`${task.awaiting}\``} to score before downstream tasks unblock`,
  'task:fail': (task, _term, input) =>
    task.unchanged
      ? `Task '${task.id}' is already failed (retry_count: ${task.retry_count})`
      : withRetries(
          task,
          `Marked '${task.id}' as ${task.status}${typeof input.reason === 'string' ? ` (${input.reason})` : ''} (retry #${task.retry_count})`,
        ),
  // Upstream's edit: a line for each change (and each list item that changed nothing), then "\nTask 'X' updated
  // successfully", or those notes and "No changes made to task 'X'". This app's own flags have no line of their own.
  'task:edit': (task) => {
    const lines = task.lines ?? [];
    if (task.unchanged) return [...lines, `No changes made to task '${task.id}'`].join('\n');
    return [...lines, ...(lines.length > 0 ? [''] : []), `Task '${task.id}' updated successfully`].join('\n');
  },
  // Upstream's words for wg add-dep and wg rm-dep (its run_link and run_unlink).
  'task:addDep': (task, _term, input) =>
    task.unchanged
      ? `'${task.id}' already depends on '${String(input.dependency)}' — no change`
      : `Linked: '${task.id}' now depends on '${String(input.dependency)}'`,
  'task:rmDep': (task, _term, input) =>
    task.unchanged
      ? `'${task.id}' does not depend on '${String(input.dependency)}' — no change`
      : `Unlinked: '${task.id}' no longer depends on '${String(input.dependency)}'`,
  // Upstream's retry: "from failed" (or incomplete, here abandoned too); an in-progress one counts its attempt now and
  // names the agent it killed.
  'task:retry': (task) => {
    if (task.retried_from !== 'in-progress') {
      return withRetries(
        task,
        `Reset '${task.id}' from ${task.retried_from ?? 'failed'} to ${task.status} for retry (attempt #${task.retry_count + 1})`,
      );
    }
    const run = task.ended_run;
    const ended = run
      ? `killed agent ${run.id}${run.pid === null || run.pid === undefined ? '' : ` (PID ${run.pid})`}`
      : 'no live agent to kill';
    return withRetries(task, `Reset '${task.id}' from in-progress to ${task.status} (attempt #${task.retry_count}); ${ended}`);
  },
  'task:incomplete': (task, _term, input) => incompleteText(task, typeof input.reason === 'string' ? input.reason : undefined),
  // Upstream's `wg wait` prints these two lines: the agent is told to exit; the coordinator starts the task again.
  'task:wait': (task, _term, input) =>
    `Parked task '${task.id}'. Condition: ${String(input.until)}\nCheckpoint saved. You should now exit cleanly.`,
  'task:insert': (task, _term, input) => insertText(task, input),
  'task:rescue': (task, _term, input) => rescueText(task, input),
  'task:reset': resetText,
  'task:recover': recoverText,
  'task:replay': replayText,
  'task:next': nextText,
  'task:checkpoint': checkpointText,
  'task:exec': execText,
};

/**
 * `wg add`, in upstream's words: its scripts read the new id from "Added task: TITLE (ID)" (upstream's
 * smoke scenarios grep `^Added task:`), and a paused task says how to publish it.
 */
function addedText(task: Task, input: Readonly<Record<string, unknown>>): string {
  // A subtask: its parent, the task of the run that asked (WG_TASK_ID, as the handler checked), now waits for it,
  // and the run should end (upstream's words).
  const parent = input.subtask === true ? process.env.WG_TASK_ID : undefined;
  if (parent !== undefined) {
    return [
      `Added subtask: ${task.title} (${task.id})`,
      `  Parent '${parent}' is now waiting for subtask to complete.`,
      '  You should now exit cleanly. The coordinator will re-spawn you when the subtask finishes.',
    ].join('\n');
  }
  const lines = task.paused
    ? [`Added task (draft): ${task.title} (${task.id})`, `  Task is paused (draft mode). When ready, run: wg publish ${task.id}`]
    : [`Added task: ${task.title} (${task.id})`];
  if (input.id === undefined) lines.push(`  Use --after ${task.id} to depend on this task`);
  // Upstream's rule for an id with a leading dot (its is_system_task); said here, as a person may not know it.
  if (isSystemTaskId(task.id) && !runsAsAgentTask(task.id)) {
    lines.push(
      `  An id starting with "." makes a system task: hidden from wg list (see it with wg list --all), and no agent starts it by itself (wg spawn ${task.id} does)`,
    );
  }
  return lines.join('\n');
}

/** `wg fail` and `wg retry`: the task's line, then its retries as every command says them (shared/retry-budget.ts). */
function withRetries(task: Task, line: string): string {
  return task.retry_limit === undefined ? line : `${line}\n  Retries: ${retriesText(task.retry_count, task.retry_limit)}`;
}
