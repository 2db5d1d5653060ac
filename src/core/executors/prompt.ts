import type { Message } from '../../shared/message';
import type { JsonValue, LogEntry, Task } from '../../shared/task';
import { isContextOverflow } from '../run-failures/api-failures';
import { quotedMessages } from '../messages/quoted-message';

/** Enough context to pick up the thread, without pasting whole histories into every prompt. */
const MAX_LOG_ENTRIES = 20;
const MAX_TEXT = 2000;

export interface PromptInput {
  task: Task;
  /** The tasks listed in `task.after`, as the coordinator read them. */
  dependencies: readonly Task[];
  /**
   * This app's `wg`, by its absolute path: agents run commands in shells that may reset PATH
   * (codex's `bash -lc` did), so every command the prompt shows names it in full. On an agent
   * daemon's machine it is the daemon's `wg`, which relays each command to this coordinator.
   */
  wgPath: string;
  /** The run's own git worktree: its branch and the base branch its work is merged onto on done. */
  worktree?: { branch: string; base: string | null } | null;
  /** The task's agent identity, rendered ("## Agent Identity": role, skills, desired outcome, tradeoffs). */
  identity?: string | null;
  /** Messages sent to the task before this run started (`wg msg send`), oldest first. */
  messages?: readonly Message[];
  /** The newest checkpoint an earlier run of the task saved (`wg checkpoint`), as upstream's spawn tells it. */
  earlierCheckpoint?: string | null;
  /**
   * The run gets this app's message hooks (a local Claude Code or codex run: core/messages/delivery-hooks.ts),
   * so new messages are handed to it after its tool calls; any other run must read them itself, and is told so.
   */
  messageHooks?: boolean;
}

/**
 * The prompt an agent starts with: the task, what its dependencies left behind, why the last
 * attempt stopped, and the required workflow (after upstream's "Required Workflow": log as you
 * go, validate before done, commit only your own files, try before failing, add follow-ups as
 * tasks, report through `wg` rather than the agent's own todo tools).
 */
export function buildPrompt({
  task,
  dependencies,
  wgPath,
  worktree = null,
  identity = null,
  messages = [],
  messageHooks = false,
  earlierCheckpoint = null,
}: PromptInput): string {
  const own = worktree ? worktreeSection(task.id, wgPath, worktree) : '';
  // The last attempt outgrew the model's context: this one starts a fresh session (settle.ts forgot the old
  // one) with a shorter prompt, what the tasks before left by name only, the log left out.
  const compact = isContextOverflow(lastReason(task));
  // Who the agent is comes first, as upstream places it: before the task it is to do.
  const sections = [
    identity ?? '',
    taskSection(task),
    verifySection(task),
    compact ? compactDependencySection(task.id, wgPath, dependencies) : dependencySection(dependencies),
    compact ? overflowAttemptSection(task) : previousAttemptSection(task),
    checkpointSection(task, earlierCheckpoint),
    evaluationSection(task),
    queuedMessagesSection(compact ? messages.slice(-COMPACT_MESSAGES) : messages),
    workflowSection(task.id, wgPath, messageHooks),
    own,
  ];
  return `${sections.filter((s) => s !== '').join('\n\n')}\n`;
}

function taskSection(task: Task): string {
  const lines = [`# Task ${task.id}: ${task.title}`];
  if (task.description.trim()) lines.push('', task.description.trim());
  if (task.tags.length > 0) lines.push('', `Tags: ${task.tags.join(', ')}`);
  return lines.join('\n');
}

/**
 * Upstream's `verify` (kept in extra from graph.jsonl): what must hold before the task is done, right after the
 * task as upstream's build_prompt places it, in its words ("## Verification Required"), at every context scope.
 */
function verifySection(task: Task): string {
  const verify = task.extra.verify;
  if (typeof verify !== 'string' || verify.trim() === '') return '';
  return `## Verification Required\n\nBefore marking done, you MUST verify:\n${clip(verify.trim())}`;
}

function dependencySection(dependencies: readonly Task[]): string {
  if (dependencies.length === 0) return '';
  const parts = ['## What the tasks before this one left', 'These tasks finished before yours; build on their work.'];
  for (const dep of dependencies) {
    parts.push('', `### ${dep.id}: ${dep.title} (${dep.status})`);
    if (dep.description.trim()) parts.push(clip(dep.description.trim()));
    for (const line of producedLines(dep)) parts.push(line);
  }
  return parts.join('\n');
}

