import {
  usesSlot,
  type Action,
  type AgentView,
  type Decision,
  type FoundRun,
  type RunEnd,
  type SchedulerEvent,
  type SchedulerState,
  type SettleAction,
} from './scheduler-types';
import { deadlineOf, expiredEvent } from './deadlines';
import { retryBudget } from '../../shared/retry-budget';
import { cannotWork, failureDetail, failureReason, type ReasonContext } from '../run-failures/failure-reason';
import { isContextOverflow, serverSideFailure } from '../run-failures/api-failures';

/**
 * The coordinator's rules as one pure function: a snapshot of the state and one event in, the
 * actions to perform out. No clock, no I/O: the engine feeds `now_ms` and performs the actions.
 */
export function decide(state: SchedulerState, event: SchedulerEvent): Decision {
  switch (event.type) {
    case 'tick':
    case 'changed':
      return onTick(state);
    case 'exited':
      return only(onExit(state, event.agent, event));
    case 'heartbeat-timeout':
      return only(onDead(state, event.agent, `no heartbeat for ${state.heartbeat_timeout_s}s`));
    case 'run-timeout':
      return only(onRunTimeout(event.agent, event.after_s ?? event.agent.timeout_s));
    case 'launch-failed':
      return only(onLaunchFailed(state, event.agent, event.reason, event.lasting === true));
    case 'started':
      return only(event.found.flatMap(onFound));
    case 'triaged':
      return only(onTriaged(state, event.agent, event.verdict, event.reason));
    case 'lease-lost':
      return only(onDead(state, event.agent, event.reason));
    case 'deferred':
      return only(onDeferred(event.agent, event.reason));
  }
}

const only = (actions: Action[]): Decision => ({ actions, wake_at_ms: null });

const SETTLING: ReadonlySet<Action['type']> = new Set<SettleAction['type']>(['complete', 'fail', 'retry', 'requeue', 'end-agent']);

/** Whether the action ends a run (while it is still working): it may make tasks ready. */
export const isSettling = (action: Action): action is SettleAction => SETTLING.has(action.type);

/** The task still waits on this agent: it is in progress and assigned to it. */
function ownsTask(agent: AgentView): boolean {
  return agent.task.status === 'in-progress' && agent.task.assigned === agent.id;
}

/** External agents are people or systems outside, agent daemons have their own capacity, internal runs serve the coordinator: none uses a local slot. */
function countsTowardLimit(agent: AgentView): boolean {
  return usesSlot(agent.kind) && !agent.internal;
}

/** The reason an exit 0 without `wg done` is not taken as done (upstream's wrapper says much the same). */
export const NO_WORK_REASON = 'agent exited without reporting or changing anything';

/**
 * Slots left: this coordinator's own max_agents, and on a team's graph what the team's cap leaves of the others'
 * runs, within its fair share of the cap (so a coordinator that settles a run does not always take the freed slot).
 */
function freeSlots(state: Pick<SchedulerState, 'max_agents' | 'team'>, busy: number): number {
  const own = state.max_agents - busy;
  if (!state.team) return own;
  const { max_agents, others_busy, share } = state.team;
  return Math.min(own, max_agents - others_busy - busy, (share ?? max_agents) - busy);
}

function onTick(state: SchedulerState): Decision {
  const actions: Action[] = [];
  const ended = new Set<string>();
  let wake: number | null = null;
  const working = new Set(state.working.map((agent) => agent.id));
  // A run the store no longer counts as working (killed, its task settled by someone else) is stopped.
  for (const id of state.watched) if (!working.has(id)) actions.push({ type: 'kill', agent_id: id });
  for (const agent of state.working) {
    const expired = expiredEvent(agent, state);
    if (expired) {
      for (const action of decide(state, expired).actions) actions.push(action);
      ended.add(agent.id);
      continue;
    }
    const deadline = deadlineOf(agent, state);
    if (deadline !== null && (wake === null || deadline < wake)) wake = deadline;
  }
  if (state.paused) return { actions, wake_at_ms: wake };
  const busy = state.working.filter((a) => !ended.has(a.id) && countsTowardLimit(a)).length;
  let slots = freeSlots(state, busy);
  for (const task of state.ready) {
    if (slots <= 0) break;
    if (task.unlaunchable !== null) {
      actions.push({ type: 'fail', agent_id: null, task_id: task.id, reason: task.unlaunchable, agent_state: 'failed', exit_code: null });
      continue;
    }
    if (task.manual || task.remote || task.held) continue;
    // Held back while the assigner picks its identity: it takes no slot this turn, so the next ready task may.
    if (task.needs_identity) {
      actions.push({ type: 'assign', task_id: task.id });
      continue;
    }
    actions.push({ type: 'launch', task_id: task.id });
    slots--;
  }
  return { actions, wake_at_ms: wake };
}

