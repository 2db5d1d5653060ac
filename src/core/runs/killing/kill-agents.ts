import { filterAsync } from '../../../shared/async-arrays';
import type { Agent, KillUpstreamFields, UpstreamRun } from '../../../shared/agent';
import { TERMINAL_STATUSES } from '../../../shared/task';
import { dependentsIndex } from '../../graph/analysis/task-index';
import type { KillResult } from '../../../shared/service-types';
import { invalid } from '../../../shared/errors';
import type { Store } from '../../store/store';
import { findTaskRow } from '../../store/task-reads';
import { appendLog, reopen, transition } from '../../store/task-writes';
import type { ProjectPaths } from '../../project';
import { runHandle } from '../../run-folder/run-handle';
import { coordinatorRuns, endedUnjudged } from './dead-agents';
import { aliveRuns, killRuns, type RunHandle } from '../../processes/kill-runs';
import { splitByOwner } from '../../leases/run-owners';
import { redispatchNote } from './kill-holds';

/**
 * `wg kill`, `--force`, `--all`, and every stop that kills agents. First, in ONE transaction, the
 * agents are marked killed and their tasks put back to open (each task only while it is still
 * that agent's), paused as upstream's `wg kill` does so the coordinator does not start it again at once
 * (a person killed the run for a reason), or left to the queue with `redispatch`: from then on no report of
 * theirs counts, and the coordinator takes their exits as echoes, so one agent slow to die never
 * makes another's task look vanished or use a retry.
 * Then everything the runs started is stopped, the whole run each (killRuns).
 */
export async function killAgents(
  store: Store,
  paths: ProjectPaths,
  target: KillTarget,
  actor: string,
): Promise<KillResult & KillUpstreamFields> {
  if (target.hold && target.redispatch) throw invalid('give either --hold or --redispatch, not both');
  const hold = target.hold ?? !target.redispatch;
  if (target.tree) return killTree(store, paths, target, actor);
  if (target.dryRun || target.noAbandon) throw invalid('--dry-run and --no-abandon go with --tree TASK');
  if (!target.id && !target.all) throw invalid('name an agent (e.g. agent-7) or pass --all');
  const all = target.all ? await store.agents.list({ alive: true }) : [await store.agents.get(target.id as string)];
  // A team's coordinator stopping with its agents: its own runs, not the other coordinators'.
  const mine = target.coordinator;
  let agents: Agent[] =
    target.all && mine ? await filterAsync(all, async (agent) => (await store.agents.coordinatorOf(agent.id)) === mine) : all;
  if (!target.all && agents[0]?.state !== 'working') throw invalid(`agent '${target.id}' is not working (${agents[0]?.state})`);
  // A run whose command has ended by itself is judged as it ended (done, its work merged), never killed: a kill
  // here paused a task whose run had finished its work, and its commits went to a recover branch.
  const ended = agents.flatMap((agent) => {
    const status = endedUnjudged(agent);
    return status === null ? [] : [{ agent, status }];
  });
  if (!target.all && ended[0])
    throw invalid(
      `agent '${target.id}' has already ended by itself (exit ${ended[0].status}): nothing to kill; the coordinator judges its end as it does any run's${coordinatorRuns(paths) ? '' : ' when it starts (wg service start)'}`,
    );
  const endedIds = new Set(ended.map((e) => e.agent.id));
  agents = agents.filter((agent) => !endedIds.has(agent.id));
  const core = store.core;
  const { local, elsewhere } = await splitByOwner(store, paths, agents);
  const killedHere = new Set(local.filter((agent) => !agent.runs_elsewhere).map((agent) => agent.id));
  // Redispatched tasks whose runs are stopped here: held until nothing of the run is left (SIGTERM's grace and the
  // SIGKILL rounds take seconds), else the coordinator starts the next run beside the dying one, in its worktree.
  const requeued: string[] = [];
  const notHolding: string[] = [];
  await core.write(async (rev) => {
    for (const agent of agents) {
      if (
        !(await store.agents.end(
          agent.id,
          { state: 'killed', ended_at: core.nowIso(), exit_code: null, reason: target.force ? 'killed (SIGKILL)' : 'killed' },
          rev,
        ))
      )
        continue;
      const row = await findTaskRow(core, agent.task_id);
      if (!(row && row.status === 'in-progress' && row.assigned === agent.id)) notHolding.push(agent.id);
      else {
        // Held: paused in the same transaction, so the coordinator never sees it ready in between.
        const holdWhileDying = !hold && killedHere.has(agent.id);
        if (holdWhileDying) requeued.push(agent.task_id);
        await reopen(core, row, rev, hold || holdWhileDying ? { paused: true } : {});
        // Upstream's words, which its tests look for ("auto-paused", "--redispatch").
        await appendLog(
          core,
          agent.task_id,
          actor,
          hold
            ? `Agent '${agent.id}' killed — task auto-paused (use 'wg resume ${agent.task_id}' to re-enable dispatch)`
            : redispatchNote(agent.id),
        );
      }
    }
  });
  const { gone, errors } = await killLocal(store, paths, local, target.force);
  if (requeued.length > 0) await requeue(store, requeued, gone, actor);
  const killed = await Promise.all(agents.map((a) => store.agents.get(a.id)));
  const result = {
    killed,
    paused: hold,
    ...(elsewhere.length > 0 ? { elsewhere } : {}),
    ...(notHolding.length > 0 ? { not_holding: notHolding } : {}),
  };
  // Upstream's `wg kill --all --json` (its run_all): `count` is the length of `killed` as there; `killed`'s runs
  // carry its id, pid and task_id. Its `errors` are the runs it could not kill; here every run is ended in the store
  // (its task released), so an error is a run of which something still ran when the SIGKILL rounds ended.
  if (target.all) return { ...result, count: killed.length, errors };
  // Upstream's `wg kill AGENT --json` (its kill `run`): the run's pid and task, and whether SIGKILL was sent at once.
  // Its `killed` is the agent's id: cli/json-view.ts makes it so in `--json`, where this `killed` lists the record.
  // The pid is null for a run with no process here (an agent daemon's, an HTTP agent's), where upstream's always has one.
  // A plain kill names one run (store.agents.get refused any other id).
  const run = killed[0] as Agent;
  return { ...result, pid: run.pid, task_id: run.task_id, force: target.force === true };
}

