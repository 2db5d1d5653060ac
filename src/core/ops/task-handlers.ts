import { isSystemTaskId, type Task } from '../../shared/task';
import { invalid } from '../../shared/errors';
import { isUnmergedState } from '../../shared/worktree';
import { readExecutors, requireExecutor } from '../config/executors';
import { loadSettings } from '../config/settings';
import { profileFor } from '../deciding/executor-choice';
import type { ExecutorProfile, Settings } from '../../shared/config-types';
import { gateSettings } from '../store/agency/gate-rules';
import { settleEvaluation } from '../agency/evaluation/settle-evaluation';
import { gateCheck } from '../store/agency/gate-entry';
import { PERSON, type Reporter } from '../store/run-reports';
import { delayedTasks, findTaskState } from '../store/task-reads';
import { evaluationPending } from '../store/dependency-writes';
import { TaskFlow } from '../store/task-flow';
import type { TaskPatch } from '../store/task-writes';
import type { ListEdits } from '../store/task-commands';
import type { Store } from '../store/store';
import { editLines } from './edit-lines';
import { repeats } from '../graph/schedule';
import { stringListOf } from '../graph/analysis/task-index';
import type { ProjectPaths } from '../project';
import { readOneNeedsYou, withNeedsYou } from './needs-you-read';
import { opConfig } from './op-config';
import { inFlight } from '../store/in-flight';
import type { Handlers, OpContext } from './context';
import { refuseRemotePath } from './caller-machine';
import type { requireModelReach as modelReach } from './model-reach';
import type { OpParsed } from '../../shared/ops/registry';
import { DEFAULT_RETRY_BUDGET, retryBudget } from '../../shared/retry-budget';
import { evaluationHistory, taskEvaluations } from '../agency/evaluation-history';
import { heartbeatStatus } from '../runs/watching/heartbeat-status';
import {
  addedPriority,
  addOnlyExtra,
  doneValidation,
  extraChanges,
  PROVIDER_DEPRECATED,
  startTime,
  VALIDATION_DEPRECATED,
  VERIFY_REFUSED,
} from './upstream-task-fields';

/**
 * The project's retry budget (agent.max_retries); upstream's default when config.toml cannot be read (`wg config` names
 * it). Where a coordinator runs, its own configuration (opConfig): no read of a team's settings of its own.
 */
export async function projectRetryBudget(ctx: Pick<OpContext, 'paths' | 'config'>): Promise<number> {
  return (await opConfig(ctx)).settings?.agent.max_retries ?? DEFAULT_RETRY_BUDGET;
}

/** The task with its retry budget in effect, for the words every face says it in (shared/retry-budget.ts). */
function withRetryLimit<T extends Pick<Task, 'max_retries'>>(task: T, project: number): T & { retry_limit: number } {
  return { ...task, retry_limit: retryBudget(task.max_retries, project) };
}

/**
 * Whether a task runs on an agent daemon: its profile, as the coordinator picks it, is remote. Only
 * such a task can wait for one, so only for it does `wg show` ask the coordinator.
 */
function goesToDaemon(task: Pick<Task, 'executor' | 'exec'>, settings: Settings | null, profiles: ExecutorProfile[] | null): boolean {
  if (!settings || !profiles) return true;
  try {
    return profileFor(task, settings, profiles).type === 'remote';
  } catch {
    // A profile the coordinator cannot resolve either: it knows what the task waits for.
    return true;
  }
}

/**
 * Who a report is from: the agent run of the request (its run id proves it), the agent named with
 * `--agent` (checked against that run when the request comes from one), else a person.
 */
export function reporterOf(ctx: Pick<OpContext, 'agent'>, named?: string): Reporter {
  if (ctx.agent) return { kind: 'agent', agentId: named ?? ctx.agent.id, runId: ctx.agent.runId };
  return named ? { kind: 'agent', agentId: named, runId: null } : PERSON;
}