function onExit(state: SchedulerState, agent: AgentView, end: RunEnd): Action[] {
  const { code } = end;
  // Someone else already settled this run (wg kill, a timeout): the exit is only an echo.
  if (agent.state !== 'working') return [];
  if (agent.internal)
    return [
      {
        type: 'end-agent',
        agent_id: agent.id,
        state: code === 0 ? 'done' : 'failed',
        exit_code: code,
        reason: code === 0 ? null : failureReason(end, reasonContext(agent, end)),
      },
    ];
  if (!ownsTask(agent)) return [{ type: 'end-agent', ...endAsTask(agent, end) }];
  // A rate limit or quota is no fault of the work: the task waits until it lifts, without using a retry.
  if (end.rate_limit) {
    const reason = `${end.rate_limit.message}; retrying after ${new Date(end.rate_limit.reset_at_ms).toISOString()}`;
    return [
      {
        type: 'requeue',
        agent_id: agent.id,
        task_id: agent.task.id,
        reason,
        forget_session: false,
        not_before_ms: end.rate_limit.reset_at_ms,
      },
    ];
  }
  // Nothing of the work was tried: no retry is used (a coordinator killed mid-start would cost one).
  if (code === null && end.never_began)
    return onDeferred(agent, 'its start was cut short (the coordinator stopped while starting it); started again, using no retry');
  if (code === null) return onDead(state, agent, end.signal ? `agent died (${end.signal})` : 'agent process vanished without an exit code');
  // A start that cannot work until something changes (the CLI not installed, Claude Code as root):
  // failed once with what to do, counting no retry, as a launch that cannot work.
  if (code !== 0 && cannotWork(end)) return [exitFailure(agent, end, code, false)];
  if (code === 0) {
    if (end.evidence === false)
      return [
        {
          type: 'fail',
          agent_id: agent.id,
          task_id: agent.task.id,
          reason: end.no_evidence_reason ?? NO_WORK_REASON,
          agent_state: 'failed',
          exit_code: 0,
          attempt: true,
        },
      ];
    return [{ type: 'complete', agent_id: agent.id, task_id: agent.task.id, exit_code: 0 }];
  }
  // `--resume` could not load the session (not the work failing): start over without it.
  if (end.resume_failed) {
    return [
      {
        type: 'requeue',
        agent_id: agent.id,
        task_id: agent.task.id,
        reason: `resuming the session failed (exit code ${code}); starting fresh`,
        forget_session: true,
      },
    ];
  }
  // The model API failed on its side (a 500, a 529): no fault of the work, so it is tried again.
  const serverSide = serverSideFailure(end.account);
  if (serverSide !== null) return onServerSide(state, agent, end, code, serverSide);
  // Upstream's wrapper settles a nonzero exit with `wg fail`, which counts the attempt in retry_count: so does this.
  return [exitFailure(agent, end, code, true)];
}

/** The first retry after the model API failed on its side waits this long, each next one twice as long, up to API_BACKOFF_MAX_MS. */
const API_BACKOFF_MS = 30_000;
const API_BACKOFF_MAX_MS = 10 * 60_000;

/**
 * A run the model API failed on its side (the CLI's own retries spent): retried after a wait that doubles each
 * time, counted against the task's retry budget as a dead run's retry is, so `wg show`'s "Retries 1 of 3" is
 * a retry that happens; with none left, failed with the reason.
 */
function onServerSide(state: SchedulerState, agent: AgentView, end: RunEnd, code: number, what: string): Action[] {
  const max = retryBudget(agent.task.max_retries, state.default_max_retries);
  if (agent.task.retry_count >= max) {
    const failed = exitFailure(agent, end, code, false);
    return [failed.type === 'fail' ? { ...failed, reason: `${failed.reason}; no retries left (${max})` } : failed];
  }
  const next = agent.task.retry_count + 1;
  const wait = Math.min(API_BACKOFF_MAX_MS, API_BACKOFF_MS * 2 ** agent.task.retry_count);
  return [
    {
      type: 'retry',
      agent_id: agent.id,
      task_id: agent.task.id,
      retry_count: next,
      reason: `the model API failed on its side (${what}); retry ${next} of ${max} in ${Math.round(wait / 1000)} s`,
      not_before_ms: state.now_ms + wait,
      agent_state: 'failed',
      exit_code: code,
    },
  ];
}

