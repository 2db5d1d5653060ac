import { z } from 'zod';
import { builtOnce } from '../../built-once';
import { op } from '../define';
import type { ResumeResult } from '../../insight';
import type { Task } from '../../task';
import { agentId, numberText, priorityValue, taskId, timestampText } from '../schemas';

const reason = builtOnce(() => z.string().trim().min(1, 'the reason is empty'));

/** Hours as upstream's `wg reschedule --after` takes them: any finite number (a negative one is in the past), within a century. */
const hoursFromNow = builtOnce(() =>
  numberText(
    z
      .number({ message: 'hours must be a number, such as 24' })
      .finite('hours must be a finite number, such as 24')
      .min(-876_000, 'hours must be within a century of now')
      .max(876_000, 'hours must be within a century of now'),
  ),
);

/** Operations: upstream's task verbs beyond the basic ones. */
export const flowOps = {
  'task:reschedule': op({
    kind: 'mutation',
    scope: 'store',
    summary: "Reschedule a task: not started before --after HOURS from now or --at a time (upstream's not_before); neither clears it",
    input: () =>
      z
        .object({
          id: taskId(),
          after: hoursFromNow().optional().describe('hours from now until the task may start (e.g. 24 for tomorrow)'),
          at: timestampText().optional().describe('the time from which it may start (ISO 8601, e.g. 2026-01-20T10:00:00Z)'),
        })
        .refine((input) => input.after === undefined || input.at === undefined, { message: 'give either --after or --at, not both' }),
    cli: { command: 'reschedule', args: ['id'] },
  }).returns<Task>(),
  'task:reprioritize': op({
    kind: 'mutation',
    scope: 'store',
    summary: "Change a task's priority (critical, high, normal, low, idle, or a number)",
    input: () => z.object({ id: taskId(), priority: priorityValue() }),
    cli: { command: 'reprioritize', args: ['id', 'priority'] },
    // before and after: the level's name, or the number where it is none of them.
  }).returns<{ task: Task; before: string; after: string; changed: boolean }>(),
  'task:resume': op({
    kind: 'mutation',
    scope: 'store',
    summary: 'Resume a paused task (propagates to its paused downstream tasks unless --only)',
    input: () =>
      z.object({ id: taskId(), only: z.boolean().optional().describe('only resume this single task (skip subgraph propagation)') }),
    cli: { command: 'resume', args: ['id'] },
  }).returns<ResumeResult>(),
  'task:approve': op({
    kind: 'mutation',
    scope: 'store',
    summary: 'Approve a task pending validation or evaluation (transitions to done; a pending evaluation is settled as a pass)',
    input: () => z.object({ id: taskId() }),
    cli: { command: 'approve', args: ['id'] },
  }).returns<Task>(),
  'task:reject': op({
    kind: 'mutation',
    scope: 'store',
    summary: 'Reject a task pending validation (reopens with feedback, or fails after max rejections)',
    input: () => z.object({ id: taskId(), reason: reason().describe('reason for rejection') }),
    cli: { command: 'reject', args: ['id'] },
  }).returns<{ task: Task; rejections: number; max: number; failed: boolean }>(),
  'task:requeue': op({
    kind: 'mutation',
    scope: 'store',
    summary: 'Requeue an in-progress task for failed-dependency triage (resets to open)',
    input: () => z.object({ id: taskId(), reason: reason().describe('reason for requeue (what fix tasks were created)') }),
    cli: { command: 'requeue', args: ['id'] },
  }).returns<{ task: Task; attempt: number; max: number; reason: string }>(),
  'task:incomplete': op({
    kind: 'mutation',
    scope: 'store',
    summary: 'Mark a task as incomplete (retryable — needs another pass; fails once its retries are used up)',
    input: () => z.object({ id: taskId(), reason: z.string().optional().describe('reason the task is incomplete') }),
    cli: { command: 'incomplete', args: ['id'] },
    // already_incomplete: it was, and nothing changed (upstream's no-op); retry_limit: the attempts it fails at (0: never).
  }).returns<Task & { already_incomplete?: true; retry_limit?: number }>(),
  'task:wait': op({
    kind: 'mutation',
    scope: 'store',
    summary: 'Park an in-progress task in waiting until its condition holds (the coordinator starts it again then)',
    input: () =>
      z.object({
        id: taskId(),
        until: z
          .string()
          .trim()
          .min(1, 'the condition is empty')
          .describe(
            'condition: task:ID=STATUS, timer:DUR (30s, 5m, 2h, 1d), message, human-input, file:PATH; join with , (all) or | (any)',
          ),
        checkpoint: z.string().optional().describe('checkpoint summary of progress so far'),
      }),
    cli: { command: 'wait', args: ['id'] },
  }).returns<Task>(),
  'task:reclaim': op({
    kind: 'mutation',
    scope: 'store',
    summary: 'Reclaim a task from a dead/unresponsive agent',
    input: () =>
      z.object({
        id: taskId(),
        from: agentId().describe('the actor currently holding the task'),
        to: agentId().describe('the new actor to assign the task to'),
      }),
    cli: { command: 'reclaim', args: ['id'] },
  }).returns<Task>(),
};
