import { z } from 'zod';
import { builtOnce } from '../../built-once';
import { givesOnly, inputFlag, op } from '../define';
import type { Agent, HeartbeatStatus, RunArchive } from '../../agent';
import type { Message } from '../../message';
import type { ResumeResult } from '../../insight';
import type { Listed } from '../../needs-you';
import type { AbandonResult, LogEntry, ReadyItem, Task, TaskDetail, TaskSummary } from '../../task';
import {
  numberText,
  agentId,
  cronExpression,
  jsonText,
  jsonValue,
  senderName,
  status,
  taskFields,
  priorityValue,
  taskId,
  taskTitle,
  oneLineText,
  timeoutText,
  filled,
} from '../schemas';

const byId = builtOnce(() => z.object({ id: taskId() }));

/**
 * The fields `wg edit --clear FIELD` takes back to nothing (the project's default applies again). Upstream's `wg edit`
 * has no way to clear them; the schedule has its own, upstream's `--cron ""`.
 */
const CLEARABLE_TASK_FIELDS = ['model', 'executor', 'exec', 'max-retries'] as const;

/** Upstream's failure classes (`wg fail --class`), as its wrapper sets them. */
const FAILURE_CLASSES = [
  'api-error-400-document',
  'api-error-429-rate-limit',
  'api-error-5xx-transient',
  'agent-hard-timeout',
  'agent-exit-nonzero',
  'wrapper-internal',
] as const;

/** A task just logged to; from inside an agent's run, with that agent's unread messages, now read (upstream's `wg log` hands them over). */
export type LoggedTask = Task & { new_messages?: Message[] };
/**
 * A command that found nothing to do (the task failed already, the edge there already or not there): upstream says
 * so in one line of its own on stdout, instead of the task's.
 */
export type NoChange = { unchanged?: true };
/** `wg edit`'s lines before "updated successfully": upstream's line for each change, and for each item that changed nothing. */
export type EditLines = { lines?: string[] };
/** The evaluation a done left the task waiting for (upstream's `.evaluate-X`, or null: this app's own evaluator). */
export type DoneNote = { awaiting?: string | null };
/** What `wg retry` says besides the task (upstream's words): the status it was reset from, and the run it ended. */
export type RetryNote = { retried_from?: string; ended_run?: { id: string; pid: number | null } | null };

/** `wg artifact ID` without a value (upstream's run_list): what the task should produce and what it has. */
export interface ArtifactList {
  task_id: string;
  title: string;
  deliverables: string[];
  artifacts: string[];
}

/** A task's log as `wg log ID --list` shows it, under the task's title (`--json` prints the entries alone, as upstream's). */
export interface TaskLog {
  id: string;
  title: string;
  log: LogEntry[];
}