/**
 * Upstream's `wg edit` notes for list items that change nothing ("Not blocked by: x", "Already has tag: y"),
 * in its words and order, from the task as it was before the edit.
 */
function unchangedListItems(task: Task, lists: ListEdits): string[] {
  const skills = stringListOf(task, 'skills');
  const edits: Array<[items: readonly string[] | undefined, list: readonly string[], adds: boolean, words: string]> = [
    [lists.addAfter, task.after, true, 'Already blocked by'],
    [lists.removeAfter, task.after, false, 'Not blocked by'],
    [lists.addTag, task.tags, true, 'Already has tag'],
    [lists.removeTag, task.tags, false, 'Does not have tag'],
    [lists.addSkill, skills, true, 'Already has skill'],
    [lists.removeSkill, skills, false, 'Does not have skill'],
  ];
  return edits.flatMap(([items = [], list, adds, words]) =>
    items.filter((item) => list.includes(item) === adds).map((item) => `${words}: ${item}`),
  );
}

/** A line for each list an edit gave whole that lost an item: what it held, what it holds now, how to add instead. */
function replacedLists(before: Task, after: Task, given: { after: boolean; tags: boolean }): string[] {
  const lists: Array<[was: readonly string[], now: readonly string[], words: string, flag: string]> = [];
  if (given.after) lists.push([before.after, after.after, 'Dependencies', '--add-after']);
  if (given.tags) lists.push([before.tags, after.tags, 'Tags', '--add-tag']);
  const shown = (items: readonly string[]) => (items.length > 0 ? items.join(', ') : 'none');
  return lists.flatMap(([was, now, words, flag]) =>
    was.some((item) => !now.includes(item)) ? [`${words} replaced: ${shown(was)} → ${shown(now)} (to add one instead: ${flag})`] : [],
  );
}

/** A task's status, or null when there is no such task. */
const statusOf = async (store: Store, id: string): Promise<Task['status'] | null> => (await findTaskState(store.core, id))?.status ?? null;

/** Upstream's spawn circuit-breaker count kept on a task (`spawn_failures`), 0 when it has none. */
function spawnFailures(task: Task): number {
  const count = task.extra.spawn_failures;
  return typeof count === 'number' ? count : 0;
}

/** The unfinished assignment task of `id` (`.assign-X`, else the older `assign-X`) a new dependency abandons, if any. */
async function openAssignment(store: Store, id: string): Promise<string | null> {
  for (const assignId of [`.assign-${id}`, `assign-${id}`]) {
    const status = await statusOf(store, assignId);
    if (status === null) continue;
    return status === 'open' || status === 'in-progress' ? assignId : null;
  }
  return null;
}

type Clearable = NonNullable<OpParsed<'task:edit'>['clear']>[number];

/**
 * A task's model that looks like a typo of a registered one, said (not refused: it may be a model id). The model
 * registry is loaded here, when a task's model is given: `wg show`, `wg list`, `wg log` and `wg done` never read it.
 */
async function warnOfMistypedModel(paths: ProjectPaths, model: unknown, warn: ((line: string) => void) | undefined): Promise<void> {
  if (typeof model !== 'string') return;
  const { mistypedModelWarning } = await import('../config/mistyped-model');
  const line = await mistypedModelWarning(paths, model);
  if (line) warn?.(line);
}

/** model-reach.ts's check, loaded by the commands that set a model or an executor (add, edit) only. */
async function requireModelReach(...args: Parameters<typeof modelReach>): Promise<void> {
  await (await import('./model-reach')).requireModelReach(...args);
}

/** What `wg edit --clear FIELD` clears: the input's flag for the same field, and the task's field. */
const CLEARED: Record<Clearable, { flag: 'model' | 'executor' | 'exec' | 'maxRetries'; field: keyof Task }> = {
  model: { flag: 'model', field: 'model' },
  executor: { flag: 'executor', field: 'executor' },
  exec: { flag: 'exec', field: 'exec' },
  'max-retries': { flag: 'maxRetries', field: 'max_retries' },
};

