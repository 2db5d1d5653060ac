import { filterAsync } from '../../../shared/async-arrays';
import type { Agent, DeadAgentsUpstreamFields, ListedAgent, UpstreamDeadAgent } from '../../../shared/agent';
import { compactDuration } from '../../../shared/durations';
import type { DeadAgentsResult } from '../../../shared/service-types';
import { DEFAULT_SETTINGS, heartbeatTimeoutSeconds, loadSettings } from '../../config/settings';
import { readExitStatus, readRecordedPid, runFiles, type RunFiles } from '../../run-folder/run-files';
import { signalFromStatus } from '../../run-failures/failure-reason';
import type { ProjectPaths } from '../../project';
import { readServiceState } from '../../service-state/state-file';
import type { Store } from '../../store/store';
import { findTaskRow } from '../../store/task-reads';
import { appendLog, reopen } from '../../store/task-writes';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { processAlive, processStartMs } from '../../processes/process-group';
import { runHandle } from '../../run-folder/run-handle';
import { releaseEndedClaims } from '../watching/ended-claims';
import { removeRunFolder } from '../../run-folder/run-folders';
import { aliveRuns, killRuns, type RunHandle } from '../../processes/kill-runs';
import { splitByOwner } from '../../leases/run-owners';

/** Slack for /proc's start times (whole-second boot time) against the pid file's time. */
const START_SLACK_MS = 2000;

/**
 * Whether the run's process still runs: its pid is alive and, where the start time can be read,
 * that process started no later than the run recorded its pid. A pid the system gave to a new
 * process after the run died would otherwise keep a dead run "working" forever.
 */
function runAlive(pid: number, files: RunFiles | null): boolean {
  if (!processAlive(pid)) return false;
  const recorded = files ? statSync(files.pid, { throwIfNoEntry: false })?.mtimeMs : undefined;
  const started = processStartMs(pid);
  return recorded === undefined || started === null || started <= recorded + START_SLACK_MS;
}

/**
 * The exit status of a local run the store still calls working whose command has ended by itself (its wrapper wrote
 * the status and is gone), or null. Such a run is not dead and not for `wg kill`: it is judged as it ended (done, its
 * work merged) by the coordinator's monitor, or at its next start when none runs; until then it is said as ended.
 */
export function endedUnjudged(agent: Agent): number | null {
  if (agent.state !== 'working' || agent.runs_elsewhere || !agent.output_path) return null;
  const files = runFiles(agent.output_path);
  const status = readExitStatus(files);
  // A status of a signal's is a run killed while no coordinator ran: dead, as deathOf says, not ended by itself.
  if (status === null || signalFromStatus(status) !== null) return null;
  const pid = agent.pid ?? readRecordedPid(files);
  return pid !== null && runAlive(pid, files) ? null : status;
}

/** A coordinator runs for the project (its state file names a live process). */
export function coordinatorRuns(paths: ProjectPaths): boolean {
  const state = readServiceState(paths);
  return state !== null && processAlive(state.pid);
}

/** A dead run, and whether anything it started still runs (its wrapper gone, its command not). */
interface Death {
  reason: string;
  /** What of the run still runs, to be stopped before its task goes back to the queue; null when nothing does. */
  leftovers: RunHandle | null;
}

/** The run's processes beyond its wrapper: its cgroup, its process group, or any process with its marker. */
async function stillRunning(store: Store, paths: ProjectPaths, agent: Agent): Promise<RunHandle | null> {
  const handle = await runHandle(store, paths, agent);
  return aliveRuns([handle]).length > 0 ? handle : null;
}

/**
 * Why an agent the store calls working is dead, or null. A local run whose process is gone without
 * leaving an exit status crashed or was killed (one that finished has its status, which a
 * coordinator records). The wrapper is not the whole run: with it killed, its command may still run
 * (in its process group, its cgroup, carrying its marker), and that is said, and stopped before a
 * cleanup requeues the task. A remote agent is dead when its heartbeat is older than
 * heartbeat_timeout; that is judged only when no coordinator runs, since one that runs judges it with
 * its retries.
 */
