import { sql } from 'kysely';
import { ops, type OpName, type OpParsed } from '../../shared/ops/registry';
import { WgError } from '../../shared/errors';
import { isSystemTaskId } from '../../shared/task';
import { allDone, inFlight } from '../store/in-flight';
import type { StoreCore } from '../store/store-core';
import { loadSettings } from '../config/settings';
import { shortestInterval } from '../graph/schedule';
import { SUBTASK_PARKED } from '../waiting/subtask-line';
import type { OpContext } from './context';

/**
 * What a request from an agent's run may do (least authority): read, report on its own task and add
 * follow-ups after it. Reports (done, fail, log, artifact, heartbeat) go on to the ownership rule
 * (run-reports.ts), which knows the finer cases and notes a refusal in the task's log. Everything
 * else a run may not do at all, on any task: a run that no longer holds its task must not be able
 * to abandon, pause, retry, edit or claim it, and one that holds it needs none of that.
 * A person's commands (no run environment, the project's own token) never come here.
 */
const REPORTS: ReadonlySet<OpName> = new Set<OpName>([
  'task:done',
  'task:fail',
  'task:incomplete',
  'task:wait',
  'task:log',
  'task:artifact',
  'task:heartbeat',
]);

/** The credential store (`wg secret`), and the endpoints with their keys (`wg key`, `wg endpoints`). */
const SECRETS = /^(secret|key|endpoints):/;

/** Messages about the run's own task (h31's `wg msg`), when that operation exists. */
const MESSAGES = /^msg:/;

interface RunRow {
  task_id: string;
  /** What the run is for: a chat run is the coordinator agent's (COORDINATOR_AGENT_MAY). */
  purpose: string;
  state: string;
  run_id: string | null;
  /** The executor it was started with (a profile's name or a URL). */
  executor: string;
  /** 1: it runs away from this machine (an HTTP agent service, an agent daemon, an external system). */
  runs_elsewhere: number;
  /** Who holds its task now (null: nobody, or the task is gone). */
  task_holder: string | null;
}

/** The run's row with who holds its task: one statement (one round trip on PostgreSQL), read once a check. */
async function runRow(core: StoreCore, agentId: string): Promise<RunRow | undefined> {
  return core.get(
    core.build
      .selectFrom('agents as a')
      .leftJoin('tasks as t', 't.id', 'a.task_id')
      .select(['a.task_id', 'a.purpose', 'a.state', 'a.run_id', 'a.executor', 'a.runs_elsewhere', 't.assigned as task_holder'])
      .where('a.id', '=', agentId),
  );
}

const refused = (message: string) => new WgError('forbidden', message);

/**
 * The run behind a request, alive: it exists, the run id is its own, it is working and still holds
 * its task. What a run's credential needs before it may do anything, reads included.
 */
function liveRun(row: RunRow | undefined, agent: { id: string; runId: string }): RunRow {
  if (!row || row.run_id !== agent.runId) throw refused(`this is not a run of ${agent.id}`);
  if (row.state !== 'working') throw refused(`${agent.id} is no longer working (${row.state})`);
  if (row.task_holder !== agent.id) throw refused(`${agent.id} no longer holds task '${row.task_id}'`);
  return row;
}

/**
 * Reads of the coordinator's set-up (tokens, settings, executors, models, agent daemons, the list of runs, spend,
 * the window's agency page with its settings) and of this machine's worktrees. A task needs none of it (its role is
 * read with `wg role show`), and it tells whoever holds a credential sent away where and how this machine runs agents.
 */
const SETUP_READS: ReadonlySet<OpName> = new Set<OpName>([
  'agency:overview',
  'token:list',
  'config:list',
  'executor:list',
  'executor:discover',
  'model:list',
  'service:status',
  'agentd:status',
  'agent:list',
  'usage:spend',
  'usage:stats',
  'worktree:list',
  'worktree:show',
  'trace:export',
]);

/** The task a read of what runs leave behind is about (a run's output, a task's messages or trace); undefined for other reads. */
async function leftBehindBy<N extends OpName>(name: N, input: OpParsed<N>, core: StoreCore): Promise<string | null | undefined> {
  switch (name) {
    case 'run:events': {
      const agent = (input as OpParsed<'run:events'>).agent;
      return (await core.get(core.build.selectFrom('agents').select('task_id').where('id', '=', agent)))?.task_id ?? null;
    }
    case 'msg:list':
      return (input as OpParsed<'msg:list'>).task;
    case 'msg:poll':
      return (input as OpParsed<'msg:poll'>).task;
    case 'msg:questions':
      // Every running task's last message.
      return null;
    case 'trace:show': {
      const trace = input as OpParsed<'trace:show'>;
      // The whole tree after the task holds other tasks' runs.
      return trace.recursive || trace.timeline ? null : trace.task;
    }
    default:
      return undefined;
  }
}

