import { isSystemTaskId, type Task } from '../../shared/task';
import { invalid } from '../../shared/errors';
import { isUnmergedState } from '../../shared/worktree';
import { readExecutors, requireExecutor } from '../config/executors';
import { loadSettings } from '../config/settings';
import { profileFor } from '../deciding/executor-choice';
import type { Settings } from '../../shared/config-types';
import { gateSettings } from '../agency/evaluation/gate-rules';
import { settleEvaluation } from '../agency/evaluation/settle-evaluation';
import { gateCheck } from '../agency/evaluation/gate-entry';
import { PERSON, type Reporter } from '../store/run-reports';
import { delayedTasks } from '../store/task-reads';
import { evaluationPending } from '../store/dependency-writes';
import { TaskFlow } from '../store/task-flow';
import type { TaskPatch } from '../store/task-writes';
import { repeats } from '../graph/schedule';
import { stringListOf } from '../graph/analysis/task-index';
import type { ProjectPaths } from '../project';
import type { Handlers, OpContext } from './context';
import type { OpParsed } from '../../shared/ops/registry';
import { DEFAULT_RETRY_BUDGET, retryBudget } from '../../shared/retry-budget';

/** The project's settings, or null when its config cannot be read (show still shows the task). */
function settingsOrNull(paths: ProjectPaths): Settings | null {
  try {
    return loadSettings(paths).settings;
  } catch {
    return null;
  }
}

/** The project's retry budget (agent.max_retries); upstream's default when config.toml cannot be read (`wg config` names it). */
export function projectRetryBudget(paths: ProjectPaths): number {
  return settingsOrNull(paths)?.agent.max_retries ?? DEFAULT_RETRY_BUDGET;
}

/** The task with its retry budget in effect, for the words every face says it in (shared/retry-budget.ts). */
function withRetryLimit<T extends Pick<Task, 'max_retries'>>(task: T, project: number): T & { retry_limit: number } {
  return { ...task, retry_limit: retryBudget(task.max_retries, project) };
}

/**
 * Whether a task runs on an agent daemon: its profile, as the coordinator picks it, is remote. Only
 * such a task can wait for one, so only for it does `wg show` ask the coordinator (about 10 ms of CPU).
 */