/**
 * The patch of `--clear FIELD…`: each field named set to null, but only where the task has a value (clearing an
 * empty field changes nothing, so an edit of only such fields saves nothing, as upstream's `wg edit` without a change).
 * A field both given and cleared is refused: which one was meant cannot be known.
 */
function clearedFields(clear: readonly Clearable[] | undefined, given: Partial<Record<string, unknown>>, task: Task): TaskPatch {
  const patch: Record<string, null> = {};
  for (const name of new Set(clear)) {
    const { flag, field } = CLEARED[name];
    if (given[flag] !== undefined) throw invalid(`give either --${name} or --clear ${name}, not both`);
    if (task[field] !== null && task[field] !== undefined) patch[flag] = null;
  }
  return patch;
}

type TaskOps =
  | 'task:add'
  | 'task:edit'
  | 'task:addDep'
  | 'task:rmDep'
  | 'task:show'
  | 'task:list'
  | 'task:ready'
  | 'task:claim'
  | 'task:unclaim'
  | 'task:done'
  | 'task:fail'
  | 'task:log'
  | 'task:artifact'
  | 'task:pause'
  | 'task:publish'
  | 'task:retry'
  | 'task:abandon'
  | 'task:heartbeat'
  | 'eval:record'
  | 'eval:show';

/** Loaded only for a task that has a worktree (or asks for one): every agent runs `wg` often. */
const worktrees = () => import('../worktrees/task-worktree');
const mergeOnDone = () => import('../worktrees/merge-on-done');
const inspectWorktree = () => import('../worktrees/inspect');

