import { sql } from 'kysely';
import type { AgentState } from '../../shared/agent';
import { WgError } from '../../shared/errors';
import type { StoreCore } from './store-core';
import type { TaskRow } from './rows';
import { inFlight } from './in-flight';
import { appendLog, touch } from './task-writes';

/**
 * Who sends a report about a task: a person (no agent identity: `wg done ID` in a terminal, the
 * window), or an agent: `WG_AGENT_ID` (or `--agent A`) with the run id its run was given
 * (`WG_RUN_ID`), which only a run of this coordinator has.
 */
export type Reporter = { kind: 'person' } | { kind: 'agent'; agentId: string; runId: string | null };

export const PERSON: Reporter = { kind: 'person' };

export type ReportKind = 'done' | 'fail' | 'log' | 'artifact' | 'heartbeat';

/** A run the coordinator started and watches; only it may report on its task while it runs. */
interface RunRow {
  id: string;
  /** What the run is for: `chat` is the coordinator agent's, which reports on no task's work. */
  purpose: string;
  state: AgentState;
  run_id: string | null;
  runs_elsewhere: number;
  launch: string | null;
}

/** The run holding a task, when one of ours holds it. */
export interface Holder {
  id: string;
  state: AgentState;
  /** It runs elsewhere: an http service, an external tool or an agent daemon, no local process. */
  runsElsewhere: boolean;
  /** Ours to supervise: a local process, an http service or an agent daemon we handed the task to (not an external claim). */
  supervised: boolean;
  /** A job on an agent daemon: a process there, whose end its daemon reports. */
  daemonJob: boolean;
}

/** The coordinator agent (a chat run) plans and steers the graph's work: it reports on none of it. */
const COORDINATOR_AGENT_REPORTS =
  "the coordinator agent plans and steers the graph's work; a report on a task's work is its own agent's, or a person's to make";

export type Verdict = { ok: true; holder: Holder | null } | { ok: false; reason: string };

async function runRow(core: StoreCore, id: string): Promise<RunRow | undefined> {
  return core.get<RunRow>(
    core.build.selectFrom('agents').select(['id', 'purpose', 'state', 'run_id', 'runs_elsewhere', 'launch']).where('id', '=', id),
  );
}

/** The kind a run was launched as (its launch record); a run elsewhere without one was an external claim. */
function launchKind(launch: string | null): string {
  try {
    const kind = (JSON.parse(launch ?? '{}') as { kind?: unknown }).kind;
    return typeof kind === 'string' ? kind : 'external';
  } catch {
    return 'external';
  }
}

/** `own`: the reporting run's row, already asked for: when that run holds the task, it is the holder's row too. */
async function holderOf(
  core: StoreCore,
  task: TaskRow,
  own: { id: string; row: Promise<RunRow | undefined> } | null,
): Promise<Holder | null> {
  if (task.status !== 'in-progress' || !task.assigned) return null;
  const row = await (own?.id === task.assigned ? own.row : runRow(core, task.assigned));
  if (!row) return null;
  // Ours to supervise unless it is an external claim: a local process, an http service, an agent daemon's run.
  const external = row.runs_elsewhere === 1 && launchKind(row.launch) === 'external';
  return {
    id: row.id,
    state: row.state,
    runsElsewhere: row.runs_elsewhere === 1,
    supervised: row.state === 'working' && !external,
    daemonJob: row.runs_elsewhere === 1 && launchKind(row.launch) === 'remote',
  };
}

const describeTask = (task: TaskRow) =>
  task.status === 'in-progress' && task.assigned ? `in progress with ${task.assigned}` : task.status;

/**
 * THE ownership rule every report from an agent goes through (done, fail, log, artifact,
 * heartbeat; from the CLI, the API and the HTTP callbacks alike). Call inside a write.
 * - A run of ours (its run id given) may report only while it is working and holds the task;
 *   its run id must be the one its agent was given (no run reports for another).
 * - An agent identity without a run id (`wg done ID --agent A`, an external tool) may report on a
 *   task nobody holds, one held by that same identity, or one claimed by someone outside (seed
 *   001: wg accepts done from agents it did not spawn), but not while another run of ours holds it.
 * - A person may always report (and a settling report ends the holder's run).
 * A heartbeat concerns the run alone, whatever task it is on.
 */