/** The task failed by its run's nonzero exit, with the reason and, for its log, what the run printed. */
function exitFailure(agent: AgentView, end: RunEnd, code: number, attempt: boolean): Action {
  const detail = failureDetail(end);
  return {
    type: 'fail',
    agent_id: agent.id,
    task_id: agent.task.id,
    reason: failureReason(end, reasonContext(agent, end)),
    agent_state: 'failed',
    exit_code: code,
    ...(attempt ? { attempt: true } : {}),
    ...(detail === null ? {} : { detail }),
    ...(isContextOverflow(end.account) ? { forget_session: true } : {}),
  };
}

/**
 * How a run whose task it no longer holds ends: as the task ended when the run settled it itself
 * (`wg fail` then exit 0 is a failed run, not a done one), else by its exit.
 */
function endAsTask(
  agent: AgentView,
  end: RunEnd,
): { agent_id: string; state: 'done' | 'failed'; exit_code: number | null; reason: string | null } {
  const settledByIt = agent.task.assigned === agent.id;
  if (settledByIt && agent.task.status === 'failed')
    return { agent_id: agent.id, state: 'failed', exit_code: end.code, reason: agent.task.failure_reason ?? 'the agent reported failure' };
  if (settledByIt && agent.task.status === 'done') return { agent_id: agent.id, state: 'done', exit_code: end.code, reason: null };
  return {
    agent_id: agent.id,
    state: end.code === 0 ? 'done' : 'failed',
    exit_code: end.code,
    reason: end.code === 0 ? null : failureReason(end, reasonContext(agent, end)),
  };
}

const reasonContext = (agent: AgentView, end: RunEnd): ReasonContext => ({ taskId: agent.task.id, daemon: end.daemon ?? null });

/** The first retry of a start that failed waits this long, each next one twice as long, up to LAUNCH_BACKOFF_MAX_MS. */
const LAUNCH_BACKOFF_MS = 5_000;
const LAUNCH_BACKOFF_MAX_MS = 5 * 60_000;

/**
 * A run that did not start. One that cannot work until something changes (no commit yet, a CLI not
 * installed) fails its task at once with the reason, using no retry; any other is retried as a dead
 * run is (nothing ran: no triage), each retry waiting longer, so a start failing in milliseconds
 * does not burn every retry at once.
 */
function onLaunchFailed(state: SchedulerState, agent: AgentView, reason: string, lasting: boolean): Action[] {
  if (lasting && agent.state === 'working' && ownsTask(agent)) {
    return [{ type: 'fail', agent_id: agent.id, task_id: agent.task.id, reason, agent_state: 'failed', exit_code: null }];
  }
  const wait = Math.min(LAUNCH_BACKOFF_MAX_MS, LAUNCH_BACKOFF_MS * 2 ** agent.task.retry_count);
  return onDead(state, agent, `launch failed: ${reason}`, false, state.now_ms + wait);
}

/** A run that stopped without finishing: retried while retries remain, then failed with the reason. */
function onDead(state: SchedulerState, agent: AgentView, reason: string, triage = state.auto_triage, notBeforeMs?: number): Action[] {
  if (agent.state !== 'working') return [];
  if (!ownsTask(agent)) return [{ type: 'end-agent', agent_id: agent.id, state: 'dead', exit_code: null, reason }];
  if (triage) return [{ type: 'triage', agent_id: agent.id, task_id: agent.task.id, reason }];
  const max = retryBudget(agent.task.max_retries, state.default_max_retries);
  if (agent.task.retry_count < max) {
    const next = agent.task.retry_count + 1;
    const retry: Action = {
      type: 'retry',
      agent_id: agent.id,
      task_id: agent.task.id,
      retry_count: next,
      reason: `${reason}; retry ${next} of ${max}`,
    };
    return [notBeforeMs === undefined ? retry : { ...retry, not_before_ms: notBeforeMs }];
  }
  return [
    {
      type: 'fail',
      agent_id: agent.id,
      task_id: agent.task.id,
      reason: `${reason}; no retries left (${max})`,
      agent_state: 'dead',
      exit_code: null,
    },
  ];
}

/** Requeued without counting a retry; a run no longer holding its task only ends. */
function onDeferred(agent: AgentView, reason: string): Action[] {
  if (agent.state !== 'working') return [];
  if (!ownsTask(agent)) return [{ type: 'end-agent', agent_id: agent.id, state: 'failed', exit_code: null, reason }];
  return [{ type: 'requeue', agent_id: agent.id, task_id: agent.task.id, reason, forget_session: false }];
}