/**
 * What a run's credential sent away (an HTTP agent service's, an agent daemon job's) may read: the project's work,
 * as any agent reads it to do its task (tasks with their logs and artifacts, the graph, roles, functions), and of
 * what runs leave behind only its own task's: another run's output, or a message to another task, may hold what
 * only that task was given.
 */
async function checkCredentialRead<N extends OpName>(name: N, input: OpParsed<N>, run: RunRow, core: StoreCore): Promise<void> {
  const command = ops[name].cli?.command ?? name;
  if (SETUP_READS.has(name)) throw refused(`an agent's run reads the project's work, not the coordinator's set-up ('${command}')`);
  const about = await leftBehindBy(name, input, core);
  if (about !== undefined && about !== run.task_id)
    throw refused(`an agent's run reads the output, messages and trace of its own task '${run.task_id}' only ('${command}')`);
}

/** Throws unless the run behind `ctx.agent` may run this operation with this input. */
export async function checkRunAuthority<N extends OpName>(name: N, input: OpParsed<N>, ctx: OpContext): Promise<void> {
  const agent = ctx.agent;
  if (!agent || agent.runId === null) return;
  const run = { id: agent.id, runId: agent.runId };
  let read: Promise<RunRow | undefined> | null = null;
  const theRun = () => (read ??= runRow(ctx.store.core, agent.id));
  // The person's API keys are no run's business, not even their names (least authority): a run is handed the key
  // its executor needs, and nothing more.
  if (SECRETS.test(name)) throw refused(`an agent's run may not use the credential store ('${ops[name].cli?.command ?? name}')`);
  // A person's Claude Code set-up, outside the project: not a run's to change.
  if (name === 'skill:install') throw refused("an agent's run may not install skills in the person's home folder ('skill install')");
  if (ops[name].kind === 'query') {
    // From the CLI in the run's own folder a run reads what its user can read anyway (graph.db itself); a
    // credential sent away must be live, and reads only what its task needs.
    if (agent.credential) await checkCredentialRead(name, input, liveRun(await theRun(), run), ctx.store.core);
    return;
  }
  // A run's log entries are under its own name (the store writes them so): another name given would be said back
  // to it as if taken.
  if (name === 'task:log') {
    const named = (input as OpParsed<'task:log'>).actor;
    if (named !== undefined && named !== agent.id) throw refused(`--actor is for people: a run's log entries are its own (${agent.id})`);
  }
  // A heartbeat says its sender is alive: a run may say it of itself (named, or by default), never of another run.
  if (name === 'task:heartbeat') {
    const { agent: named, check } = input as OpParsed<'task:heartbeat'>;
    if (check) throw refused(`a run sends heartbeats for itself (${agent.id}); checking every run's is for people`);
    if (named !== undefined && named !== agent.id)
      throw refused(`a run may send heartbeats only for itself (${agent.id}), not for ${named}`);
  }
  // A run sent away (its credential) watches no file of the coordinator's machine: resumed when one changes, it would
  // learn of that machine's files what its own task does not need (a file path names the caller's own machine).
  if (
    name === 'task:wait' &&
    agent.credential &&
    (input as OpParsed<'task:wait'>).until.split(/[,|]/).some((c) => c.trim().startsWith('file:'))
  )
    throw refused("a run away from the coordinator's machine cannot wait for a file there (file:); wait for a task, a message or a timer");
  // A report's rule is the ownership rule's, the coordinator agent's refusal included: checked inside the report's own
  // write on the run's row it reads there anyway (store/run-reports.ts), so a report pays no read of its own here (on
  // PostgreSQL, a round trip before the report's first).
  if (REPORTS.has(name)) return;
  if (coordinatorAgentMay(name, input, run, await theRun())) return;
  if (name === 'task:add') {
    const row = liveRun(await theRun(), run);
    await checkFollowUp(input as OpParsed<'task:add'>, row, ctx.store.core);
    await checkFollowUpBudget(input as OpParsed<'task:add'>, row, ctx);
    return;
  }
  // Upstream's triage: an agent that found a failed dependency adds fix tasks, then requeues its own task.
  if (name === 'task:requeue') {
    const row = liveRun(await theRun(), run);
    if ((input as OpParsed<'task:requeue'>).id !== row.task_id) throw refused(`a run may requeue only its own task '${row.task_id}'`);
    return;
  }
  if (MESSAGES.test(name)) {
    const row = liveRun(await theRun(), run);
    const about = (input as { id?: unknown; task?: unknown }).id ?? (input as { task?: unknown }).task;
    if (about !== undefined && about !== row.task_id) throw refused(`a run may send messages only about its own task '${row.task_id}'`);
    // Who a message is from is what its reader goes by: a run's are from its task, never a name it picks.
    if (name === 'msg:send' && (input as OpParsed<'msg:send'>).from !== undefined)
      throw refused(`--from is for people: a run's messages are sent as its task '${row.task_id}'`);
    // A run reads its messages as itself: marked read under another name, they would be lost to that reader.
    if (name === 'msg:read') {
      const reader = (input as OpParsed<'msg:read'>).agent;
      if (reader !== undefined && reader !== agent.id) throw refused(`a run reads its messages as itself (${agent.id}), not as ${reader}`);
    }
    return;
  }
  // Upstream's `wg checkpoint`: a run saves its own progress on its own task, under its own name.
  if (name === 'task:checkpoint') {
    const row = liveRun(await theRun(), run);
    const wanted = input as OpParsed<'task:checkpoint'>;
    if (wanted.task !== row.task_id) throw refused(`a run may checkpoint only its own task '${row.task_id}'`);
    if (wanted.agent !== undefined && wanted.agent !== agent.id)
      throw refused(`a run checkpoints as itself (${agent.id}), not as ${wanted.agent}`);
    return;
  }
  throw refused(
    `an agent's run may only report on its own task and add follow-ups after it, not '${ops[name].cli?.command ?? name}'; ` +
      "a person can run it outside the agent's environment",
  );
}