export const taskHandlers: Handlers<TaskOps> = {
  'task:add': async (parsed, ctx) => {
    const { store, actor, paths } = ctx;
    // Upstream's add refuses its removed --verify before anything else (test_legacy_verify_flag_is_rejected).
    if (parsed.verify !== undefined) throw invalid(VERIFY_REFUSED);
    const { worktree, cron, assign, subtask, timeout, noPlace, independent, validation, validatorAgent, validatorModel, ...given } = parsed;
    const { skills, verify, provider, visibility, delay, notBefore, ...plain } = given;
    // Upstream's --cron is a repeating schedule: this app's --schedule with a cron expression.
    if (cron !== undefined && given.schedule !== undefined) throw invalid('give either --cron or --schedule, not both');
    const scheduled = cron === undefined ? plain : { ...plain, schedule: cron };
    const boosted = addedPriority(scheduled.priority, scheduled.tags);
    const input = boosted === undefined ? scheduled : { ...scheduled, priority: boosted };
    if (input.executor !== undefined) await requireExecutor(paths, input.executor);
    await warnOfMistypedModel(paths, input.model, ctx.warn);
    await requireModelReach(paths, input.executor, input.model);
    // Upstream's subtask: the run's own task waits for it, so it needs a run, and its task in progress.
    const parent = subtask ? await subtaskParent(ctx) : null;
    const start = startTime(parsed, store.core.clock());
    if (provider !== undefined) ctx.warn?.(PROVIDER_DEPRECATED);
    if (validation !== undefined || validatorAgent !== undefined || validatorModel !== undefined) ctx.warn?.(VALIDATION_DEPRECATED);
    const extra = { ...extraChanges(parsed), ...addOnlyExtra({ timeout, noPlace, independent, subtask, exec: input.exec }) };
    // A worktree is a folder on the coordinator's machine: one a person on another machine names is not theirs to name.
    if (worktree !== undefined) refuseRemotePath(ctx, `--worktree ${worktree}`);
    const record = worktree ? await (await worktrees()).personWorktree({ store, paths }, worktree) : undefined;
    const task = await store.tasks.add({ ...input, assigned: assign, notBefore: start, extra }, actor, record);
    if (parent === null) return task;
    const [{ parkTask }, { subtaskParkedLine }] = await Promise.all([import('../waiting/wait-writes'), import('../waiting/subtask-line')]);
    const until = `task:${task.id}=done|task:${task.id}=failed`;
    await parkTask(store.core, { id: parent, until }, actor, reporterOf(ctx), paths.root, subtaskParkedLine(task.id));
    return store.get(task.id);
  },
  'task:edit': async ({ id, addAfter, removeAfter, addTag, removeTag, addSkill, removeSkill, cron, clear, ...given }, ctx) => {
    const { store, paths, actor } = ctx;
    // As upstream's edit: its removed --verify is refused, and nothing of the edit is made.
    if (given.verify !== undefined) throw invalid(VERIFY_REFUSED);
    const lists = { addAfter, removeAfter, addTag, removeTag, addSkill, removeSkill };
    const current = await store.get(id);
    const cleared = clearedFields(clear, given, current);
    const unchanged = unchangedListItems(current, lists);
    const listItems = Object.values(lists).reduce((count, items) => count + (items?.length ?? 0), 0);
    // Upstream's `wg edit` saves nothing when no flag changes anything (an item already in a list, or not in
    // it to remove, changes nothing): no new revision, no graph.jsonl written.
    if (
      cron === undefined &&
      Object.values(given).every((v) => v === undefined) &&
      Object.keys(cleared).length === 0 &&
      unchanged.length === listItems
    ) {
      // Said on stdout, then "No changes made" instead of "updated successfully", as upstream's run says it.
      return { ...current, unchanged: true as const, lines: editLines(current, null, { ...given, ...lists }, null) };
    }
    const { skills, verify, provider, visibility, delay, notBefore, ...plain } = given;
    // Upstream's --cron sets the schedule; an empty one clears it (`wg edit`), and with it the time it waits for.
    if (cron !== undefined && given.schedule !== undefined) throw invalid('give either --cron or --schedule, not both');
    const start = startTime({ ...given, cron }, store.core.clock());
    if (provider !== undefined) ctx.warn?.(PROVIDER_DEPRECATED);
    const patch: TaskPatch = {
      ...(cron === undefined ? plain : { ...plain, schedule: cron === '' ? null : cron }),
      ...cleared,
      ...(start === undefined ? {} : { notBefore: start }),
      // Upstream's edit resets its spawn circuit breaker on any change (the cause may be what was just fixed).
      extra: { ...extraChanges(given), ...(spawnFailures(current) > 0 ? { spawn_failures: null } : {}) },
    };
    if (typeof patch.executor === 'string') await requireExecutor(paths, patch.executor);
    await warnOfMistypedModel(paths, patch.model, ctx.warn);
    if (patch.model !== undefined || patch.executor !== undefined) {
      await requireModelReach(
        paths,
        patch.executor === undefined ? current.executor : patch.executor,
        patch.model === undefined ? current.model : patch.model,
      );
    }
    const assignment = await openAssignment(store, id);
    const task = await store.tasks.edit(id, patch, lists, actor);
    const abandoned = assignment !== null && (await statusOf(store, assignment)) === 'abandoned' ? assignment : null;
    // `--after` and `--tag` give the whole list (upstream's `wg edit` has only --add-after and --add-tag): one who meant
    // to add one is told what was dropped, since a task whose dependency is dropped may start at once.
    for (const note of replacedLists(current, task, { after: given.after !== undefined, tags: given.tags !== undefined })) ctx.warn?.(note);
    // Upstream's line for each change and each item that changed nothing, before "updated successfully" (on stdout).
    return { ...task, lines: editLines(current, task, { ...given, ...lists, cron }, abandoned) };
  },
  // An edge already there (added) or not there (removed) changes nothing, and upstream says so: no error, but a
  // mistyped id is worth a line.
  'task:addDep': async ({ task, dependency }, { store }) => {
    const there = (await store.get(task)).after.includes(dependency);
    return { ...(await store.tasks.addDependency(task, dependency)), ...(there ? { unchanged: true as const } : {}) };
  },
  'task:rmDep': async ({ task, dependency }, { store }) => {
    const there = (await store.get(task)).after.includes(dependency);
    return { ...(await store.tasks.removeDependency(task, dependency)), ...(there ? {} : { unchanged: true as const }) };
  },
  'task:show': async ({ id }, ctx) => {
    const { store, paths, service } = ctx;
    // The settings and the person's part in the task are asked for before the task is read, and travel with its read
    // (an API read is one round trip to PostgreSQL): it was four, the settings read three times after the task.
    const config = inFlight(opConfig(ctx));
    const needsYouOf = inFlight(readOneNeedsYou(store, id, config));
    const read = await store.detail(id);
    const { settings, profiles } = await config;
    // A ready task the coordinator cannot hand to any connected agent daemon: its reason, as the window shows it.
    const remote = read.ready && !read.paused && goesToDaemon(read, settings, profiles) ? await remoteWaiting(id, service, paths) : null;
    const needs = (await needsYouOf)(read);
    const detail = {
      ...withRetryLimit(read, settings?.agent.max_retries ?? DEFAULT_RETRY_BUDGET),
      ...(remote ? { hold: remote } : {}),
      ...(needs ? { needs_you: needs } : {}),
    };
    if (!detail.worktree) return detail;
    // The state git shows now (dirty, recoverable…), as the Worktrees page says it, not the record's "active".
    const status = await (await inspectWorktree()).worktreeStatus({ store, paths }, detail.worktree.id).catch(() => undefined);
    return status ? { ...detail, worktree: { ...detail.worktree, status } } : detail;
  },
  'task:list': async ({ all, cron, needsYou, ...filter }, ctx) => {
    const { store } = ctx;
    // Read with the tasks (one round trip fewer to PostgreSQL).
    const config = inFlight(opConfig(ctx));
    const tasks = await store.summaries({ ...filter, system: all === true });
    // Upstream's --cron: the tasks on a repeating schedule.
    const marked = await withNeedsYou(store, config, cron ? tasks.filter((t) => t.schedule !== null && repeats(t.schedule)) : tasks);
    const listed = needsYou ? marked.filter((t) => t.needs_you !== undefined) : marked;
    // The budget only where retries were counted: `wg list` says them beside those tasks.
    if (!listed.some((t) => t.retry_count > 0)) return listed;
    const project = (await config).settings?.agent.max_retries ?? DEFAULT_RETRY_BUDGET;
    return listed.map((t) => (t.retry_count > 0 ? withRetryLimit(t, project) : t));
  },
  'task:ready': async ({ all }, ctx) => {
    const { store } = ctx;
    const shown = (task: Task) => all === true || !isSystemTaskId(task.id);
    const config = inFlight(opConfig(ctx));
    const delayed = await delayedTasks(store.core, store.core.clock());
    // A ready task a person does (a manual executor) says so: the coordinator starts no agent on it.
    return withNeedsYou(store, config, [
      ...(await store.ready()).filter(shown).map((task) => ({ ...task, ready: true })),
      ...delayed.filter(shown).map((task) => ({ ...task, ready: false })),
    ]);
  },
  'task:claim': async ({ id, agent, actor: named, force }, { store, actor, person }) => {
    if (agent !== undefined && named !== undefined && agent !== named) throw invalid('give either --agent or --actor, not both');
    // A person's token claims for that person (who else holds it is what the team reads on the task).
    return store.tasks.claim(id, agent ?? named ?? person?.name, actor, force === true);
  },
  'task:unclaim': ({ id }, { store, actor }) => store.tasks.unclaim(id, actor),
  'task:done': async ({ id, agent, artifacts, ignoreUnmergedWorktree }, ctx) => {
    const { store, paths, actor } = ctx;
    const reporter = reporterOf(ctx, agent);
    // Asked for side by side (one round trip on PostgreSQL, where each was one of its own, on a run's path to its end):
    // the task, what holds its done back, whether upstream's `.evaluate-X` is still to score it, and for an agent's done
    // the settings its gate goes by.
    const read = inFlight(store.get(id));
    const unblocked = inFlight(store.tasks.requireUnblocked(id));
    const pending = inFlight(evaluationPending(store.core, id));
    const gateConfig = reporter.kind === 'agent' ? inFlight(doneGateConfig(ctx)) : null;
    const task = await read;
    const open = task.status !== 'done' && task.status !== 'abandoned';
    // Refused before any merge, as upstream refuses a done its dependencies still hold back.
    if (open) await unblocked;
    // Upstream's validation modes come before its evaluation gate: a task awaiting a validator is not scored first.
    const validation = open ? doneValidation(task) : null;
    // An agent's done waits for the evaluation gate, when it covers the task; a person's is final,
    // unless upstream's `.evaluate-X` is still to score it (pick_done_target_status).
    // Decided once, here: whether the worktree is merged now or only once the score passes hangs on it.
    const evaluated =
      validation === null &&
      ((reporter.kind === 'agent' &&
        gateConfig !== null &&
        (await (async () => {
          const { settings, profiles } = await gateConfig;
          return gateCheck(settings, profiles)(store.core, id, reporter.agentId, await pending);
        })())) ||
        (await pending));
    // The ownership rule first (a refused report is refused and noted by done() itself), then the
    // agent's worktree is merged (or, when evaluated, checked to merge): a done that cannot merge is
    // refused and changes nothing.
    const merges =
      needsMerge(task) &&
      task.status !== 'done' &&
      task.status !== 'abandoned' &&
      (await store.tasks.precheck(id, reporter, 'done')) === null;
    const worktree = merges
      ? await (await mergeOnDone()).worktreeForDone(
          { store, paths },
          task,
          reporter.kind === 'agent' ? reporter.agentId : null,
          ignoreUnmergedWorktree ?? false,
          actor,
          evaluated,
        )
      : null;
    const done = await store.tasks.done(
      id,
      { agent, artifacts, worktree, gate: evaluated ? async () => true : undefined, validation: validation ?? undefined },
      actor,
      reporter,
    );
    if (done.status !== 'pending-eval') return done;
    // Upstream names the `.evaluate-X` it waits for; none is there when this app's own evaluator scores it.
    const evaluation = `.evaluate-${id}`;
    return { ...done, awaiting: (await statusOf(store, evaluation)) === null ? null : evaluation };
  },
  'task:fail': async ({ id, reason, class: failureClass, evalReject }, ctx) => {
    // Upstream's rescue path: an agent's nonzero exit, with auto_evaluate on, is scored before it counts as failed (not a shell task's).
    // Asked for with the task's read (opConfig reads nothing of its own where a coordinator runs).
    const config = opConfig(ctx);
    const task = failureClass === 'agent-exit-nonzero' && !evalReject ? await ctx.store.get(id) : null;
    const settings = (await config).settings;
    const rescue = task !== null && task.exec === null && settings?.agency.auto_evaluate === true;
    const already = (task ?? (await ctx.store.get(id))).status === 'failed';
    const failed = await ctx.store.tasks.fail(id, reason, ctx.actor, reporterOf(ctx), { failureClass, evalReject, rescue });
    // Failed already, nothing changes (the new reason included): said in upstream's words, not left to look as if it took.
    return {
      ...withRetryLimit(failed, settings?.agent.max_retries ?? DEFAULT_RETRY_BUDGET),
      ...(already ? { unchanged: true as const } : {}),
    };
  },
  // Upstream lists the entries with --list, or when no message is given.
  'task:log': async ({ id, message, actor: given, list, agent }, ctx) => {
    if (agent) return (await import('../run-folder/run-archive')).runArchives(ctx.store, ctx.paths.runsDir, id);
    if (list || message === undefined) {
      const { title, log } = await ctx.store.get(id);
      return { id, title, log };
    }
    if (!ctx.agent) return ctx.store.tasks.log(id, message, given ?? ctx.actor, reporterOf(ctx));
    // Upstream's `run_add` of `wg log`: logging from an agent's run (WG_AGENT_ID) also hands it its unread messages,
    // so an agent on any executor hears of a message at its next progress note. Whether there are any is asked with the
    // log's own reads (messageLook); only when there are does a look of their own follow.
    const messages = await import('./message-handlers');
    const { look, found } = await messages.messageLook(ctx, id, ctx.agent.id);
    const task = await ctx.store.tasks.log(id, message, given ?? ctx.actor, reporterOf(ctx), look);
    const any = await found();
    if (any === false) return task;
    const unread = await messages.readMessages(ctx, id, ctx.agent.id, any === true);
    return unread.length > 0 ? { ...task, new_messages: unread } : task;
  },
  'task:artifact': async ({ id, value, remove }, ctx) => {
    if (value === undefined) {
      const task = await ctx.store.get(id);
      if (remove) throw invalid('--remove needs the artifact to remove');
      return { task_id: id, title: task.title, deliverables: stringListOf(task, 'deliverables'), artifacts: task.artifacts };
    }
    if (remove) return ctx.store.tasks.removeArtifact(id, value, ctx.actor, reporterOf(ctx));
    // Whether it was there already is the report's own finding: no read of the task before it (a round trip on PostgreSQL).
    const { task, already } = await ctx.store.tasks.artifact(id, value, ctx.actor, reporterOf(ctx));
    return already ? { ...task, already_registered: true as const } : task;
  },
  'task:pause': ({ id }, { store, actor }) => store.tasks.setPaused(id, true, actor),
  'task:publish': async ({ id, only, wcc }, { store, actor }) => {
    if (only && wcc) throw invalid('give either --only or --wcc, not both');
    return new TaskFlow(store.core).publish(id, only === true, actor, wcc === true);
  },
  // With upstream's report: the status it came from, and for an in-progress one the run that was ended (or none).
  'task:retry': async (input, ctx) => {
    const from = (await ctx.store.get(input.id)).status;
    const run = from === 'in-progress' ? (await ctx.store.agents.list({ working: true })).find((a) => a.task_id === input.id) : undefined;
    const task = withRetryLimit(await retryTask(input, ctx), await projectRetryBudget(ctx));
    return { ...task, retried_from: from, ended_run: run ? { id: run.id, pid: run.pid } : null };
  },
  'task:abandon': async ({ id, reason, supersededBy }, { store, actor }) => {
    // Upstream takes names of tasks not made yet (a task decomposed into ones to come), but never the task itself.
    if (supersededBy?.includes(id)) throw invalid(`task '${id}' cannot be superseded by itself`);
    return store.tasks.abandonWithCascade(id, reason, actor, supersededBy);
  },
  // Without a run named, from inside a run its own (its tool calls carry WG_AGENT_ID); elsewhere upstream's check of all.
  'task:heartbeat': async ({ agent, check, threshold }, { store, agent: from }) => {
    const target = check ? undefined : (agent ?? from?.id);
    return target !== undefined
      ? store.agents.heartbeat(target, from?.id === target ? from.runId : null)
      : heartbeatStatus(await store.agents.list({ working: true, dead: true }), threshold ?? 5, store.core.clock());
  },
  // A score by hand settles a pending evaluation exactly as an evaluator's would.
  'eval:record': async ({ id, task, score, dim, evaluator, source, notes }, { store, actor, paths }) =>
    settleEvaluation(
      { store, paths },
      (id ?? task) as string,
      { score, dimensions: dim ?? {}, notes: notes ?? null, evaluator: evaluator ?? source ?? actor, source: source ?? 'manual' },
      actor,
      gateSettings((await loadSettings(paths)).settings),
    ),
  // Upstream's history: one task's evaluations (TASK), or all of them, filtered.
  'eval:show': async ({ id, ...filter }, { store }) =>
    id === undefined
      ? evaluationHistory(await store.evaluations.all(), filter)
      : { task_id: id, evaluations: taskEvaluations(await store.evaluations.all(), id) },
};

