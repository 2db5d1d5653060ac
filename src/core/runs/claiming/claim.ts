import { randomBytes } from 'node:crypto';
import type { Agent } from '../../../shared/agent';
import type { ExecutorProfile } from '../../../shared/config-types';
import { conflict, notFound } from '../../../shared/errors';
import { isStartable } from '../../graph/readiness';
import type { Task } from '../../../shared/task';
import { buildLaunch, buildPrompt, describeModelSource, getsMessageHooks, resolveModel, type HostEnv } from '../../executors/index';
import { identitySection, resolveIdentity, type ResolvedIdentity } from '../../executors/identity-prompt';
import type { LaunchContext, LaunchSpec, ResolvedModel } from '../../executors/launch';
import type { ProjectPaths } from '../../project';
import { runDir } from '../../run-folder/run-log';
import { newRun } from '../../store/agent-records';
import type { Store } from '../../store/store';
import { type TasksRead, tasksWithRows } from '../../store/task-reads';
import { allDone } from '../../store/in-flight';
import type { TaskRow } from '../../store/rows';
import { appendLog, failUnlessAsRead, transition } from '../../store/task-writes';
import type { Config } from '../../config/config-view';
import { profileFor, routedProfile } from '../../deciding/executor-choice';
import { runFiles, type LaunchRecord, type RunFiles } from '../../run-folder/run-files';
import { plannedWorkingFolder } from '../starting/working-folder';
import type { PlannedFolder } from '../../worktrees/plan';
import { agentWgPath } from '../starting/agent-wg';
import { inboxMarker } from '../../messages/delivery-hooks';
import { checkpointForTask } from '../../run-folder/checkpoints';
import { runTimeoutS } from './run-timeout';
import { assertFirstCommit, assertProgramFound } from './claim-waits';

export interface ClaimRequest {
  taskId: string;
  /** `wg spawn`: any open task, paused or blocked or manual, regardless of limits. */
  byHand: boolean;
  /** Who spawned it by hand, for the log: a person's name when their token asked, else `user`. */
  by?: string;
  apiUrl: string | null;
  apiToken: string | null;
  hostEnv: HostEnv;
  /** Only the remote dispatcher claims tasks for agent daemons: the daemon it chose, for the log. */
  daemon?: string;
  /** That daemon's `wg` (it relays to this coordinator): the one the prompt names. */
  daemonWg?: string;
  /** `wg spawn --executor E --model M --timeout T`: this run's own, before the task's and the project's. */
  override?: SpawnOverride;
}

export interface SpawnOverride {
  executor?: string;
  model?: string;
  timeoutS?: number;
}

export interface Claimed {
  agent: Agent;
  /** The run id its processes carry (WG_RUN_ID) and its reports must show. */
  runId: string;
  /** The task as claimed. */
  task: Task;
  profile: ExecutorProfile;
  model: ResolvedModel;
  spec: Exclude<LaunchSpec, { kind: 'manual' }>;
  record: LaunchRecord;
  files: RunFiles;
  /** Where the claim said it works (the launch spec and the prompt name it): the start makes it so. */
  folder: PlannedFolder;
}

/** The spawn log names the run's role (task_agent) and where its model came from. */
function spawnLogLine(by: string, agent: Agent, profile: ExecutorProfile, model: ResolvedModel, resumed: string | null): string {
  const flags = [`--executor ${profile.name}`, ...(model.name ? [`--model ${model.name}`] : [])].join(' ');
  return `Spawned by ${by} ${flags} (${describeModelSource('task_agent', model)}) as ${agent.id}${resumed ? `, resuming session ${resumed}` : ''}`;
}

/**
 * The executor a task runs with when it names none: its identity's, if that identity prefers one
 * other than upstream's default (claude) and the project has such a profile.
 */
function preferredExecutor(
  task: Pick<Task, 'executor'>,
  identity: ResolvedIdentity | null,
  profiles: readonly ExecutorProfile[],
): string | null {
  if (task.executor !== null) return task.executor;
  const wanted = identity?.identity.executor;
  return wanted && wanted !== 'claude' && profiles.some((p) => p.name === wanted) ? wanted : null;
}

/** A run id: random, so no other run (of this project or any other) can carry or claim it. */
export function newRunId(): string {
  return randomBytes(16).toString('hex');
}

/** Claude retries continue the last run's conversation when that run was this executor's. */
async function sessionToResume(store: Store, task: Task, profile: ExecutorProfile): Promise<string | null> {
  if (profile.type !== 'claude' || !task.session_id) return null;
  const previous = (await store.agents.forTask(task.id)).filter((a) => a.session_id === task.session_id).at(-1);
  return previous && previous.executor === profile.name ? task.session_id : null;
}

/** What became of one request of `claimTasks`: its claim, or why it was refused (nothing of it written). */
export type ClaimOutcome = { ok: true; claimed: Claimed } | { ok: false; error: unknown };

/**
 * Claims one task (`wg spawn`, an agent daemon's job) as `claimTasks` claims a turn's: in one transaction (or
 * inside the current one), which a refusal leaves untouched; throws why.
 */
