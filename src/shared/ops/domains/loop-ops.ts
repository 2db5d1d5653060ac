import { z } from 'zod';
import { op } from '../define';
import type { CheckpointResult, ExecResult, NextTaskResult } from '../../agent-loop';
import { CHECKPOINT_TYPES } from '../../agent-loop';
import type { Task } from '../../task';
import { EVENT_FILTERS, type WatchEvent } from '../../watch-events';
import { numberText, taskId, filled } from '../schemas';

/** An agent id that names a folder: letters, digits, `.`, `_` and `-` (never a path). */
const folderName = (what: string) =>
  z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, `${what} holds only letters, digits, ".", "_" and "-", and starts with a letter or digit`)
    .max(200);

const count = () => numberText(z.number().int().min(0));

/** Operations: the agent's loop and onboarding (upstream's `wg next`, `checkpoint`, `exec`, `quickstart`, `agent-guide`, `watch`). */
export const loopOps = {
  'task:next': op({
    kind: 'query',
    scope: 'store',
    summary: 'The best next task for an agent identity: ready tasks scored by its capabilities against their skills',
    input: () =>
      z.object({
        actor: z
          .string()
          .trim()
          .min(1, 'give the agent identity (--actor)')
          .describe('agent identity to find tasks for (id, prefix or name)'),
      }),
    cli: { command: 'next' },
  }).returns<NextTaskResult>(),
  'task:checkpoint': op({
    kind: 'mutation',
    scope: 'store',
    summary: 'Save a checkpoint of progress on a task (a retried task is told the latest one), or list an agent’s checkpoints',
    input: () =>
      z
        .object({
          task: taskId(),
          summary: z.string().trim().min(1, 'the summary is empty').optional().describe('summary of progress (~500 tokens)'),
          agent: folderName('an agent id').optional().describe('agent id (default: WG_AGENT_ID, else the task’s assignee)'),
          files: z.array(filled()).optional().describe('a file modified since the last checkpoint (repeatable)'),
          streamOffset: count().optional().describe('stream byte offset'),
          turnCount: count().optional().describe('conversation turn count'),
          tokenInput: count().optional().describe('input tokens used'),
          tokenOutput: count().optional().describe('output tokens used'),
          checkpointType: z.enum(CHECKPOINT_TYPES).default('explicit').describe('explicit (default) or auto'),
          list: z.boolean().optional().describe('list checkpoints instead of creating one'),
        })
        .refine((input) => input.list === true || input.summary !== undefined, {
          error: '--summary is required (or --list)',
          path: ['summary'],
        }),
    cli: { command: 'checkpoint', args: ['task'], flags: { files: 'file' }, short: { summary: 's', files: 'f' }, whole: ['files'] },
  }).returns<CheckpointResult>(),
  'task:exec': op({
    kind: 'mutation',
    scope: 'store',
    summary:
      "Work on a task yourself: an interactive Claude Code session with the agent's prompt and environment (or, with --shell, run its shell command: done on exit 0, failed otherwise); --set/--clear its command",
    input: () =>
      z.object({
        task: taskId(),
        actor: folderName('an actor').optional().describe('who is working on it'),
        dryRun: z.boolean().optional().describe('show the assembled prompt and environment (or the command), changing nothing'),
        set: filled().optional().describe('set the task’s shell command instead of running anything'),
        clear: z.boolean().optional().describe('clear the task’s shell command'),
        shell: z.boolean().optional().describe('run the task’s shell command (claim, run, then done or failed)'),
        worktree: z.boolean().optional().describe('work in an isolated git worktree, as agents do'),
        noWorktree: z.boolean().optional().describe('work in the project folder itself (the default)'),
        model: filled().optional().describe('model for the session (e.g. opus, sonnet)'),
      }),
  }).returns<ExecResult>(),
  'task:execEnd': op({
    kind: 'mutation',
    scope: 'store',
    summary: "Record in the task's log that an interactive `wg exec` session ended, with its exit code",
    input: () => z.object({ task: taskId(), exitCode: numberText(z.number().int()), actor: folderName('an actor').optional() }),
  }).returns<Task>(),
  'guide:quickstart': op({
    kind: 'query',
    scope: 'store',
    summary: "The cheat sheet: this app's commands and workflow, for people and agents",
    input: () => z.object({}),
  }).returns<{ text: string; sections: Record<string, unknown> }>(),
  'guide:agentGuide': op({
    kind: 'query',
    scope: 'store',
    summary: 'The contract every agent works by here: roles, the run’s workflow, worktrees, messages, how a run ends',
    input: () => z.object({}),
  }).returns<string>(),
  'graph:events': op({
    kind: 'query',
    scope: 'store',
    summary: "Recent graph and run events in upstream's `wg watch` shape, newest last (what `wg watch --replay N` prints first)",
    input: () =>
      z.object({
        limit: count().default(50),
        event: z.array(z.enum(EVENT_FILTERS)).optional(),
        task: filled().optional(),
      }),
  }).returns<WatchEvent[]>(),
};