/**
 * The task `wg add --subtask` parks: the one the request's run works on (upstream reads WG_TASK_ID), in progress.
 * Checked before the new task is made, so a refusal changes nothing.
 */
async function subtaskParent({ agent, store }: OpContext): Promise<string> {
  const run = agent ? await store.agents.find(agent.id) : undefined;
  if (!agent || agent.runId === null || !run) {
    throw invalid(
      "--subtask is for an agent's run (WG_TASK_ID names its task, which waits for the new one): run it from the agent's environment",
    );
  }
  const status = (await store.get(run.task_id)).status;
  if (status !== 'in-progress') {
    throw invalid(`Cannot set subtask wait on parent '${run.task_id}': status is '${status}', expected 'in-progress'`);
  }
  return run.task_id;
}

/** `wg retry` (upstream's), `--fresh` setting the task's worktree aside first. */
async function retryTask({ id, fresh, reason, preserveSession }: OpParsed<'task:retry'>, ctx: OpContext): Promise<Task> {
  const { store, actor, paths } = ctx;
  const keep = preserveSession === true;
  if (!fresh) return store.tasks.retry(id, actor, reason, keep);
  await store.tasks.requireRetryable(id);
  // An in-progress task's run works in that worktree: the retry ends it and sets the worktree aside in one commit (a
  // coordinator that claims the task again on that commit starts it afresh), then the worktree is put away.
  if ((await store.get(id)).status === 'in-progress') {
    const { setAsideTaskWorktree, finishRetiring } = await worktrees();
    const setAside = await store.core.batch(async () => {
      await store.tasks.retry(id, actor, reason, keep);
      return setAsideTaskWorktree({ store, paths }, id);
    });
    if (setAside) await finishRetiring({ store, paths }, setAside, actor);
    return store.get(id);
  }
  await (await worktrees()).retireTaskWorktree({ store, paths }, id, actor);
  return store.tasks.retry(id, actor, reason, keep);
}