/**
 * What the coordinator agent (a chat run) may change: the graph's work, as a person asks it to in the chat: plan
 * (add, link, edit, insert), steer (pause, resume, retry, abandon, reprioritise, reschedule, approve, reject), tell
 * (a message to a task's agent), stop a run or the coordinator's starts. A task's log is its own agent's (run-reports). Not the coordinator's set-up (tokens,
 * settings, executors), not a task's shell command (task-fields: refused below as for any run), and no report on a
 * task's work (done, fail): that is its own agent's to say.
 */
const COORDINATOR_AGENT_MAY: ReadonlySet<OpName> = new Set<OpName>([
  'task:add',
  'task:edit',
  'task:addDep',
  'task:rmDep',
  'task:insert',
  'task:pause',
  'task:resume',
  'task:retry',
  'task:abandon',
  'task:publish',
  'task:reprioritize',
  'task:reschedule',
  'task:assign',
  'task:approve',
  'task:reject',
  'task:unclaim',
  'task:rescue',
  'task:reset',
  'msg:send',
  'agent:kill',
  'service:pause',
  'service:resume',
]);

/**
 * A coordinator agent's run (purpose chat) asking: true when it may run this operation (it must be working, with the
 * run id its row holds); a refusal when it may not; false for every other run (the rules below apply).
 */
function coordinatorAgentMay<N extends OpName>(
  name: N,
  input: OpParsed<N>,
  agent: { id: string; runId: string },
  row: RunRow | undefined,
): boolean {
  if (row?.purpose !== 'chat') return false;
  if (row.run_id !== agent.runId) throw refused(`this is not a run of ${agent.id}`);
  if (row.state !== 'working') throw refused(`${agent.id} is no longer working (${row.state})`);
  const command = ops[name].cli?.command ?? name;
  if (!COORDINATOR_AGENT_MAY.has(name))
    throw refused(`the coordinator agent plans and steers the graph's work; '${command}' is for a person to run`);
  const fields = input as { exec?: unknown; command_argv?: unknown };
  if ((fields.exec !== undefined && fields.exec !== null && fields.exec !== '') || fields.command_argv !== undefined)
    throw refused(
      "the coordinator agent cannot give a task a shell command (it would run on this machine); a person can, with 'wg edit --exec'",
    );
  return true;
}

/**
 * A follow-up comes after the run's own task: no shell command of its own and no worktree (either
 * would let the run pick what runs on this machine). A run that runs away from this machine (an HTTP
 * agent service, an agent daemon) is held to where it runs: its follow-ups run with its own executor
 * (given or not; for an agent daemon, its repository and role unless named), never with a local one,
 * so a remote agent cannot have an agent started on this machine, as this user, on a prompt it wrote.
 * A local run already runs as the user: its follow-ups may name any executor the project has.
 */