export async function checkReport(
  core: StoreCore,
  reporter: Reporter,
  /** The task's row, or the read of it under way: the run's own agent is asked for with it (one round trip on PostgreSQL). */
  taskRead: TaskRow | null | Promise<TaskRow>,
  kind: ReportKind,
): Promise<Verdict> {
  const own =
    reporter.kind === 'agent' && reporter.runId !== null ? { id: reporter.agentId, row: inFlight(runRow(core, reporter.agentId)) } : null;
  const task = await taskRead;
  // A run reports on the task it holds: its own agent's row is the holder's, read once.
  const holder = task ? await holderOf(core, task, own) : null;
  const ownRun = await own?.row;
  if (reporter.kind === 'person') return { ok: true, holder };
  const { agentId, runId } = reporter;
  if (runId !== null) {
    const run = ownRun;
    if (!run) return { ok: false, reason: `no agent '${agentId}'` };
    if (run.run_id !== null && run.run_id !== runId) return { ok: false, reason: `this is not ${agentId}'s run (its run id differs)` };
    if (run.state !== 'working') return { ok: false, reason: `${agentId} is no longer working (${run.state})` };
    // Not a conflict over the task but what the run may do at all (run-authority.ts leaves reports to this rule).
    if (run.purpose === 'chat') throw new WgError('forbidden', COORDINATOR_AGENT_REPORTS);
    if (kind === 'heartbeat' || !task) return { ok: true, holder };
    // Its own task, even once it settled it (a note after `wg done`); never one taken from it or not its own.
    if (task.assigned !== agentId) return { ok: false, reason: `${agentId} does not hold task '${task.id}' (it is ${describeTask(task)})` };
    if ((kind === 'done' || kind === 'fail') && task.status !== 'in-progress')
      return { ok: false, reason: `task '${task.id}' is already ${task.status}` };
    return { ok: true, holder };
  }
  if (kind === 'heartbeat' || !task) {
    const run = await runRow(core, agentId);
    return run && run.state !== 'working' ? { ok: false, reason: `${agentId} is no longer working (${run.state})` } : { ok: true, holder };
  }
  if (holder?.supervised && holder.id !== agentId) return { ok: false, reason: `task '${task.id}' is held by ${holder.id}` };
  if (holder && holder.id === agentId && holder.state !== 'working')
    return { ok: false, reason: `${agentId} is no longer working (${holder.state})` };
  return { ok: true, holder };
}

/**
 * Records a refused report in the task's log (the attempt stays visible), changing nothing else;
 * once: the same refusal again (a stale run, or its credential, retrying in a loop) adds no line,
 * so nobody outside can grow a task's log without limit. Call inside a write; throw the conflict
 * after it commits.
 */
export async function noteRefusal(
  core: StoreCore,
  taskId: string,
  reporter: Reporter,
  kind: ReportKind,
  reason: string,
  rev: number,
): Promise<string> {
  const who = reporter.kind === 'agent' ? reporter.agentId : 'a person';
  const line = `Refused ${kind === 'heartbeat' ? 'a heartbeat' : `\`wg ${kind}\``} from ${who}: ${reason}`;
  const noted = await core.get(
    core.build
      .selectFrom('task_log')
      .select(sql.lit(1).as('one'))
      .where('task_id', '=', taskId)
      .where('actor', '=', 'coordinator')
      .where('message', '=', line)
      .limit(1),
  );
  if (noted === undefined) {
    await appendLog(core, taskId, 'coordinator', line, false);
    await touch(core, taskId, rev);
  }
  return `refused: ${reason}`;
}

/**
 * A report that settles the task also ends the run that held it, unless that run is the reporter
 * (a local agent's run ends when its process does, so its usage is still recorded): the holder's
 * state says how the task ended, and the coordinator stops a local process it still watches.
 * `untilExit`: the report leaves the task with the run (done, fail), so a job on an agent daemon
 * that reported it also runs on to its end, as a local process does; its daemon reports that end.
 */
export async function endHolder(
  core: StoreCore,
  holder: Holder | null,
  reporter: Reporter,
  state: AgentState,
  reason: string,
  rev: number,
  untilExit = false,
): Promise<void> {
  if (holder?.state !== 'working') return;
  const self = reporter.kind === 'agent' && reporter.agentId === holder.id;
  if (self && (!holder.runsElsewhere || (untilExit && holder.daemonJob))) return;
  await core.send(
    core.build
      .updateTable('agents')
      .set({ state, ended_at: core.nowIso(), reason: self ? null : reason, rev })
      .where('id', '=', holder.id)
      .where('state', '=', 'working'),
  );
}