/**
 * Stops the processes of the killed runs signalled here (killRuns, all at once): the runs of this machine, not an agent
 * daemon's. On a team's graph another coordinator's runs are not among them (`agents` is the `local` of splitByOwner):
 * the store says they are killed, and that coordinator, which stops every run of its own the store no longer counts as
 * working, stops their processes on its machine. `gone`: nothing of them is left; `errors` names each run of which
 * something still runs (upstream's `errors`, "agent-N: why").
 */
async function killLocal(
  store: Store,
  paths: ProjectPaths,
  agents: readonly Agent[],
  force: boolean | undefined,
): Promise<{ gone: boolean; errors: string[] }> {
  const targets = await Promise.all(
    agents.filter((agent) => !agent.runs_elsewhere).map(async (agent) => ({ id: agent.id, handle: await runHandle(store, paths, agent) })),
  );
  const handles: RunHandle[] = targets.map((t) => t.handle);
  const gone = await killRuns(handles, { force });
  if (gone) return { gone, errors: [] };
  const left = new Set(aliveRuns(handles));
  const errors = targets.filter((t) => left.has(t.handle)).map((t) => `${t.id}: a process of its run still runs after SIGKILL`);
  return { gone, errors };
}

/**
 * Redispatched tasks held while their runs died: back in the queue once nothing of those runs is left; still held if
 * something may be (the kill's rounds ended with a process alive), said in the task's log. A task someone changed
 * meanwhile (claimed, resumed) is left as it is.
 */
async function requeue(store: Store, taskIds: readonly string[], gone: boolean, actor: string): Promise<void> {
  const core = store.core;
  await core.write(async (rev) => {
    for (const id of taskIds) {
      const row = await findTaskRow(core, id);
      if (row?.status !== 'open' || !row.paused || row.assigned !== null) continue;
      if (gone) await transition(core, row, { paused: false }, rev);
      else await appendLog(core, id, actor, `Still paused: a process of its killed run may be left; 'wg resume ${id}' once it is gone`);
    }
  });
}

/** What `wg kill` is asked: an agent or --all; or upstream's --tree TASK (with --dry-run, --no-abandon). */
export interface KillTarget {
  id?: string;
  all?: boolean;
  /** With `all`: only the runs of this coordinator of a team's graph. */
  coordinator?: string | null;
  force?: boolean;
  /** Pause the task: the default, as upstream's. */
  hold?: boolean;
  /** Upstream's --redispatch: the task goes back to the queue for the coordinator to start again. */
  redispatch?: boolean;
  tree?: boolean;
  dryRun?: boolean;
  noAbandon?: boolean;
}