async function checkFollowUp(input: OpParsed<'task:add'>, run: RunRow, core: StoreCore): Promise<void> {
  const own = run.task_id;
  // Upstream's default_parent_after: a task a run adds without --after comes after the run's task; a subtask
  // does not (the run's task waits for it instead: `wg add --subtask`).
  if (!input.subtask && (input.after ?? []).length === 0) input.after = [own];
  if (!input.subtask && !(input.after ?? []).includes(own)) {
    throw refused(`a run may add only follow-ups of its own task: add it with --after ${own}`);
  }
  // `.evaluate-X`, `.assign-X`, `.verify-X`… are the coordinator's scaffolding of the task X they name: one a run made
  // would hold X's dependents back, and have X scored, assigned or verified, whatever task X is.
  if (input.id !== undefined && isSystemTaskId(input.id))
    throw refused(`a follow-up added by a run cannot be a system task ('${input.id}': ids starting with "." are the coordinator's)`);
  if (input.exec !== undefined) throw refused('a follow-up added by a run cannot carry a command (--exec)');
  if (input.worktree !== undefined) throw refused('a follow-up added by a run cannot name a worktree');
  if (run.runs_elsewhere !== 1) return;
  if (input.executor !== undefined && input.executor !== run.executor) {
    throw refused(
      `a follow-up added by a run on executor '${run.executor}' runs there too: leave out --executor, or give '${run.executor}'`,
    );
  }
  input.executor = run.executor;
  const task = await core.get(core.build.selectFrom('tasks').select(['repo', 'role']).where('id', '=', own));
  // Its repository and role too: naming others would send work, with a prompt this run wrote, to agent daemons its
  // own token does not reach (another repository's, another role's).
  for (const [field, given, mine] of [
    ['repo', input.repo, task?.repo ?? null],
    ['role', input.role, task?.role ?? null],
  ] as const) {
    if (given !== undefined && given !== mine) {
      throw refused(
        `a follow-up added by a run elsewhere stays in its own task's ${field} (${mine ?? 'none'}): leave out --${field}${mine ? `, or give '${mine}'` : ''}`,
      );
    }
  }
  if (task?.repo) input.repo = task.repo;
  if (task?.role) input.role = task.role;
}

/** A span in the largest whole unit: "1 h", "15 min", "5 s". */
function spell(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s >= 3600 && s % 3600 === 0) return `${s / 3600} h`;
  if (s >= 60 && s % 60 === 0) return `${s / 60} min`;
  return `${s} s`;
}

/**
 * A task's follow-ups added by its runs, all of them: the tasks after it whose "Task created" a run
 * of it logged (a run adds follow-ups only after its own task), and the subtasks they added, each
 * parking the task under that run's name (`wg add --subtask`: its own task waits for it, so a run
 * then a run of its task again could add one each without end). Every lookup by index.
 */
async function followUpsOf(core: StoreCore, taskId: string): Promise<number> {
  const runs = core.build.selectFrom('agents').select('id').where('task_id', '=', taskId);
  // Counted side by side (one round trip on PostgreSQL).
  const [after, subtasks] = await allDone<[{ n: number } | undefined, { n: number } | undefined]>([
    core.get(
      core.build
        .selectFrom('deps as d')
        .innerJoin('task_log as l', 'l.task_id', 'd.task_id')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('d.dep_id', '=', taskId)
        .where('l.message', '=', 'Task created')
        .where('l.actor', 'in', runs),
    ),
    core.get(
      core.build
        .selectFrom('task_log')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('task_id', '=', taskId)
        .where(core.fn.like(sql.ref('message'), `${SUBTASK_PARKED}%`))
        .where('actor', 'in', runs),
    ),
  ]);
  return Number(after?.n ?? 0) + Number(subtasks?.n ?? 0);
}

/**
 * What the runs of a task may add in all (config.toml's `[guardrails]`): each follow-up it adds is a
 * run and a credential of its own, so a run that keeps adding them, or adds one that repeats every
 * few seconds, would have the coordinator start runs without end. A follow-up may repeat no more
 * often than `follow_up_min_interval`, and the runs of a task together add at most
 * `max_child_tasks_per_agent` (upstream's key, which counts each run alone: here a retry or the next
 * fire of a schedule does not start the count again).
 */
async function checkFollowUpBudget(input: OpParsed<'task:add'>, run: RunRow, ctx: OpContext): Promise<void> {
  // What the runs added so far is asked for with the settings (on a team's graph they are read from the store too).
  const added = inFlight(followUpsOf(ctx.store.core, run.task_id));
  const { guardrails } = (await loadSettings(ctx.paths)).settings;
  const schedule = input.cron ?? input.schedule;
  if (schedule !== undefined) {
    const every = shortestInterval(schedule, new Date());
    const floor = guardrails.follow_up_min_interval * 1000;
    if (every !== null && every < floor)
      throw refused(
        `a follow-up added by a run may repeat at most every ${spell(floor)} (guardrails.follow_up_min_interval); '${schedule}' fires every ${spell(every)}`,
      );
  }
  if ((await added) >= guardrails.max_child_tasks_per_agent)
    throw refused(
      `the runs of task '${run.task_id}' have added ${await added} follow-ups, the most they may (guardrails.max_child_tasks_per_agent); use wg log or wg fail to say why more are needed`,
    );
}