function producedLines(task: Task): string[] {
  const lines: string[] = [];
  if (task.artifacts.length > 0) lines.push('Artifacts:', ...task.artifacts.map((a) => `- ${a}`));
  const results = Object.entries(task.results);
  if (results.length > 0) lines.push('Results:', ...results.map(([key, value]) => `- ${key}: ${clip(renderJson(value))}`));
  const log = workLog(task.log);
  if (log.length > 0) lines.push('Log:', ...logLines(log));
  return lines;
}

/**
 * The coordinator's own bookkeeping in a task's log (who was spawned, claims, refusals, "Task
 * created", artifacts already listed) says nothing about the work: left out of what agents read.
 */
const BOOKKEEPING = new RegExp(
  [
    /^(Spawned by |Task created$|Task marked done$|Claimed by |Claimed$|Claimed \(forced\)$|Unclaimed$|Refused |Artifact: |Artifact removed: |Agent \S+ killed; task unclaimed$|Task unclaimed: agent '\S+' was killed |Retry #\d+$|Paused$|Task paused$|Published$)/
      .source,
    // The agency's: assignment, the evaluation gate's steps (the evaluator's notes have their own section).
    /^(Lightweight assignment: |Assigned agent |Assignment started |Evaluation started |Evaluated: |Eval rescue |Task pending eval |PendingEval → |Agent identity cleared$)/
      .source,
  ].join('|'),
);

function workLog(log: readonly LogEntry[]): LogEntry[] {
  return log.filter((entry) => entry.actor !== 'coordinator' && !BOOKKEEPING.test(entry.message));
}

const RETRY_LINE = /^Retry #\d+$/;
const FAILED_LINE = /^Task failed: (.+)$/;

/**
 * Why the attempt before a `wg retry` stopped: the retry clears the task's failure_reason (as upstream's
 * does), so it is the last "Task failed: …" before the newest "Retry #N" in the log, if any.
 */
function reasonBeforeRetry(log: readonly LogEntry[]): string | null {
  let i = log.length - 1;
  while (i >= 0 && !RETRY_LINE.test(log[i]?.message ?? '')) i -= 1;
  for (i -= 1; i >= 0; i -= 1) {
    const failed = FAILED_LINE.exec(log[i]?.message ?? '');
    if (failed) return failed[1] ?? null;
  }
  return null;
}

/** Why the last attempt stopped: its failure, or, after a `wg retry` cleared it, the failure before the retry. */
function lastReason(task: Task): string | null {
  return task.failure_reason ?? reasonBeforeRetry(task.log);
}

/** On a retry the agent should know what the last attempt did and why it stopped. */
function previousAttemptSection(task: Task): string {
  const reason = lastReason(task);
  if (task.retry_count === 0 && reason === null) return '';
  const lines = [`## Earlier attempts (${task.retry_count} so far)`];
  if (reason) lines.push(`The last one stopped because: ${clip(reason)}`);
  if (task.artifacts.length > 0) lines.push('Artifacts recorded so far:', ...task.artifacts.map((a) => `- ${a}`));
  const log = workLog(task.log);
  if (log.length > 0) lines.push('Log so far:', ...logLines(log));
  lines.push('Start from what is already there, and do not repeat what made it fail.');
  return lines.join('\n');
}

/** In a prompt after a context overflow: the newest messages only. */
const COMPACT_MESSAGES = 5;

/** After a context overflow: the tasks before, by name and what they produced; `wg context` has the rest. */
function compactDependencySection(id: string, wgPath: string, dependencies: readonly Task[]): string {
  if (dependencies.length === 0) return '';
  const lines = ['## The tasks before this one', `Their descriptions, results and logs: \`${shellWord(wgPath)} context ${id}\`.`];
  for (const dep of dependencies) {
    lines.push(`- ${dep.id}: ${dep.title} (${dep.status})${dep.artifacts.length > 0 ? `; artifacts: ${dep.artifacts.join(', ')}` : ''}`);
  }
  return lines.join('\n');
}

/** The attempt before outgrew the model's context: what to do differently, without its log. */
function overflowAttemptSection(task: Task): string {
  const lines = [
    `## Earlier attempts (${task.retry_count} so far)`,
    `The last one stopped because: ${clip(lastReason(task) ?? '')}`,
    "Its conversation outgrew the model's context, so this is a fresh session with a shorter prompt. Work in smaller steps:",
    'read files in parts, keep command output short (pipe long output through `head` or `tail`), and log as you go.',
  ];
  if (task.artifacts.length > 0) lines.push('Artifacts recorded so far:', ...task.artifacts.map((a) => `- ${a}`));
  lines.push('Start from what is already there.');
  return lines.join('\n');
}

/**
 * Upstream's checkpoint (`build_task_context` of its spawn): a task released from `wg wait` carries its resume context
 * there (what it waited on, its own checkpoint, the newest messages), so the agent picks up the thread.
 */
function checkpointSection(task: Task, earlier: string | null): string {
  const kept = task.extra.checkpoint;
  // A task parked by `wg wait` carries its own resume context; else what an earlier run saved with `wg checkpoint`.
  const checkpoint = typeof kept === 'string' && kept.trim() !== '' ? kept : earlier;
  if (checkpoint === null || checkpoint.trim() === '') return '';
  const text = clip(checkpoint.trim());
  return text.startsWith('## ') ? text : `## Checkpoint\n${text}`;
}

/**
 * After a failing evaluation the task comes back to its agent (same identity) with what the
 * evaluator found: the score, its notes, and the weakest dimensions.
 */
function evaluationSection(task: Task): string {
  const evaluation = task.evaluation;
  if (task.rescue_count === 0 || !evaluation) return '';
  const weakest = Object.entries(evaluation.dimensions)
    .sort(([, a], [, b]) => a - b)
    .slice(0, 3)
    .map(([name, score]) => `${name.replace(/_/g, ' ')} ${score.toFixed(2)}`);
  const lines = [
    `## The evaluator sent the last attempt back (attempt ${task.rescue_count + 1})`,
    `It scored ${evaluation.score.toFixed(2)}, below the passing score, so the tasks after this one are still waiting.`,
  ];
  if (weakest.length > 0) lines.push(`Weakest: ${weakest.join(', ')}.`);
  lines.push("The evaluator's notes:", clip(evaluation.notes?.trim() || '(none given)'));
  if (task.artifacts.length > 0) lines.push('Artifacts recorded so far:', ...task.artifacts.map((a) => `- ${a}`));
  lines.push('Keep what is good, fix what the notes name, validate, and report done again.');
  return lines.join('\n');
}

/**
 * Upstream's "## Queued Messages" (upstream's `format_queued_messages`): the newest ones. Each is
 * quoted under who sent it (quoted-message.ts), where upstream's puts the body on the line as it
 * is: a body's own "## " line would otherwise open a section of this prompt.
 */
const MAX_QUEUED_MESSAGES = 20;

function queuedMessagesSection(messages: readonly Message[]): string {
  if (messages.length === 0) return '';
  const recent = messages.slice(-MAX_QUEUED_MESSAGES);
  const lines = [
    '## Queued Messages',
    '',
    'The following messages were sent to this task before you started, each quoted ("> " before every line) under who sent it:',
    '',
  ];
  if (recent.length < messages.length) lines.push(`(${messages.length - recent.length} earlier messages omitted)`, '');
  lines.push(quotedMessages(recent.map((m) => ({ ...m, body: clip(m.body) }))));
  return lines.join('\n');
}

/** A path as one shell word (it may hold spaces). */
function shellWord(path: string): string {
  return /^[\w@%+=:,./-]+$/.test(path) ? path : `'${path.replace(/'/g, `'\\''`)}'`;
}

/**
 * How messages reach the agent, truthfully for its run: handed over after its tool calls where the hooks
 * are; else, as upstream's MESSAGE_POLLING_SECTION says, read at natural breakpoints (and each `wg log`
 * prints new ones, as upstream's does). Only people send them: a run may message only its own task.
 */
function messagesStep(id: string, wg: string, hooks: boolean): string[] {
  const how = hooks
    ? [
        `6. Messages: people can message your task while you work. New ones are handed to you after your tool calls`,
        `   (as "New message on your task ${id}"); \`${wg} msg read ${id}\` shows any you have not seen. Act on each and`,
      ]
    : [
        `6. Messages: people can message your task while you work, with updated requirements or instructions. Check at`,
        `   natural breakpoints in your work: \`${wg} msg read ${id}\` (each \`${wg} log\` shows new ones too). Act on each and`,
      ];
  return [
    ...how,
    `   reply: \`${wg} msg send ${id} "what you will do about it"\`. Read once more before you finish, and reply to every one.`,
  ];
}