async function deathOf(store: Store, paths: ProjectPaths, agent: Agent, heartbeatMs: number | null, now: number): Promise<Death | null> {
  if (!agent.runs_elsewhere) {
    const files = agent.output_path ? runFiles(agent.output_path) : null;
    const pid = agent.pid ?? (files ? readRecordedPid(files) : null);
    if (pid === null || runAlive(pid, files)) return null;
    const status = files ? readExitStatus(files) : null;
    const leftovers = await stillRunning(store, paths, agent);
    if (status === null) {
      return leftovers
        ? { reason: `process ${pid} is gone, but the command it ran still runs`, leftovers }
        : { reason: `process ${pid} is gone`, leftovers: null };
    }
    // Killed while no coordinator ran (its wrapper, which outlived the command, wrote the status): nobody
    // will record it before the next start. A run that exited by itself is judged at that start
    // (its merge, its evidence of work), so it is left to it.
    const signal = signalFromStatus(status);
    return signal !== null && heartbeatMs !== null
      ? { reason: `process ${pid} was killed (${signal}) while no coordinator ran`, leftovers }
      : null;
  }
  if (heartbeatMs === null) return null;
  const last = Date.parse(agent.last_heartbeat ?? agent.started_at);
  return now - last > heartbeatMs ? { reason: `no heartbeat for ${Math.round((now - last) / 60_000)} min`, leftovers: null } : null;
}

async function heartbeatLimitMs(paths: ProjectPaths): Promise<number> {
  let settings = DEFAULT_SETTINGS;
  try {
    settings = (await loadSettings(paths)).settings;
  } catch {
    // An unreadable config.toml (wg config names it) leaves the documented default.
  }
  return heartbeatTimeoutSeconds(settings) * 1000;
}

/**
 * Which of these working agents are dead, and why (see deathOf). `thresholdMinutes`: upstream's
 * `--threshold`, the heartbeat limit instead of the project's heartbeat_timeout.
 */
async function foundDead(
  store: Store,
  paths: ProjectPaths,
  working: Agent[],
  thresholdMinutes?: number,
): Promise<Array<{ agent: Agent } & Death>> {
  if (working.length === 0) return [];
  const now = Date.now();
  const limitMs = thresholdMinutes === undefined ? await heartbeatLimitMs(paths) : thresholdMinutes * 60_000;
  const heartbeatMs = coordinatorRuns(paths) ? null : limitMs;
  return (
    await Promise.all(
      working.map(async (agent) => {
        const death = await deathOf(store, paths, agent, heartbeatMs, now);
        return death ? [{ agent, ...death }] : [];
      }),
    )
  ).flat();
}

/**
 * `wg agents`: the store's agents, where those it still calls working are found dead (by their pids,
 * with no coordinator running to record it) shown as dead with the reason, without writing anything:
 * `wg dead-agents --cleanup` (or the next coordinator) records it. Each with upstream's `--json` fields (listedRun).
 */
export async function listAgents(
  store: Store,
  paths: ProjectPaths,
  filter: { alive?: boolean; dead?: boolean; working?: boolean; idle?: boolean; limit?: number },
): Promise<ListedAgent[]> {
  // Upstream's idle: alive but not working on a task. A run here works from its start to its end, so none is.
  if (filter.idle && !filter.alive && !filter.dead && !filter.working) return [];
  const states = new Set<Agent['state']>([
    ...(filter.alive || filter.working ? ['working' as const] : []),
    ...(filter.dead ? ['dead' as const] : []),
  ]);
  // Every run: a working one found dead moves from one filter to the other, and a killed one is dead, as upstream says.
  // Unfiltered with a limit, only the newest: a long-lived project's history is tens of thousands of runs.
  const agents = states.size === 0 && filter.limit !== undefined ? await store.agents.newest(filter.limit) : await store.agents.list({});
  // Another coordinator's runs (a team's graph) are its own to judge, on its machine.
  const { local } = await splitByOwner(
    store,
    paths,
    agents.filter((a) => a.state === 'working'),
  );
  const dead = new Map((await foundDead(store, paths, local)).map((f) => [f.agent.id, f.reason]));
  const judged = new Set(local.map((a) => a.id));
  const now = Date.now();
  const seen = agents.map((a) => {
    const reason = dead.get(a.id);
    const run = reason === undefined ? a : { ...a, state: 'dead' as const, reason };
    return listedRun(paths, run, reason !== undefined, judged.has(a.id), now);
  });
  if (states.size === 0) return seen;
  // Upstream's filters, by the effective status (its is_effectively_alive and _dead): alive is working with its
  // process running; dead is every run the status calls dead (a killed one too), as the summary line counts them.
  const chosen = seen.filter(
    (a) => (states.has('dead') && a.status.startsWith('dead')) || (states.has('working') && a.state === 'working' && a.process_alive),
  );
  return filter.limit === undefined ? chosen : chosen.slice(-filter.limit);
}