/** Operations: tasks. */
export const taskOps = {
  'task:add': op({
    kind: 'mutation',
    scope: 'store',
    summary: 'Add a task',
    input: () =>
      z.object({
        // Upstream's words (its add's empty_title_rejected, whitespace_only_title_rejected).
        title: taskTitle('title cannot be empty'),
        id: taskId().optional().describe('task id (default: a slug of the first three words of the title)'),
        ...taskFields(),
        paused: z.boolean().optional().describe('create paused (not dispatched until published)'),
        worktree: filled().optional().describe('run its agent in this existing git worktree of the project'),
        cron: cronExpression()
          .optional()
          .describe("cron schedule expression (5 fields, or 6 with seconds first), in UTC as upstream's --cron; same as --schedule"),
        assign: oneLineText('a name').max(200).optional().describe('who it is for: the coordinator leaves it to them (they claim it)'),
        timeout: timeoutText().optional().describe('how long its agent may run (30s, 5m, 1h, 4h, 1d), before the project setting'),
        noPlace: z.boolean().optional().describe("dispatch it as soon as it is ready (here every task is; kept as upstream's unplaced)"),
        independent: z.boolean().optional().describe("[upstream's field, kept] not a follow-up of the task of the run adding it"),
        subtask: z
          .boolean()
          .optional()
          .describe("from an agent's run: its task waits (parked) until this new task is done or failed, then runs again"),
        validation: z.string().optional().describe('[deprecated, ignored] put criteria in a ## Validation section of -d'),
        validatorAgent: z.string().optional().describe('[deprecated, ignored]'),
        validatorModel: z.string().optional().describe('[deprecated, ignored]'),
      }),
    cli: {
      command: 'add',
      args: ['title'],
      flags: { tags: 'tag', inputs: 'input', deliverables: 'deliverable', skills: 'skill' },
      short: { description: 'd', tags: 't', priority: 'p' },
      aliases: { description: ['desc'], after: ['blocked-by'], noPlace: ['immediate', 'ready'], independent: ['no-after'] },
      whole: ['inputs', 'deliverables', 'skills'],
      // Upstream hides its removed validation flags from help and still takes them (test_cli_add_no_validation_flag);
      // its removed --verify is hidden too, and refused (test_legacy_verify_flag_is_rejected).
      hidden: ['validation', 'validatorAgent', 'validatorModel', 'verify'],
    },
  }).returns<Task>(),
  'task:edit': op({
    kind: 'mutation',
    scope: 'store',
    summary: 'Change a task',
    input: () =>
      z.object({
        id: taskId(),
        title: taskTitle('title is empty').optional().describe('a new title (the id stays)'),
        ...taskFields(),
        addAfter: z.array(taskId()).optional().describe('add dependencies (comma separated or repeated)'),
        removeAfter: z.array(taskId()).optional().describe('remove dependencies (comma separated or repeated)'),
        addTag: z.array(oneLineText('a tag')).optional().describe('add a tag (repeatable)'),
        removeTag: z.array(filled()).optional().describe('remove a tag (repeatable)'),
        addSkill: z.array(filled()).optional().describe('add a required skill (repeatable)'),
        removeSkill: z.array(filled()).optional().describe('remove a required skill (repeatable)'),
        cron: z
          .union([z.literal(''), cronExpression()])
          .optional()
          .describe('set the cron schedule (UTC, as upstream\'s --cron), or clear the schedule with ""'),
        clear: z
          .array(
            z.enum(CLEARABLE_TASK_FIELDS, {
              error: (issue) =>
                `--clear takes ${CLEARABLE_TASK_FIELDS.join(', ')}, not '${String(issue.input)}' (--cron "" clears the schedule)`,
            }),
          )
          .optional()
          .describe(`clear a field, so the default applies: ${CLEARABLE_TASK_FIELDS.join(', ')} (comma separated or repeated)`),
      }),
    cli: {
      command: 'edit',
      args: ['id'],
      flags: { tags: 'tag', inputs: 'input', deliverables: 'deliverable', skills: 'skill' },
      short: { description: 'd' },
      aliases: { addAfter: ['add-blocked-by'], removeAfter: ['remove-blocked-by'] },
      whole: ['inputs', 'deliverables', 'skills', 'addSkill', 'removeSkill'],
      // Upstream's removed --verify: hidden, and refused as its edit refuses it.
      hidden: ['verify'],
    },
  }).returns<Task & NoChange & EditLines>(),
  'task:addDep': op({
    kind: 'mutation',
    scope: 'store',
    summary: 'Make TASK depend on DEPENDENCY',
    input: () => z.object({ task: taskId(), dependency: taskId() }),
    cli: { command: 'add-dep', args: ['task', 'dependency'], alias: 'add-after' },
  }).returns<Task & NoChange>(),
  'task:rmDep': op({
    kind: 'mutation',
    scope: 'store',
    summary: 'Remove a dependency',
    input: () => z.object({ task: taskId(), dependency: taskId() }),
    cli: { command: 'rm-dep', args: ['task', 'dependency'] },
  }).returns<Task & NoChange>(),
  'task:show': op({
    kind: 'query',
    scope: 'store',
    summary: 'Show one task, with what it depends on and what requires it',
    input: () => byId(),
    cli: { command: 'show', args: ['id'] },
  }).returns<Listed<TaskDetail>>(),
  'task:list': op({
    kind: 'query',
    scope: 'store',
    summary: 'List tasks',
    input: () =>
      z.object({
        status: status().optional(),
        tag: z.array(filled()).optional().describe('only tasks with this tag (repeatable: all of them)'),
        paused: z.boolean().optional().describe('only paused tasks'),
        priority: priorityValue().optional().describe('only tasks of this priority (critical, high, normal, low, idle, or a number)'),
        all: z.boolean().optional().describe("include upstream's system tasks (.assign-…, .evaluate-…)"),
        cron: z.boolean().optional().describe('only tasks on a repeating schedule (cron, or "09:00")'),
        needsYou: z
          .boolean()
          .optional()
          .describe(
            'only tasks a person is to move on: a wait for your reply, an approval, your own task ready, an evaluation nothing runs, a failed task others wait on',
          ),
      }),
    cli: { command: 'list', whole: ['tag'] },
  }).returns<Listed<TaskSummary>[]>(),
  'task:ready': op({
    kind: 'query',
    scope: 'store',
    summary: 'Tasks ready to start, in dispatch order; then those waiting only on a future ready_after ("ready": false)',
    input: () => z.object({ all: z.boolean().optional().describe("include upstream's system tasks") }),
    cli: { command: 'ready' },
  }).returns<Listed<ReadyItem>[]>(),
  'task:claim': op({
    kind: 'mutation',
    scope: 'store',
    summary: 'Claim a ready task (sets it in progress), for an actor if named',
    input: () =>
      z.object({
        id: taskId(),
        agent: agentId().optional().describe('the agent taking it (none: claimed for nobody in particular)'),
        actor: agentId().optional().describe("the same as --agent (upstream's name)"),
        force: z.boolean().optional().describe('claim it even if it is not ready (blocked, paused, not due)'),
      }),
    cli: { command: 'claim', args: ['id'] },
  }).returns<Task>(),
  'task:unclaim': op({
    kind: 'mutation',
    scope: 'store',
    summary: 'Release a claimed task back to open',
    input: () => byId(),
    cli: { command: 'unclaim', args: ['id'] },
  }).returns<Task>(),
  'task:done': op({
    kind: 'mutation',
    scope: 'store',
    summary: 'Mark a task done',
    input: () =>
      z.object({
        id: taskId(),
        agent: agentId().optional().describe('the agent reporting completion'),
        artifacts: jsonText(z.union([z.array(z.string()), z.record(z.string(), jsonValue())]), 'artifacts')
          .optional()
          .describe('JSON: a list of artifact paths or an object of results'),
        ignoreUnmergedWorktree: z
          .boolean()
          .optional()
          .describe('done even if its worktree cannot be merged; adds a .merge-ID task to merge it later'),
      }),
    cli: { command: 'done', args: ['id'] },
  }).returns<Task & DoneNote>(),
  'task:fail': op({
    kind: 'mutation',
    scope: 'store',
    summary: 'Mark a task failed',
    input: () =>
      z.object({
        id: taskId(),
        reason: z.string().optional().describe('why it failed, kept as its failure reason'),
        class: z
          .enum(FAILURE_CLASSES)
          .optional()
          .describe('why, as a machine reads it (agent-exit-nonzero, with evaluation on, is scored for rescue first)'),
        evalReject: z.boolean().optional().describe('fail a done task: its evaluation rejected the work'),
      }),
    cli: { command: 'fail', args: ['id'] },
  }).returns<Task & NoChange>(),
  'task:log': op({
    kind: 'mutation',
    scope: 'store',
    summary: 'Append a log entry; with --list (or no message) list the entries instead',
    // Listing (or showing the task's runs) changes nothing: it reads a project that cannot be written too.
    readsOnlyWhen: (input) => inputFlag(input, 'list') || inputFlag(input, 'agent') || givesOnly(input, ['id', 'actor']),
    input: () =>
      z.object({
        id: taskId(),
        // Upstream's `wg log ID ""` adds an empty entry (its run_add does not look at the text).
        // At most what a message may hold: a log entry is kept whole and shown whole by wg show and wg log --list.
        message: z.string().max(100_000, 'a log entry is at most 100,000 characters long').optional(),
        actor: senderName().optional().describe('who the entry is from (default: the agent run, else user)'),
        list: z.boolean().optional().describe('list log entries instead of adding'),
        agent: z.boolean().optional().describe("show the task's runs: the prompt each was given and its output"),
      }),
    cli: { command: 'log', args: ['id', 'message'] },
  }).returns<LoggedTask | TaskLog | RunArchive[]>(),
  'task:artifact': op({
    kind: 'mutation',
    scope: 'store',
    summary: "Record an artifact (path or value); --remove takes one away; without a value, list the task's artifacts",
    input: () =>
      z.object({
        id: taskId(),
        value: filled('the artifact').optional(),
        remove: z.boolean().optional().describe('remove the artifact instead of adding it'),
      }),
    cli: { command: 'artifact', args: ['id', 'value'] },
    // already_registered: it was there, and nothing changed (upstream's no-op).
  }).returns<(Task & { already_registered?: true }) | ArtifactList>(),
  'task:pause': op({
    kind: 'mutation',
    scope: 'store',
    summary: 'Pause a task (not dispatched)',
    input: () => byId(),
    cli: { command: 'pause', args: ['id'] },
  }).returns<Task>(),
  'task:publish': op({
    kind: 'mutation',
    scope: 'store',
    summary: 'Publish (un-pause) a paused task and its paused downstream tasks, as upstream does, unless --only',
    input: () =>
      z.object({
        id: taskId(),
        only: z.boolean().optional().describe('only publish this single task (skip subgraph propagation)'),
        wcc: z
          .boolean()
          .optional()
          .describe("publish every task of the task's weakly connected component (its dependencies too), dependencies first"),
      }),
    cli: { command: 'publish', args: ['id'] },
  }).returns<ResumeResult>(),
  'task:retry': op({
    kind: 'mutation',
    scope: 'store',
    summary: 'Reopen a failed or abandoned task, or an in-progress one (its run ends; the attempt counts)',
    input: () =>
      z.object({
        id: taskId(),
        fresh: z.boolean().optional().describe('start from the base branch again, not in its kept worktree'),
        reason: z.string().optional().describe('why (kept in the log)'),
        preserveSession: z
          .boolean()
          .optional()
          .describe("keep the agent's session (and checkpoint): the next run continues it (default: a fresh one)"),
      }),
    cli: { command: 'retry', args: ['id'] },
  }).returns<Task & RetryNote>(),
  'task:abandon': op({
    kind: 'mutation',
    scope: 'store',
    summary: 'Abandon a task (satisfies dependents)',
    input: () =>
      z.object({
        id: taskId(),
        reason: z.string().optional().describe('why it is given up, kept on the task'),
        supersededBy: z.array(taskId()).optional().describe('the tasks that replace it (comma separated or repeated)'),
      }),
    cli: { command: 'abandon', args: ['id'] },
  }).returns<AbandonResult>(),
  'task:heartbeat': op({
    kind: 'mutation',
    scope: 'store',
    summary: 'Report that an agent run is alive (from inside a run, its own); without one (or with --check), which runs are stale',
    input: () =>
      z.object({
        agent: agentId().optional().describe('the agent run (agent-N; inside a run, its own by default); omit elsewhere to check them all'),
        check: z.boolean().optional().describe('check for stale runs: no heartbeat within the threshold'),
        threshold: numberText(z.number().int().min(0)).optional().describe('minutes without a heartbeat before a run is stale (default 5)'),
      }),
    cli: { command: 'heartbeat', args: ['agent'] },
  }).returns<Agent | HeartbeatStatus>(),
};