function workflowSection(id: string, wgPath: string, messageHooks: boolean): string {
  const wg = shellWord(wgPath);
  return [
    '## Required workflow',
    'You run unattended: nobody reads your chat. The task graph is the record, so report through `wg` only, not',
    `through your own todo or task tools. Use it by its full path, which works from any shell (it is also in $WG_BIN):`,
    `\`${wg}\`.`,
    `Before you start, see what the tasks before yours handed over: \`${wg} context ${id}\` (their artifacts and results).`,
    '',
    `1. Log progress as you go: \`${wg} log ${id} "what you did or found"\`.`,
    `2. Record each file you produced or changed that matters: \`${wg} artifact ${id} <path>\`.`,
    "3. Validate before you report done: run the project's build and tests (or check every requirement of the",
    `   description), fix what fails, and log the result: \`${wg} log ${id} "Validated: ..."\`.`,
    '4. In a git repository, commit only your own files (`git add <your files>`, never `git add -A`), with a',
    `   message that names ${id}.`,
    `5. Found more work (a bug, a follow-up, a missing piece)? Add it as a task rather than doing it here:`,
    `   \`${wg} add "Title" --after ${id} -d "what and why"\`.`,
    ...messagesStep(id, wg, messageHooks),
    `   Blocked until another task finishes, a person answers or a file appears? Park instead of polling:`,
    `   \`${wg} wait ${id} --until "task:OTHER=done" --checkpoint "where you are"\` (or \`human-input\`, \`message\`, \`timer:10m\`,`,
    '   `file:PATH`), then end your run: you are started again, with your checkpoint, once it holds.',
    '7. Finish with exactly one of:',
    `   - \`${wg} done ${id}\` when the work is complete and validated;`,
    `   - \`${wg} fail ${id} --reason "what you tried and what blocked you"\`, only after a real attempt at the work.`,
    '     Explaining why it is hard is not an attempt; a failed attempt with partial progress is worth more.',
    '',
    'WG_TASK_ID, WG_AGENT_ID, WG_RUN_ID and WG_DIR are set for you; `wg` reads them.',
  ].join('\n');
}