/** A task whose agent's worktree has work that a done must merge. */
function needsMerge(task: Task): boolean {
  const worktree = task.worktree;
  return worktree !== null && worktree.owner === 'agent' && isUnmergedState(worktree.state);
}

/**
 * Why the coordinator holds a ready task back from the agent daemons (agentd:status, the
 * dispatcher's one source): asked in this process when the coordinator runs here, else of the
 * running daemon; null when none runs or the task is not waiting for one.
 */
async function remoteWaiting(id: string, service: OpContext['service'], paths: ProjectPaths): Promise<string | null> {
  if (service) return (await service.agentDaemonsStatus?.())?.waiting.find((waiting) => waiting.task_id === id)?.reason ?? null;
  const { callCoordinatorOp } = await import('../connecting/coordinator-client');
  const status = await callCoordinatorOp(paths, 'agentd:status', {}).catch(() => null);
  return status?.waiting.find((waiting) => waiting.task_id === id)?.reason ?? null;
}

/**
 * The settings an agent's done goes through the evaluation gate by: the coordinator's own where one serves the request
 * (opConfig reads nothing then), else the project's files (and a team's store), a broken one refusing the done.
 */
async function doneGateConfig(
  ctx: Pick<OpContext, 'paths' | 'config'>,
): Promise<{ settings: Settings; profiles: readonly ExecutorProfile[] }> {
  const served = ctx.config ? await opConfig(ctx) : null;
  if (served?.settings && served.profiles) return { settings: served.settings, profiles: served.profiles };
  const [loaded, profiles] = await Promise.all([loadSettings(ctx.paths), readExecutors(ctx.paths)]);
  return { settings: loaded.settings, profiles };
}