/** "timed out after 90 s", "… after 30 minutes": how long the run was let go, in words. */
export function timedOut(seconds: number | null): string {
  if (seconds === null) return 'timed out';
  const s = Math.round(seconds);
  if (s < 120) return `timed out after ${s} s`;
  if (s < 3 * 3600) return `timed out after ${Math.round(s / 60)} minutes`;
  return `timed out after ${Math.round(s / 360) / 10} hours`;
}

function onRunTimeout(agent: AgentView, afterS: number | null): Action[] {
  if (agent.state !== 'working') return [];
  const reason = timedOut(afterS);
  const settle: Action = ownsTask(agent)
    ? { type: 'fail', agent_id: agent.id, task_id: agent.task.id, reason, agent_state: 'failed', exit_code: null, attempt: true }
    : { type: 'end-agent', agent_id: agent.id, state: 'failed', exit_code: null, reason };
  // Settle first so the exit that the kill causes is recognised as an echo.
  return agent.kind === 'process' ? [settle, { type: 'kill', agent_id: agent.id }] : [settle];
}

/**
 * Local runs are adopted: the monitor reads what they printed meanwhile and reports their exit,
 * if they ended, like any other. An internal run has lost whoever waited for its answer: stopped
 * (whoever needs it asks again). Remote runs are simply kept; their deadlines apply.
 */
function onFound(run: FoundRun): Action[] {
  const { agent } = run;
  if (agent.state !== 'working') return [];
  if (agent.internal)
    return [
      { type: 'end-agent', agent_id: agent.id, state: 'dead', exit_code: null, reason: 'coordinator restarted' },
      { type: 'kill', agent_id: agent.id },
    ];
  return agent.kind === 'process' ? [{ type: 'adopt', agent_id: agent.id }] : [];
}

/** Done: the report was all that was missing. Running: only a remote agent can still be at work. Else: the retry rule. */
function onTriaged(state: SchedulerState, agent: AgentView, verdict: 'done' | 'running' | 'restart', reason: string): Action[] {
  if (agent.state !== 'working') return [];
  if (verdict === 'done' && ownsTask(agent)) return [{ type: 'complete', agent_id: agent.id, task_id: agent.task.id, exit_code: null }];
  if (verdict === 'running' && agent.kind !== 'process') return [{ type: 'extend', agent_id: agent.id }];
  return onDead(state, agent, `${reason}; triage: ${verdict}`, false);
}

/** Fewer launches than free slots: the ready rows read may have hidden launchable tasks behind unlaunchable ones. */
export function launchesShort(
  actions: Action[],
  state: Pick<SchedulerState, 'max_agents' | 'team'> & { working: Pick<AgentView, 'kind'>[] },
): boolean {
  const busy = state.working.filter((a) => usesSlot(a.kind)).length;
  return actions.filter((a) => a.type === 'launch').length < freeSlots(state, busy);
}

/**
 * Whether a tick's decision may leave work another coordinator of a team's graph could start: a ready task it neither
 * launched, failed nor sent to the assigner (or ready tasks beyond those it read, `readAll` false), while the team's
 * cap has a slot its runs do not fill. A manual task is nobody's to start, and an agent daemon's is the daemons'
 * dispatcher's, which every commit heard wakes, quiet or not. Each coordinator hears the others' commits,
 * and a commit that says it leaves nothing spares them a look each (with three coordinators, two looks per commit).
 * `launched`: how many launches were claimed (a refused claim leaves its task ready). Counts err toward "may leave
 * work": a run this tick ends or kills counts as a free slot.
 */
export function leavesWork(state: SchedulerState, actions: readonly Action[], readAll: boolean, launched: number): boolean {
  if (state.paused) return true;
  const launches = actions.filter((a) => a.type === 'launch').length;
  if (launched < launches) return true;
  const taken = new Set(
    actions.flatMap((a) => (a.type === 'launch' || a.type === 'assign' || (a.type === 'fail' && a.agent_id === null) ? [a.task_id] : [])),
  );
  const left = state.ready.some((task) => !task.manual && !task.remote && !taken.has(task.id));
  if (!left && readAll) return false;
  if (!state.team) return true;
  const named = new Set(actions.flatMap((a) => ('agent_id' in a && a.agent_id !== null ? [a.agent_id] : [])));
  const busy = state.working.filter((agent) => countsTowardLimit(agent) && !named.has(agent.id)).length + launches;
  return state.team.others_busy + busy < state.team.max_agents;
}