/** A run in its own worktree: why committing matters, and what a refused done means. */
function worktreeSection(id: string, wgPath: string, worktree: { branch: string; base: string | null }): string {
  const wg = shellWord(wgPath);
  const base = worktree.base ?? 'the base branch';
  return [
    '## Your worktree',
    `You work in your own git worktree, on branch \`${worktree.branch}\` made from \`${base}\`; other agents work in theirs.`,
    `Commit your work on this branch before you report done: \`${wg} done ${id}\` squash-merges your commits onto`,
    `\`${base}\`, and refuses while tracked files are modified but not committed. If it reports a merge conflict, merge`,
    `\`${base}\` into your branch (\`git merge ${base}\`), resolve the files it names, commit, and run \`${wg} done ${id}\` again.`,
    `When your work is evaluated, done only checks that it merges; the merge is made once the evaluation passes, and work`,
    'sent back for another attempt resumes in this worktree with your commits.',
    '',
    'Stay in this folder: it is already your own isolated worktree. Do not make another one (never use the `EnterWorktree`',
    'or `ExitWorktree` tools, nor `git worktree add`) and do not commit anywhere else: only commits on your branch are',
    'merged, and work left in another worktree is not. Commits an earlier attempt left on this branch are there to build on',
    `(\`git log --oneline${worktree.base ? ` ${worktree.base}..HEAD` : ''}\`, \`git status\`); they are not this attempt's work: finish the task and report it.`,
  ].join('\n');
}

function logLines(log: readonly LogEntry[]): string[] {
  const recent = log.slice(-MAX_LOG_ENTRIES);
  const skipped = log.length - recent.length;
  const lines = recent.map((entry) => `- [${entry.timestamp} ${entry.actor}] ${clip(entry.message)}`);
  return skipped > 0 ? [`- (${skipped} earlier entries omitted)`, ...lines] : lines;
}

function renderJson(value: JsonValue): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function clip(text: string): string {
  return text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT)}… (${text.length - MAX_TEXT} more characters)` : text;
}