function goesToDaemon(task: Pick<Task, 'executor' | 'exec'>, settings: Settings | null, paths: ProjectPaths): boolean {
  if (!settings) return true;
  try {
    return profileFor(task, settings, readExecutors(paths)).type === 'remote';
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
  'task:add': async ({ worktree, cron, immediate: _immediate, ready: _ready, ...given }, { store, actor, paths }) => {
    // Upstream's --cron is a repeating schedule: this app's --schedule with a cron expression.
    if (cron !== undefined && given.schedule !== undefined) throw invalid('give either --cron or --schedule, not both');
    const input = cron === undefined ? given : { ...given, schedule: cron };
    if (input.executor !== undefined) requireExecutor(paths, input.executor);
    const record = worktree ? await (await worktrees()).personWorktree({ store, paths }, worktree) : undefined;
    return store.tasks.add(input, actor, record);
  },
  'task:edit': ({ id, addAfter, removeAfter, addTag, removeTag, cron, ...given }, { store, paths, actor }) => {
    // Upstream's --cron sets the schedule; an empty one clears it (`wg edit`), and with it the time it waits for.
    if (cron !== undefined && given.schedule !== undefined) throw invalid('give either --cron or --schedule, not both');
    const patch: TaskPatch = cron === undefined ? given : { ...given, schedule: cron === '' ? null : cron };
    if (patch.executor !== undefined) requireExecutor(paths, patch.executor);
    return store.tasks.edit(id, patch, { addAfter, removeAfter, addTag, removeTag }, actor);
  },
  'task:addDep': ({ task, dependency }, { store }) => store.tasks.addDependency(task, dependency),
  'task:rmDep': ({ task, dependency }, { store }) => store.tasks.removeDependency(task, dependency),
  'task:show': async ({ id }, { store, paths, service }) => {
    const read = store.detail(id);
    const settings = settingsOrNull(paths);
    // A ready task the coordinator cannot hand to any connected agent daemon: its reason, as the window shows it.
    const remote = read.ready && !read.paused && goesToDaemon(read, settings, paths) ? await remoteWaiting(id, service, paths) : null;
    const detail = { ...withRetryLimit(read, settings?.agent.max_retries ?? DEFAULT_RETRY_BUDGET), ...(remote ? { hold: remote } : {}) };
    if (!detail.worktree) return detail;
    // The state git shows now (dirty, recoverable…), as the Worktrees page says it, not the record's "active".
    const status = await (await inspectWorktree()).worktreeStatus({ store, paths }, detail.worktree.id).catch(() => undefined);
    return status ? { ...detail, worktree: { ...detail.worktree, status } } : detail;
  },
  'task:list': ({ all, cron, ...filter }, { store, paths }) => {
    const tasks = store.summaries({ ...filter, system: all === true });
    // Upstream's --cron: the tasks on a repeating schedule.
    const listed = cron ? tasks.filter((t) => t.schedule !== null && repeats(t.schedule)) : tasks;
    // The budget only where retries were counted: `wg list` says them beside those tasks.
    if (!listed.some((t) => t.retry_count > 0)) return listed;
    const project = projectRetryBudget(paths);
    return listed.map((t) => (t.retry_count > 0 ? withRetryLimit(t, project) : t));
  },
  'task:ready': ({ all }, { store }) => {
    const shown = (task: Task) => all === true || !isSystemTaskId(task.id);
    const delayed = delayedTasks(store.core, store.core.clock());
    return [
      ...store
        .ready()
        .filter(shown)
        .map((task) => ({ ...task, ready: true })),
      ...delayed.filter(shown).map((task) => ({ ...task, ready: false })),
    ];
  },
  'task:claim': ({ id, agent, actor: named, force }, { store, actor }) => {
    if (agent !== undefined && named !== undefined && agent !== named) throw invalid('give either --agent or --actor, not both');
    return store.tasks.claim(id, agent ?? named ?? null, actor, force === true);
  },
  'task:unclaim': ({ id }, { store, actor }) => store.tasks.unclaim(id, actor),
  'task:done': async ({ id, agent, artifacts, ignoreUnmergedWorktree }, ctx) => {
    const { store, paths, actor } = ctx;
    const reporter = reporterOf(ctx, agent);
    const task = store.get(id);
    // Refused before any merge, as upstream refuses a done its dependencies still hold back.
    if (task.status !== 'done' && task.status !== 'abandoned') store.tasks.requireUnblocked(id);
    // An agent's done waits for the evaluation gate, when it covers the task; a person's is final,
    // unless upstream's `.evaluate-X` is still to score it (pick_done_target_status).
    // Decided once, here: whether the worktree is merged now or only once the score passes hangs on it.
    const evaluated =
      (reporter.kind === 'agent' && gateCheck(loadSettings(paths).settings, readExecutors(paths))(store.core, id, reporter.agentId)) ||
      evaluationPending(store.core, id);
    // The ownership rule first (a refused report is refused and noted by done() itself), then the
    // agent's worktree is merged (or, when evaluated, checked to merge): a done that cannot merge is
    // refused and changes nothing.
    const merges =
      needsMerge(task) && task.status !== 'done' && task.status !== 'abandoned' && store.tasks.precheck(id, reporter, 'done') === null;
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
    return store.tasks.done(id, { agent, artifacts, worktree, gate: evaluated ? () => true : undefined }, actor, reporter);
  },
  'task:fail': ({ id, reason }, ctx) =>
    withRetryLimit(ctx.store.tasks.fail(id, reason, ctx.actor, reporterOf(ctx)), projectRetryBudget(ctx.paths)),
  // Upstream lists the entries with --list, or when no message is given.
  'task:log': async ({ id, message, actor: given, list }, ctx) => {
    if (list || message === undefined) {
      const { title, log } = ctx.store.get(id);
      return { id, title, log };
    }
    const task = ctx.store.tasks.log(id, message, given ?? ctx.actor, reporterOf(ctx));
    if (!ctx.agent) return task;
    // Upstream's `run_add` of `wg log`: logging from an agent's run (WG_AGENT_ID) also hands it its unread messages,
    // so an agent on any executor hears of a message at its next progress note.
    const unread = await (await import('./message-handlers')).readMessages(ctx, id, ctx.agent.id);
    return unread.length > 0 ? { ...task, new_messages: unread } : task;
  },
  'task:artifact': ({ id, value, remove }, ctx) => {
    const task = ctx.store.get(id);
    if (value === undefined) {
      if (remove) throw invalid('--remove needs the artifact to remove');
      return { task_id: id, title: task.title, deliverables: stringListOf(task, 'deliverables'), artifacts: task.artifacts };
    }
    if (remove) return ctx.store.tasks.removeArtifact(id, value, ctx.actor, reporterOf(ctx));
    const already = task.artifacts.includes(value);
    const result = ctx.store.tasks.artifact(id, value, ctx.actor, reporterOf(ctx));
    return already ? { ...result, already_registered: true as const } : result;
  },
  'task:pause': ({ id }, { store, actor }) => store.tasks.setPaused(id, true, actor),
  'task:publish': ({ id, only }, { store, actor }) => new TaskFlow(store.core).publish(id, only === true, actor),
  'task:retry': async (input, ctx) => withRetryLimit(await retryTask(input, ctx), projectRetryBudget(ctx.paths)),
  'task:abandon': ({ id, reason, supersededBy }, { store, actor }) => store.tasks.abandonWithCascade(id, reason, actor, supersededBy),
  'task:heartbeat': ({ agent }, { store, agent: from }) => store.agents.heartbeat(agent, from?.id === agent ? from.runId : null),
  // A score by hand settles a pending evaluation exactly as an evaluator's would.
  'eval:record': ({ id, score, dim, evaluator, notes }, { store, actor, paths }) =>
    settleEvaluation(
      { store, paths },
      id,
      { score, dimensions: dim ?? {}, notes: notes ?? null, evaluator: evaluator ?? actor, source: 'manual' },
      actor,
      gateSettings(loadSettings(paths).settings),
    ),
  'eval:show': ({ id }, { store }) => store.get(id).evaluation,
};

/** `wg retry` (upstream's), `--fresh` setting the task's worktree aside first. */
async function retryTask({ id, fresh, reason }: OpParsed<'task:retry'>, { store, actor, paths }: OpContext): Promise<Task> {
  if (!fresh) return store.tasks.retry(id, actor, reason);
  store.tasks.requireRetryable(id);
  // An in-progress task's run works in that worktree: it ends first (the retry), then the worktree is set aside.
  if (store.get(id).status === 'in-progress') {
    store.tasks.retry(id, actor, reason);
    await (await worktrees()).retireTaskWorktree({ store, paths }, id, actor);
    return store.get(id);
  }
  await (await worktrees()).retireTaskWorktree({ store, paths }, id, actor);
  return store.tasks.retry(id, actor, reason);
}

/** A task whose agent's worktree has work that a done must merge. */
function needsMerge(task: Task): boolean {
  const worktree = task.worktree;
  return worktree !== null && worktree.owner === 'agent' && isUnmergedState(worktree.state);
}

/**
 * Why the coordinator holds a ready task back from the agent daemons (remote:status, the
 * dispatcher's one source): asked in this process when the coordinator runs here, else of the
 * running daemon; null when none runs or the task is not waiting for one.
 */
async function remoteWaiting(id: string, service: OpContext['service'], paths: ProjectPaths): Promise<string | null> {
  if (service) return service.remoteStatus?.().waiting.find((waiting) => waiting.task_id === id)?.reason ?? null;
  const { callDaemonOp } = await import('../service/daemon-client');
  const status = await callDaemonOp(paths, 'remote:status', {}).catch(() => null);
  return status?.waiting.find((waiting) => waiting.task_id === id)?.reason ?? null;
}