export async function claimTask(store: Store, paths: ProjectPaths, config: Config, request: ClaimRequest): Promise<Claimed> {
  return store.core.batch(async () => {
    const [outcome] = await claimTasks(store, paths, config, [request]);
    if (!outcome?.ok) throw outcome?.error;
    return outcome.claimed;
  });
}

/**
 * Claims tasks inside the current write transaction (a coordinator's turn), in order, each its own write (a
 * savepoint): one refused is undone alone and the others go on. Their rows and whole tasks are read first, all in
 * one go: a claim changes nothing another one reads (its task's row and log only; its status stays one that holds
 * its dependents back). An error `fatal` says of (the store broken, the transaction over) is thrown at once.
 */
export async function claimTasks(
  store: Store,
  paths: ProjectPaths,
  config: Config,
  requests: readonly ClaimRequest[],
  fatal: (error: unknown) => boolean = () => false,
  known: TasksRead | null = null,
): Promise<ClaimOutcome[]> {
  // Tasks the turn read whole already, as they are now (TickState.whole), are not read again.
  const ids = requests.map((request) => request.taskId);
  const read = await tasksWithRows(
    store.core,
    ids.filter((id) => !known?.has(id)),
  );
  for (const id of ids) {
    const found = known?.get(id);
    if (found && !read.has(id)) read.set(id, found);
  }
  const outcomes = await Promise.allSettled(
    requests.map(async (request): Promise<ClaimOutcome> => {
      // Each task's read serves its first claim only: the same task asked twice is read again, claimed by then.
      const found = read.get(request.taskId) ?? (await tasksWithRows(store.core, [request.taskId])).get(request.taskId);
      read.delete(request.taskId);
      try {
        if (!found) throw notFound('task', request.taskId);
        return { ok: true, claimed: await claimRead(store, paths, config, request, found) };
      } catch (error) {
        if (fatal(error)) throw error;
        return { ok: false, error };
      }
    }),
  );
  // Thrown only once every claim has stopped: thrown at the first, it would end the transaction while the claims after
  // it were still being written in it.
  const failed = outcomes.find((outcome) => outcome.status === 'rejected');
  if (failed) throw failed.reason;
  return outcomes.map((outcome) => (outcome as PromiseFulfilledResult<ClaimOutcome>).value);
}

/** The executor the task's row names as the scheduler sees it (engine-state.ts readyView); null when none resolves. */
function readyExecutorOf(row: TaskRow, config: Config): string | null {
  try {
    return profileFor({ exec: row.exec, executor: row.executor }, config.settings, config.profiles).name;
  } catch {
    return null;
  }
}

/**
 * Claims the task and inserts the agent row in ONE transaction, before anything starts: a crash
 * at any later point leaves a claimed task with an agent the restarted coordinator can judge.
 * The launch spec is built inside (executors are pure), so a task that cannot launch changes nothing:
 * a refusal throws, and the write (its own savepoint inside the coordinator's turn) undoes the id taken.
 */