/**
 * A run with upstream's `wg agents --json` fields (its output_json), from this app's record:
 * - `status`: upstream's effective_status. A working run found dead is "dead (process exited)" as there when its local
 *   process is gone; one run elsewhere found dead by its old heartbeat is "dead" (no process of it was looked at). A
 *   killed run is "dead": upstream's `wg agents kill` marks a killed run Dead, and its `wg kill` removes it from the
 *   list (there is no killed status there).
 * - `process_alive`: for a working run this folder judges by its pid, whether that process runs (runAlive: a pid given
 *   to a new process since does not count); with no pid recorded yet it is being started, so true, as deathOf counts
 *   it alive. A run whose process is not on this machine (an agent daemon's, an HTTP agent's, another coordinator's)
 *   cannot be looked at: true while it is judged working, by its heartbeat or its coordinator. An ended run: false, as
 *   a run ends here only once its process has exited (done, failed), been found gone (dead) or been stopped by the
 *   SIGKILL rounds (killed); looking up its old pid would mostly find another process.
 * - `uptime`, `uptime_secs`: upstream's uptime_human and uptime_secs, the time since the run started (upstream's do not
 *   stop at a run's end either).
 * - `output_file`: the file its output is written to, the run folder's stdout (upstream's `.wg/agents/<id>/output.log`
 *   holds the same, the executor's own output); for a run elsewhere, only when that file is on this machine.
 */
function listedRun(paths: ProjectPaths, agent: Agent, foundDeadNow: boolean, byPid: boolean, now: number): ListedAgent {
  const files = runFiles(agent.output_path ?? join(paths.runsDir, agent.id));
  let processAliveNow = agent.state === 'working';
  if (processAliveNow && byPid && !agent.runs_elsewhere) {
    const pid = agent.pid ?? readRecordedPid(files);
    processAliveNow = pid === null || runAlive(pid, files);
  }
  const started = Date.parse(agent.started_at);
  const uptimeSecs = Number.isNaN(started) ? null : Math.floor((now - started) / 1000);
  // Only a run whose process is gone may have ended by itself: a live one's files are not read again.
  const exited = byPid && !processAliveNow ? endedUnjudged(agent) : null;
  const status = foundDeadNow
    ? agent.runs_elsewhere
      ? 'dead'
      : 'dead (process exited)'
    : agent.state === 'killed'
      ? 'dead'
      : exited !== null
        ? `ended (exit ${exited}), not judged yet`
        : agent.state;
  return {
    ...agent,
    status,
    process_alive: processAliveNow,
    uptime: uptimeSecs === null ? 'unknown' : compactDuration(Math.max(0, uptimeSecs)),
    uptime_secs: uptimeSecs,
    output_file: !agent.runs_elsewhere || existsSync(files.stdout) ? files.stdout : null,
  };
}

/**
 * A dead run in upstream's `wg dead-agents --json` lists. Upstream's registry starts a run's last_heartbeat at its
 * start, so a run never heard from counts from its start here too; seconds_since_heartbeat is null when that time
 * cannot be read (upstream's check prints null then).
 */
function upstreamDead(agent: Agent, now: number): UpstreamDeadAgent {
  const last = agent.last_heartbeat ?? agent.started_at;
  const at = Date.parse(last);
  return {
    id: agent.id,
    task_id: agent.task_id,
    pid: agent.pid,
    last_heartbeat: last,
    seconds_since_heartbeat: Number.isNaN(at) ? null : Math.floor((now - at) / 1000),
  };
}