/** The task and every task that depends on it, directly or through others (upstream's collect_transitive_dependents). */
async function treeOf(store: Store, root: string): Promise<string[]> {
  const dependents = dependentsIndex(await store.list());
  const found = new Set([root]);
  const queue = [root];
  while (queue.length > 0) {
    for (const id of dependents.get(queue.shift() as string) ?? []) {
      if (found.has(id)) continue;
      found.add(id);
      queue.push(id);
    }
  }
  return [...found].sort();
}

const treeRun = (agent: Agent): UpstreamRun => ({ id: agent.id, pid: agent.pid, task_id: agent.task_id });

/**
 * `wg kill --tree`'s result with upstream's `--json` fields at the top level, where upstream's scripts read them
 * (`root_task`, `killed_agents`, `abandoned_tasks`, `total_tasks_in_tree`, `errors`; a dry run's `dry_run`,
 * `agents_to_kill`, `tasks_to_abandon`), beside this app's `tree`, which the text and the window read.
 */
type TreeKillResult = KillResult & Extract<KillUpstreamFields, { root_task: string }>;

/**
 * Upstream's `wg kill --tree TASK`: the runs working on the task and everything downstream of it are killed,
 * and those tasks not yet ended are abandoned (unless `noAbandon`), in one transaction; `dryRun` only says so.
 */
async function killTree(store: Store, paths: ProjectPaths, target: KillTarget, actor: string): Promise<TreeKillResult> {
  const root = target.id;
  if (!root) throw invalid('Must specify a task ID with --tree');
  await store.get(root);
  const tasks = await treeOf(store, root);
  const inTree = new Set(tasks);
  const agents = (await store.agents.list({ alive: true })).filter((agent) => inTree.has(agent.task_id));
  const open = await filterAsync(tasks, async (id) => {
    const row = await findTaskRow(store.core, id);
    return row !== undefined && !TERMINAL_STATUSES.includes(row.status);
  });
  const abandon = target.noAbandon ? [] : open;
  if (target.dryRun)
    return {
      killed: [],
      tree: { root, tasks, would_kill: agents, abandoned: abandon, no_abandon: target.noAbandon === true, dry_run: true },
      dry_run: true,
      root_task: root,
      agents_to_kill: agents.map(treeRun),
      tasks_to_abandon: abandon,
      total_tasks_in_tree: tasks.length,
    };
  const core = store.core;
  await core.write(async (rev) => {
    for (const agent of agents) {
      await store.agents.end(agent.id, { state: 'killed', ended_at: core.nowIso(), exit_code: null, reason: 'killed (tree)' }, rev);
    }
    for (const id of abandon) {
      const row = await findTaskRow(core, id);
      if (!row || TERMINAL_STATUSES.includes(row.status)) continue;
      await transition(
        core,
        row,
        { status: 'abandoned', assigned: null, completed_at: core.nowIso(), failure_reason: `Tree-killed from root task '${root}'` },
        rev,
      );
      await appendLog(core, id, actor, `Tree-killed: abandoned as part of cascade from '${root}'`);
    }
    // Not abandoned: a task whose run was killed goes back to the queue, as a plain kill leaves it.
    if (target.noAbandon) {
      for (const agent of agents) {
        const row = await findTaskRow(core, agent.task_id);
        if (row && row.status === 'in-progress' && row.assigned === agent.id) {
          await reopen(core, row, rev);
          await appendLog(core, agent.task_id, actor, `Agent ${agent.id} killed; task unclaimed`);
        }
      }
    }
  });
  const { local, elsewhere } = await splitByOwner(store, paths, agents);
  const { errors } = await killLocal(store, paths, local, target.force);
  const killed = await Promise.all(agents.map((a) => store.agents.get(a.id)));
  return {
    killed,
    ...(elsewhere.length > 0 ? { elsewhere } : {}),
    tree: { root, tasks, would_kill: [], abandoned: abandon, no_abandon: target.noAbandon === true, dry_run: false },
    root_task: root,
    // Upstream's killed_agents are the runs it stopped (or found gone); every run here is ended in the store, and a run
    // of which something still runs is in `errors` too, as upstream's failed kills are.
    killed_agents: killed.map(treeRun),
    abandoned_tasks: abandon,
    total_tasks_in_tree: tasks.length,
    errors,
  };
}