async function claimRead(
  store: Store,
  paths: ProjectPaths,
  config: Config,
  request: ClaimRequest,
  { row, task }: { row: TaskRow; task: Task },
): Promise<Claimed> {
  const core = store.core;
  const { settings, profiles, registry } = config;
  return core.write(async (rev) => {
    if (!isStartable(row.status)) throw conflict(`task '${row.id}' is ${row.status}, not open`);
    if (!request.byHand && (row.paused || row.blockers > 0)) throw conflict(`task '${row.id}' is not ready`);
    const identity = await resolveIdentity(store, row.agent);
    const executor = request.override?.executor ?? preferredExecutor(row, identity, profiles);
    const chosen = profileFor({ exec: row.exec, executor }, settings, profiles, request.byHand);
    const asked = request.override?.model === undefined ? row : { ...row, model: request.override.model };
    const model = resolveModel({ task: asked, profile: chosen, settings, registry, identityModel: identity?.identity.model });
    const profile = routedProfile(chosen, model, executor !== null, profiles);
    const id = await store.agents.nextId();
    const files = runFiles(runDir(paths.runsDir, id));
    const agent = newRun(
      id,
      {
        task_id: task.id,
        executor: profile.name,
        model: model.name,
        model_source: model.source,
        runs_elsewhere: false,
        output_path: files.dir,
        purpose: 'task',
      },
      core.nowIso(),
      rev,
    );
    // Asked for together: on PostgreSQL each of these reads waited for the one before it, a round trip each.
    const [resume, folder, parts] = await allDone([
      sessionToResume(store, task, profile),
      plannedWorkingFolder({
        store,
        paths,
        settings,
        taskId: task.id,
        agentId: id,
        executorType: profile.type,
        worktree: profile.worktree,
      }),
      // A shell task runs its command; the prompt (reading every dependency) would go unused.
      profile.type === 'shell' ? Promise.resolve(null) : promptParts(store, paths, task, id),
    ]);
    const runId = newRunId();
    const messageHooks = getsMessageHooks(profile, settings, profiles);
    const ctx: LaunchContext = {
      task,
      agent,
      runId,
      profile,
      model,
      settings,
      cwd: folder.cwd,
      prompt:
        parts === null
          ? ''
          : buildPrompt({
              task,
              ...parts,
              wgPath: request.daemonWg ?? agentWgPath(paths),
              worktree: folder.worktree,
              identity: identity ? identitySection(identity) : null,
              messageHooks,
            }),
      resumeSessionId: resume,
      apiUrl: request.apiUrl,
      apiToken: request.apiToken,
      messageInbox: inboxMarker(paths.serviceDir, task.id),
      wgPath: agentWgPath(paths),
    };
    const timeoutS = runTimeoutS({ overrideS: request.override?.timeoutS, task, profile, settings });
    const built = buildLaunch(ctx, { hostEnv: request.hostEnv, profiles });
    // An agent daemon's job is stopped by its daemon, at the limit it is sent with: this run's, by the same rule as a local one's.
    const spec: LaunchSpec = built.kind === 'remote' ? { ...built, timeout_s: timeoutS } : built;
    if (spec.kind === 'manual') throw conflict(`task '${task.id}' is done by hand (executor '${profile.name}'); nothing to start`);
    if (spec.kind === 'remote' && request.daemon === undefined) {
      throw conflict(
        `task '${task.id}' runs on an agent daemon (repo ${spec.repo}${spec.role ? `, role ${spec.role}` : ''}); the coordinator sends it to one when one is free`,
      );
    }
    // What the run cannot start without refuses the claim (ClaimWaits): the task waits for it rather than failing.
    const who = { executor: profile.name, readyExecutor: readyExecutorOf(row, config) };
    assertProgramFound(spec, request.hostEnv, who);
    if (spec.kind === 'process') assertFirstCommit(folder.worktree !== null, paths.root, who, settings.coordinator.base_branch);
    const runsElsewhere = spec.kind !== 'process';
    const record: LaunchRecord = {
      kind: spec.kind,
      output: spec.kind === 'process' ? spec.output : 'plain',
      resumed_session: resume,
      // The runs a limit ends: a local process (the coordinator's deadline) and an agent daemon's job (its daemon's).
      timeout_s: spec.kind === 'process' || spec.kind === 'remote' ? timeoutS : null,
      // Agents get the prompt and are told to report; a shell task's exit status is its whole answer.
      needs_evidence: spec.kind === 'process' && profile.type !== 'shell',
      cwd: spec.kind === 'process' ? folder.cwd : null,
      message_hooks: messageHooks && spec.kind === 'process',
      // A team's graph: a coordinator in another folder that takes over finds the run's folder.
      ...(store.core.kind === 'postgres' && spec.kind === 'process' ? { run_dir: runDir(paths.runsDir, id) } : {}),
    };
    await store.agents.insert({ ...agent, runs_elsewhere: runsElsewhere }, JSON.stringify(record), runId);
    await failUnlessAsRead(core, row);
    // failure_reason stays: the prompt already carries it to this attempt, and `wg show` keeps it visible.
    await transition(core, row, { status: 'in-progress', assigned: agent.id, started_at: core.nowIso() }, rev);
    const where = request.daemon === undefined ? '' : ` on agent daemon ${request.daemon}`;
    await appendLog(
      core,
      task.id,
      request.byHand ? (request.by ?? 'user') : 'coordinator',
      `${spawnLogLine(request.byHand ? 'wg spawn' : 'coordinator', agent, profile, model, resume)}${where}`,
    );
    return { agent: { ...agent, runs_elsewhere: runsElsewhere }, runId, task, profile, model, spec, record, files, folder };
  });
}

/**
 * What an agent's prompt is built from besides its task, read side by side: its dependencies (whole, in the task's
 * order; one that is gone refuses the claim, as reading it alone did), its messages (delivered to this run as they are
 * read), and the checkpoint of an earlier attempt.
 */
async function promptParts(store: Store, paths: ProjectPaths, task: Task, runAgent: string) {
  const [found, messages, checkpoint] = await allDone([
    tasksWithRows(store.core, task.after),
    store.messages.deliverAtSpawn(task.id, runAgent),
    earlierCheckpoint(store, paths, task.id),
  ]);
  const dependencies = task.after.map((dep) => {
    const read = found.get(dep);
    if (!read) throw notFound('task', dep);
    return read.task;
  });
  return { dependencies, messages, earlierCheckpoint: checkpoint };
}

/**
 * The newest `wg checkpoint` of the runs that tried the task since it was last done (a retry, a requeue,
 * a dead run's successor), for the prompt of its next one; a repeating task's earlier occurrences are not.
 */
async function earlierCheckpoint(store: Store, paths: ProjectPaths, taskId: string): Promise<string | null> {
  const { core } = store;
  const runs = await core.all(
    core.build
      .selectFrom('agents')
      .select(['id', 'state'])
      .where('task_id', '=', taskId)
      .where('purpose', '=', 'task')
      .orderBy('started_at')
      .orderBy('id'),
  );
  const lastDone = runs.map((r) => r.state).lastIndexOf('done');
  const attempts = runs.slice(lastDone + 1).map((r) => r.id);
  return attempts.length === 0 ? null : checkpointForTask(paths.runsDir, taskId, attempts);
}