/**
 * Lists dead agents: those marked dead, and those the store still calls working whose process is
 * gone (found by their pids, so it works with no coordinator running). `cleanup` stops what any of
 * them left running (a command whose wrapper was killed), then marks them dead and requeues the
 * tasks they hold, and any task held by a run that ended otherwise; a task whose run could not be
 * stopped is not requeued (it would run twice).
 * `purge` forgets the dead rows.
 */
export async function deadAgents(
  store: Store,
  paths: ProjectPaths,
  options: DeadAgentOptions,
  actor: string,
): Promise<DeadAgentsResult & DeadAgentsUpstreamFields> {
  // A team's graph: another coordinator's runs ran on its machine, where their pids mean something; they are
  // left to it (or, its coordinator lost, to the coordinators that take them over), and said so.
  const { local: working, elsewhere: owned } = await splitByOwner(store, paths, await store.agents.list({ working: true }));
  const elsewhere = owned.length > 0 ? { elsewhere: owned } : {};
  const found = await foundDead(store, paths, working, options.threshold);
  const marked = await store.agents.list({ dead: true });
  const listed = [...marked, ...found.map(({ agent, reason }) => ({ ...agent, state: 'dead' as const, reason }))];
  // Upstream's threshold_minutes: --threshold, else the project's heartbeat_timeout (in minutes, as config.toml has it).
  const thresholdMinutes = options.threshold ?? (await heartbeatLimitMs(paths)) / 60_000;
  const now = Date.now();
  // Upstream's `--remove`: forget the dead runs, which is this app's --purge (done and failed runs are their record).
  const purge = options.purge === true || options.remove === true;
  if (options.processes && !purge) {
    const processes = processCheck(working, found);
    // Upstream's run_check_processes prints its two lists at the top level.
    return { dead: listed, cleaned: 0, purged: 0, processes, alive: processes.alive, dead_process: processes.dead_process, ...elsewhere };
  }
  if (!options.cleanup && !purge) {
    // Upstream's run_check lists the runs its --cleanup would mark dead: those found dead now, not those marked before
    // (its find_dead_agents looks only at runs the registry calls alive), so dead_count is 0 once they are cleaned up.
    const deadAgents = found.map((f) => upstreamDead(f.agent, now));
    return {
      dead: listed,
      cleaned: 0,
      purged: 0,
      threshold_minutes: thresholdMinutes,
      dead_count: deadAgents.length,
      dead_agents: deadAgents,
      ...elsewhere,
    };
  }
  // Before any task goes back to the queue: nothing of its dead run may still be at work. (Of the rows
  // marked dead, only those whose task would be requeued are looked at: one scan for all of them; another
  // coordinator's are not looked for here, where their pids are other processes.)
  const { local: markedHere } = await splitByOwner(store, paths, marked);
  const holding = await filterAsync(markedHere, async (agent) => {
    const row = await findTaskRow(store.core, agent.task_id);
    return !agent.runs_elsewhere && row?.status === 'in-progress' && row.assigned === agent.id;
  });
  const handles = new Map(await Promise.all(holding.map(async (agent) => [agent.id, await runHandle(store, paths, agent)] as const)));
  const alive = new Set(aliveRuns([...handles.values()]));
  const leftovers = [
    ...found.flatMap((f) => (f.leftovers ? [{ agent: f.agent, handle: f.leftovers }] : [])),
    ...holding.flatMap((agent) => {
      const handle = handles.get(agent.id);
      return handle && alive.has(handle) ? [{ agent, handle }] : [];
    }),
  ];
  const unstopped = new Set<string>();
  // Upstream's `errors`: what this cleanup could not do, one line a run.
  const errors: string[] = [];
  for (const { agent, handle } of leftovers) {
    if (await killRuns([handle])) continue;
    unstopped.add(agent.id);
    errors.push(`${agent.id}: what it left running could not be stopped; task '${agent.task_id}' not requeued`);
  }
  const core = store.core;
  return core.write(async (rev) => {
    const at = core.nowIso();
    // Only while still working: a coordinator may have judged it meanwhile.
    const ended = await filterAsync(
      found,
      async ({ agent, reason }) =>
        !unstopped.has(agent.id) && (await store.agents.end(agent.id, { state: 'dead', ended_at: at, exit_code: null, reason }, rev)),
    );
    const requeued: string[] = [];
    for (const agent of [...marked, ...ended.map((f) => f.agent)]) {
      if (unstopped.has(agent.id)) continue;
      // A dead run outlives its task (`wg gc`, `wg archive`, a task upstream's wg removed): nothing to requeue then, and
      // the other runs are still cleaned up and purged, as upstream's cleanup goes on past a task it cannot find.
      const row = await findTaskRow(core, agent.task_id);
      if (row?.status === 'in-progress' && row.assigned === agent.id) {
        await reopen(core, row, rev);
        const death = ended.find((f) => f.agent.id === agent.id);
        const stopped = death?.leftovers ? '; what it left running was stopped' : '';
        await appendLog(
          core,
          agent.task_id,
          actor,
          `Dead agent ${agent.id} cleaned up${death ? ` (${death.reason}${stopped})` : ''}; task requeued`,
        );
        requeued.push(agent.task_id);
      }
    }
    // Upstream's words for a run just marked dead whose task is gone; it goes on past it, as this does.
    for (const { agent } of ended) {
      if (!(await findTaskRow(core, agent.task_id))) errors.push(`Task '${agent.task_id}' not found for dead agent '${agent.id}'`);
    }
    // A task still in progress on a run that ended otherwise (done, failed, killed) is held by nobody either.
    requeued.push(...(await releaseEndedClaims(core, actor, rev, unstopped)));
    const forgotten = purge ? (await store.agents.list({ dead: true })).map((a) => a.id) : [];
    const purged = purge ? await store.agents.purgeDead() : 0;
    // Upstream's --delete-dirs: the purged runs' folders go too (their output, their prompt).
    const dirs = options.deleteDirs ? forgotten.filter((id) => removeRunFolder(paths.runsDir, id)) : undefined;
    const mine = {
      dead: await Promise.all(listed.map(async (a) => (await store.agents.find(a.id)) ?? a)),
      cleaned: requeued.length,
      purged,
      ...elsewhere,
    };
    // The fields of upstream's mode that does what this did: --purge (run_purge; `errors` here are this cleanup's, as a
    // folder that cannot be removed fails the command), else --remove (run_remove_dead), else --cleanup (run_cleanup).
    // (A purge here cleans up first, which upstream's does not; its fields say what was purged.)
    if (options.purge) return { ...mine, purged_from_registry: forgotten, dirs_deleted: dirs ?? [], errors };
    if (options.remove) return { ...mine, removed: forgotten };
    return {
      ...mine,
      threshold_minutes: thresholdMinutes,
      // Upstream's dead_agents_marked and dead_agents: the runs this cleanup marked dead (not those marked before).
      dead_agents_marked: ended.length,
      // Every task this cleanup put back in the queue (this app's `cleaned` counts the same).
      tasks_unclaimed: requeued,
      dead_agents: ended.map((f) => upstreamDead(f.agent, now)),
      errors,
    };
  });
}

/** What `wg dead-agents` may be asked (upstream's flags). */
export interface DeadAgentOptions {
  cleanup?: boolean;
  purge?: boolean;
  remove?: boolean;
  processes?: boolean;
  deleteDirs?: boolean;
  threshold?: number;
}

/** Upstream's `--processes`: each working local run, its process running or not. */
function processCheck(working: readonly Agent[], found: ReadonlyArray<{ agent: Agent }>): NonNullable<DeadAgentsResult['processes']> {
  const dead = new Set(found.map((f) => f.agent.id));
  const local = working.filter((a) => !a.runs_elsewhere);
  const entry = (a: Agent) => ({ id: a.id, task_id: a.task_id, pid: a.pid });
  return { alive: local.filter((a) => !dead.has(a.id)).map(entry), dead_process: local.filter((a) => dead.has(a.id)).map(entry) };
}
