import { describe, expect, it } from 'vitest';
import { decide, leavesWork, NO_WORK_REASON, timedOut } from '../../src/core/deciding/scheduler';
import { failureReason, signalFromStatus, stderrTail } from '../../src/core/run-failures/failure-reason';
import type { AgentView, ReadyTask, SchedulerState } from '../../src/core/deciding/scheduler-types';

const T0 = Date.parse('2026-03-01T12:00:00Z');

function state(patch: Partial<SchedulerState> = {}): SchedulerState {
  return {
    now_ms: T0,
    paused: false,
    max_agents: 2,
    heartbeat_timeout_s: 300,
    default_max_retries: 2,
    auto_triage: false,
    ready: [],
    working: [],
    watched: [],
    ...patch,
  };
}

const ready = (id: string, patch: Partial<ReadyTask> = {}): ReadyTask => ({
  id,
  manual: false,
  remote: false,
  unlaunchable: null,
  ...patch,
});

function agent(id: string, taskId: string, patch: Partial<AgentView> = {}, task: Partial<AgentView['task']> = {}): AgentView {
  return {
    id,
    state: 'working',
    kind: 'process',
    internal: false,
    started_at_ms: T0,
    last_heartbeat_ms: T0,
    timeout_s: 3600,
    task: { id: taskId, status: 'in-progress', assigned: id, retry_count: 0, max_retries: null, failure_reason: null, ...task },
    ...patch,
  };
}

describe("a team's cap on every coordinator's runs together", () => {
  it("launches no more than the team cap leaves beside the other coordinators' runs, below its own max_agents", () => {
    const s = state({
      max_agents: 4,
      ready: [ready('x'), ready('y'), ready('z'), ready('w')],
      working: [agent('agent-1', 'a')],
      team: { max_agents: 5, others_busy: 2 },
    });
    // 5 for the team, 2 elsewhere and 1 here: 2 more, though this coordinator alone would take 3.
    expect(decide(s, { type: 'tick' }).actions).toEqual([
      { type: 'launch', task_id: 'x' },
      { type: 'launch', task_id: 'y' },
    ]);
  });

  it('launches nothing while the other coordinators fill the team cap, and its own runs are still judged', () => {
    const late = agent('agent-1', 'a', { started_at_ms: T0 - 7_200_000 });
    const s = state({ max_agents: 4, ready: [ready('x')], working: [late], team: { max_agents: 3, others_busy: 3 } });
    const actions = decide(s, { type: 'tick' }).actions;
    expect(actions.some((a) => a.type === 'launch')).toBe(false);
    expect(actions.some((a) => 'agent_id' in a && a.agent_id === 'agent-1')).toBe(true);
  });

  it('a run of its own that ends in the tick frees a team slot too', () => {
    const late = agent('agent-1', 'a', { started_at_ms: T0 - 7_200_000 });
    const s = state({ max_agents: 4, ready: [ready('x'), ready('y')], working: [late], team: { max_agents: 3, others_busy: 2 } });
    expect(decide(s, { type: 'tick' }).actions.filter((a) => a.type === 'launch')).toEqual([{ type: 'launch', task_id: 'x' }]);
  });

  it('keeps to its share of the team cap, so the freed slot of a run it settles goes to a coordinator below its share', () => {
    // Three machines of 4 under a team cap of 8: shares of 3. This one holds 3 and the others 4 (2 + 2), one slot free.
    const held = [agent('agent-1', 'a'), agent('agent-2', 'b'), agent('agent-3', 'c')];
    const over = state({ max_agents: 4, ready: [ready('x')], working: held, team: { max_agents: 8, others_busy: 4, share: 3 } });
    expect(decide(over, { type: 'tick' }).actions.filter((a) => a.type === 'launch')).toEqual([]);
    // The one that holds 1 takes it.
    const below = state({
      max_agents: 4,
      ready: [ready('x')],
      working: [agent('agent-9', 'z')],
      team: { max_agents: 8, others_busy: 6, share: 3 },
    });
    expect(decide(below, { type: 'tick' }).actions.filter((a) => a.type === 'launch')).toEqual([{ type: 'launch', task_id: 'x' }]);
  });

  it('without a team cap, its own max_agents alone counts', () => {
    const s = state({ max_agents: 2, ready: [ready('x'), ready('y'), ready('z')] });
    expect(decide(s, { type: 'tick' }).actions).toHaveLength(2);
  });
});

describe('dispatch', () => {
  it('launches ready tasks in the given (priority) order up to max_agents', () => {
    const d = decide(state({ ready: [ready('a'), ready('b'), ready('c')] }), { type: 'tick' });
    expect(d.actions).toEqual([
      { type: 'launch', task_id: 'a' },
      { type: 'launch', task_id: 'b' },
    ]);
  });

  it('counts working agents against the limit and never exceeds it', () => {
    const s = state({
      max_agents: 3,
      ready: [ready('x'), ready('y'), ready('z')],
      working: [agent('agent-1', 'a'), agent('agent-2', 'b')],
    });
    expect(decide(s, { type: 'changed' }).actions).toEqual([{ type: 'launch', task_id: 'x' }]);
    const full = state({ max_agents: 2, ready: [ready('x')], working: [agent('agent-1', 'a'), agent('agent-2', 'b')] });
    expect(decide(full, { type: 'tick' }).actions).toEqual([]);
  });

  it('does not count external agents (nothing runs here) against the limit', () => {
    const s = state({ max_agents: 1, ready: [ready('x')], working: [agent('agent-1', 'a', { kind: 'external', timeout_s: null })] });
    expect(decide(s, { type: 'tick' }).actions).toEqual([{ type: 'launch', task_id: 'x' }]);
  });

  it('never auto-starts manual tasks, and they take no slot', () => {
    const s = state({ max_agents: 1, ready: [ready('m', { manual: true }), ready('b')] });
    expect(decide(s, { type: 'tick' }).actions).toEqual([{ type: 'launch', task_id: 'b' }]);
  });

  it('passes over tasks whose program is not on this machine (held), failing none, and they take no slot', () => {
    const held = 'the claude CLI is not installed (or not on PATH)';
    const s = state({ max_agents: 1, ready: [ready('c1', { held }), ready('c2', { held, needs_identity: true }), ready('sh')] });
    expect(decide(s, { type: 'tick' }).actions).toEqual([{ type: 'launch', task_id: 'sh' }]);
  });

  it('holds a task for its identity (auto-assign) without using up a launch slot: the next ready task starts this turn', () => {
    const s = state({ max_agents: 1, ready: [ready('a', { needs_identity: true }), ready('b'), ready('c')] });
    expect(decide(s, { type: 'tick' }).actions).toEqual([
      { type: 'assign', task_id: 'a' },
      { type: 'launch', task_id: 'b' },
    ]);
    // Once it has its identity it is launched like any other, in its turn.
    const later = state({ max_agents: 2, ready: [ready('a'), ready('c')], working: [agent('agent-1', 'b')] });
    expect(decide(later, { type: 'tick' }).actions).toEqual([{ type: 'launch', task_id: 'a' }]);
  });

  it('fails a task that cannot be launched instead of trying it forever', () => {
    const s = state({ ready: [ready('bad', { unlaunchable: "no executor 'nope'" }), ready('ok')] });
    expect(decide(s, { type: 'tick' }).actions).toEqual([
      { type: 'fail', agent_id: null, task_id: 'bad', reason: "no executor 'nope'", agent_state: 'failed', exit_code: null },
      { type: 'launch', task_id: 'ok' },
    ]);
  });

  it('launches nothing while paused but still enforces deadlines', () => {
    const late = agent('agent-1', 'a', { timeout_s: 10, started_at_ms: T0 - 11_000 });
    const d = decide(state({ paused: true, ready: [ready('b')], working: [late] }), { type: 'tick' });
    expect(d.actions.map((a) => a.type)).toEqual(['fail', 'kill']);
  });
});

describe('exits', () => {
  it('exit 0 with the task still in progress marks it done', () => {
    const d = decide(state(), { type: 'exited', agent: agent('agent-1', 'a'), code: 0, signal: null, stderr_tail: '' });
    expect(d.actions).toEqual([{ type: 'complete', agent_id: 'agent-1', task_id: 'a', exit_code: 0 }]);
  });

  it('nonzero exit fails the task with the tail of stderr', () => {
    const d = decide(state(), {
      type: 'exited',
      agent: agent('agent-1', 'a'),
      code: 2,
      signal: null,
      stderr_tail: 'warming up\nError: disk full\n',
    });
    expect(d.actions).toEqual([
      {
        type: 'fail',
        agent_id: 'agent-1',
        task_id: 'a',
        reason: 'exit code 2: Error: disk full',
        agent_state: 'failed',
        exit_code: 2,
        // Counted in retry_count, as upstream's wrapper's `wg fail` counts it (spawn/execution.rs; tests/integration_e2e_smoke.rs smoke_test_fail_retry_lifecycle).
        attempt: true,
        // One sentence for the reason; the rest of stderr for the task's log.
        detail: 'warming up\nError: disk full',
      },
    ]);
  });

  it('an agent that already reported (wg done / wg fail) only has its run recorded, as its task ended', () => {
    const reported = agent('agent-1', 'a', {}, { status: 'done' });
    expect(decide(state(), { type: 'exited', agent: reported, code: 0, signal: null, stderr_tail: '' }).actions).toEqual([
      { type: 'end-agent', agent_id: 'agent-1', state: 'done', exit_code: 0, reason: null },
    ]);
    // `wg fail` then exit 0: the run failed, as its task did.
    const failed = agent('agent-1', 'a', {}, { status: 'failed', failure_reason: 'cannot reach the database' });
    expect(decide(state(), { type: 'exited', agent: failed, code: 0, signal: null, stderr_tail: '' }).actions).toEqual([
      { type: 'end-agent', agent_id: 'agent-1', state: 'failed', exit_code: 0, reason: 'cannot reach the database' },
    ]);
    const reassigned = agent('agent-1', 'a', {}, { assigned: 'agent-9' });
    expect(decide(state(), { type: 'exited', agent: reassigned, code: 1, signal: null, stderr_tail: 'x' }).actions).toEqual([
      { type: 'end-agent', agent_id: 'agent-1', state: 'failed', exit_code: 1, reason: 'exit code 1: x' },
    ]);
  });

  it('ignores the exit of an agent that was killed (its task was unclaimed once, by the killer)', () => {
    const killed = agent('agent-1', 'a', { state: 'killed' }, { status: 'open', assigned: null });
    expect(decide(state(), { type: 'exited', agent: killed, code: null, signal: 'SIGTERM', stderr_tail: '' }).actions).toEqual([]);
  });

  it("an agent's exit 0 without `wg done` and without evidence of work fails the task; with evidence it is done", () => {
    const none = decide(state(), { type: 'exited', agent: agent('agent-1', 'a'), code: 0, signal: null, stderr_tail: '', evidence: false });
    expect(none.actions).toEqual([
      { type: 'fail', agent_id: 'agent-1', task_id: 'a', reason: NO_WORK_REASON, agent_state: 'failed', exit_code: 0, attempt: true },
    ]);
    expect(NO_WORK_REASON).toBe('agent exited without reporting or changing anything');
    const some = decide(state(), { type: 'exited', agent: agent('agent-1', 'a'), code: 0, signal: null, stderr_tail: '', evidence: true });
    expect(some.actions).toEqual([{ type: 'complete', agent_id: 'agent-1', task_id: 'a', exit_code: 0 }]);
  });

  it("the failure reason is the agent's own account first, then its stderr", () => {
    const d = decide(state(), {
      type: 'exited',
      agent: agent('agent-1', 'a'),
      code: 1,
      signal: null,
      stderr_tail: 'Reading additional input from stdin...\n',
      account: 'Prompt is too long',
    });
    expect(d.actions).toEqual([
      {
        type: 'fail',
        agent_id: 'agent-1',
        task_id: 'a',
        reason: 'Prompt is too long (exit code 1)',
        agent_state: 'failed',
        exit_code: 1,
        attempt: true,
        // The conversation outgrew the context: the next attempt does not resume it.
        forget_session: true,
      },
    ]);
    // Known noise is never the reason.
    const noise = decide(state(), {
      type: 'exited',
      agent: agent('agent-1', 'a'),
      code: 1,
      signal: null,
      stderr_tail: 'Reading additional input from stdin...\n',
    });
    expect(noise.actions[0]).toMatchObject({ reason: 'exit code 1' });
  });

  it("a 500 or 529 from the model API is retried after a wait that doubles, within the task's retry budget, then fails", () => {
    const overloaded = 'API Error: 529 {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}';
    const exited = (retryCount: number, account: string) =>
      decide(state(), {
        type: 'exited',
        agent: agent('agent-1', 'a', {}, { retry_count: retryCount }),
        code: 1,
        signal: null,
        stderr_tail: '',
        account,
      }).actions;
    expect(exited(0, overloaded)).toEqual([
      {
        type: 'retry',
        agent_id: 'agent-1',
        task_id: 'a',
        retry_count: 1,
        reason: `the model API failed on its side (${overloaded}); retry 1 of 2 in 30 s`,
        not_before_ms: T0 + 30_000,
        agent_state: 'failed',
        exit_code: 1,
      },
    ]);
    expect(exited(1, 'API Error: 500 {"type":"error","error":{"type":"api_error","message":"Internal server error"}}')).toMatchObject([
      { type: 'retry', retry_count: 2, not_before_ms: T0 + 60_000, reason: expect.stringMatching(/; retry 2 of 2 in 60 s$/) },
    ]);
    // codex's words once its own retries are spent.
    expect(exited(0, 'exceeded retry limit, last status: 503 Service Unavailable')).toMatchObject([{ type: 'retry', retry_count: 1 }]);
    // The budget used: failed with the reason, the count left at the budget (as a dead run's last retry leaves it).
    expect(exited(2, overloaded)).toEqual([
      {
        type: 'fail',
        agent_id: 'agent-1',
        task_id: 'a',
        reason: `${overloaded} (exit code 1); no retries left (2)`,
        agent_state: 'failed',
        exit_code: 1,
      },
    ]);
    // A 400 is the request's fault: failed at once, counted, as any failed run.
    expect(exited(0, 'API Error: 400 fake bad request')).toMatchObject([{ type: 'fail', attempt: true }]);
  });

  it('a rate limit puts the task back until the reset time, without using a retry', () => {
    const resetAt = T0 + 3_600_000;
    const d = decide(state(), {
      type: 'exited',
      agent: agent('agent-1', 'a'),
      code: 1,
      signal: null,
      stderr_tail: '',
      account: 'usage limit',
      rate_limit: { reset_at_ms: resetAt, message: 'rate limit or quota reached: usage limit' },
    });
    expect(d.actions).toEqual([
      {
        type: 'requeue',
        agent_id: 'agent-1',
        task_id: 'a',
        forget_session: false,
        not_before_ms: resetAt,
        reason: `rate limit or quota reached: usage limit; retrying after ${new Date(resetAt).toISOString()}`,
      },
    ]);
  });

  it('a failed --resume starts the task fresh without counting a retry', () => {
    const d = decide(state(), {
      type: 'exited',
      agent: agent('agent-1', 'a'),
      code: 1,
      signal: null,
      stderr_tail: '',
      resume_failed: true,
    });
    expect(d.actions).toEqual([
      {
        type: 'requeue',
        agent_id: 'agent-1',
        task_id: 'a',
        reason: 'resuming the session failed (exit code 1); starting fresh',
        forget_session: true,
      },
    ]);
  });
});

describe('dead agents and retries', () => {
  it('starts again, using no retry, a run whose command never began (its coordinator stopped mid-start)', () => {
    const cut = { type: 'exited', code: null, signal: null, stderr_tail: '', never_began: true } as const;
    const requeued = {
      type: 'requeue',
      agent_id: 'agent-1',
      task_id: 'a',
      reason: 'its start was cut short (the coordinator stopped while starting it); started again, using no retry',
      forget_session: false,
    };
    expect(decide(state(), { ...cut, agent: agent('agent-1', 'a') }).actions).toEqual([requeued]);
    // Its last retry used: still no failure, as nothing of the work was tried.
    expect(decide(state(), { ...cut, agent: agent('agent-1', 'a', {}, { retry_count: 2 }) }).actions).toEqual([requeued]);
  });

  it("retries a dead agent's task while retries remain, then fails with the reason", () => {
    const first = decide(state(), { type: 'exited', agent: agent('agent-1', 'a'), code: null, signal: 'SIGKILL', stderr_tail: '' });
    expect(first.actions).toEqual([
      { type: 'retry', agent_id: 'agent-1', task_id: 'a', retry_count: 1, reason: 'agent died (SIGKILL); retry 1 of 2' },
    ]);
    const last = decide(state(), {
      type: 'exited',
      agent: agent('agent-3', 'a', {}, { retry_count: 2 }),
      code: null,
      signal: 'SIGKILL',
      stderr_tail: '',
    });
    expect(last.actions).toEqual([
      {
        type: 'fail',
        agent_id: 'agent-3',
        task_id: 'a',
        reason: 'agent died (SIGKILL); no retries left (2)',
        agent_state: 'dead',
        exit_code: null,
      },
    ]);
  });

  it("the task's own max_retries wins over the settings", () => {
    const d = decide(state(), {
      type: 'exited',
      agent: agent('agent-1', 'a', {}, { max_retries: 0 }),
      code: null,
      signal: null,
      stderr_tail: '',
    });
    expect(d.actions[0]).toMatchObject({ type: 'fail', agent_state: 'dead' });
  });

  it('remote agents are dead when their heartbeat is older than heartbeat_timeout', () => {
    const fresh = agent('agent-1', 'a', { kind: 'http', timeout_s: null, last_heartbeat_ms: T0 - 299_000 });
    const stale = agent('agent-2', 'b', { kind: 'http', timeout_s: null, last_heartbeat_ms: T0 - 301_000 });
    const d = decide(state({ working: [fresh, stale] }), { type: 'tick' });
    expect(d.actions).toEqual([
      { type: 'retry', agent_id: 'agent-2', task_id: 'b', retry_count: 1, reason: 'no heartbeat for 300s; retry 1 of 2' },
    ]);
    expect(d.wake_at_ms).toBe(T0 + 1000); // the fresh one's deadline
  });

  it('a dead agent frees its slot in the same tick', () => {
    const stale = agent('agent-2', 'b', { kind: 'http', timeout_s: null, last_heartbeat_ms: T0 - 400_000 });
    const d = decide(state({ max_agents: 1, working: [stale], ready: [ready('c')] }), { type: 'tick' });
    expect(d.actions.map((a) => a.type)).toEqual(['retry', 'launch']);
  });

  it('external agents have no heartbeat deadline', () => {
    const waiting = agent('agent-1', 'a', { kind: 'external', timeout_s: null, last_heartbeat_ms: T0 - 10 * 86_400_000 });
    expect(decide(state({ working: [waiting] }), { type: 'tick' })).toEqual({ actions: [], wake_at_ms: null });
  });

  it('with auto-triage on, a dead agent goes to triage instead of a blind retry', () => {
    const d = decide(state({ auto_triage: true }), { type: 'heartbeat-timeout', agent: agent('agent-1', 'a', { kind: 'http' }) });
    expect(d.actions).toEqual([{ type: 'triage', agent_id: 'agent-1', task_id: 'a', reason: 'no heartbeat for 300s' }]);
  });

  it('follows the triage verdict: done completes, running extends only remote agents, restart retries', () => {
    const remote = agent('agent-1', 'a', { kind: 'http' });
    const t = (verdict: 'done' | 'running' | 'restart', who = remote) =>
      decide(state({ auto_triage: true }), { type: 'triaged', agent: who, verdict, reason: 'no heartbeat for 300s' }).actions;
    expect(t('done')).toEqual([{ type: 'complete', agent_id: 'agent-1', task_id: 'a', exit_code: null }]);
    expect(t('running')).toEqual([{ type: 'extend', agent_id: 'agent-1' }]);
    expect(t('running', agent('agent-2', 'b'))).toEqual([
      { type: 'retry', agent_id: 'agent-2', task_id: 'b', retry_count: 1, reason: 'no heartbeat for 300s; triage: running; retry 1 of 2' },
    ]);
    expect(t('restart')[0]).toMatchObject({ type: 'retry', retry_count: 1 });
  });

  it('a launch that fails counts as a dead run, each retry waiting twice as long (5 s, 10 s, ...), never triaged', () => {
    const d = decide(state({ auto_triage: true }), {
      type: 'launch-failed',
      agent: agent('agent-1', 'a', { kind: 'http' }),
      reason: 'ECONNREFUSED',
    });
    expect(d.actions).toEqual([
      {
        type: 'retry',
        agent_id: 'agent-1',
        task_id: 'a',
        retry_count: 1,
        reason: 'launch failed: ECONNREFUSED; retry 1 of 2',
        not_before_ms: T0 + 5_000,
      },
    ]);
    const again = decide(state(), { type: 'launch-failed', agent: agent('agent-2', 'a', {}, { retry_count: 1 }), reason: 'ECONNREFUSED' });
    expect(again.actions).toEqual([
      {
        type: 'retry',
        agent_id: 'agent-2',
        task_id: 'a',
        retry_count: 2,
        reason: 'launch failed: ECONNREFUSED; retry 2 of 2',
        not_before_ms: T0 + 10_000,
      },
    ]);
  });

  it('a start that cannot work until something changes fails at once, using no retry', () => {
    const d = decide(state(), {
      type: 'launch-failed',
      agent: agent('agent-1', 'a'),
      reason: 'the git repository /p has no commit yet',
      lasting: true,
    });
    expect(d.actions).toEqual([
      {
        type: 'fail',
        agent_id: 'agent-1',
        task_id: 'a',
        reason: 'the git repository /p has no commit yet',
        agent_state: 'failed',
        exit_code: null,
      },
    ]);
  });
});

describe('run timeout', () => {
  it('a run longer than its timeout is failed as "timed out after N s" and then killed', () => {
    const late = agent('agent-1', 'a', { timeout_s: 60, started_at_ms: T0 - 60_000 });
    const onTime = agent('agent-2', 'b', { timeout_s: 60, started_at_ms: T0 - 30_000 });
    const d = decide(state({ working: [late, onTime] }), { type: 'tick' });
    expect(d.actions).toEqual([
      {
        type: 'fail',
        agent_id: 'agent-1',
        task_id: 'a',
        reason: 'timed out after 60 s',
        agent_state: 'failed',
        exit_code: null,
        attempt: true,
      },
      { type: 'kill', agent_id: 'agent-1' },
    ]);
    expect(d.wake_at_ms).toBe(T0 + 30_000);
  });

  it('the explicit run-timeout event gives the same answer; an agent daemon says how long its job ran', () => {
    const d = decide(state(), { type: 'run-timeout', agent: agent('agent-1', 'a') });
    expect(d.actions.map((a) => a.type)).toEqual(['fail', 'kill']);
    expect(d.actions[0]).toMatchObject({ reason: 'timed out after 60 minutes' });
    const remote = agent('agent-2', 'b', { kind: 'remote', timeout_s: null });
    expect(decide(state(), { type: 'run-timeout', agent: remote, after_s: 2.04 }).actions).toEqual([
      {
        type: 'fail',
        agent_id: 'agent-2',
        task_id: 'b',
        reason: 'timed out after 2 s',
        agent_state: 'failed',
        exit_code: null,
        attempt: true,
      },
    ]);
    expect(timedOut(5 * 3600)).toBe('timed out after 5 hours');
  });
});

describe('daemon start', () => {
  it('adopts local runs (the monitor reports those that ended), keeps remote ones, and stops internal runs', () => {
    const d = decide(state(), {
      type: 'started',
      found: [
        { agent: agent('agent-1', 'a') },
        { agent: agent('agent-2', 'b', { kind: 'http' }) },
        { agent: agent('agent-3', 'c', { internal: true }, { assigned: 'agent-9' }) },
      ],
    });
    expect(d.actions).toEqual([
      { type: 'adopt', agent_id: 'agent-1' },
      { type: 'end-agent', agent_id: 'agent-3', state: 'dead', exit_code: null, reason: 'coordinator restarted' },
      { type: 'kill', agent_id: 'agent-3' },
    ]);
  });
});

describe('runs the store no longer counts as working', () => {
  it('are stopped: killed by a person, or their task settled by someone else', () => {
    const d = decide(state({ watched: ['agent-1', 'agent-2'], working: [agent('agent-2', 'b')] }), { type: 'tick' });
    expect(d.actions).toEqual([{ type: 'kill', agent_id: 'agent-1' }]);
  });
});

describe('internal runs (triage)', () => {
  it('use no agent slot, and their end settles only themselves', () => {
    const triage = agent('agent-5', 'a', { internal: true }, { assigned: 'agent-1' });
    const d = decide(state({ max_agents: 1, working: [triage], ready: [ready('b')] }), { type: 'tick' });
    expect(d.actions).toEqual([{ type: 'launch', task_id: 'b' }]);
    expect(decide(state(), { type: 'exited', agent: triage, code: 0, signal: null, stderr_tail: '' }).actions).toEqual([
      { type: 'end-agent', agent_id: 'agent-5', state: 'done', exit_code: 0, reason: null },
    ]);
  });
});

describe('failure reasons', () => {
  it('keeps the tail of long stderr from a line start', () => {
    const long = `${'noise line\n'.repeat(200)}Error: the real problem\n`;
    const tail = stderrTail(long);
    expect(tail.length).toBeLessThanOrEqual(601);
    expect(tail.endsWith('Error: the real problem')).toBe(true);
    expect(tail.startsWith('…noise line')).toBe(true);
    expect(failureReason({ code: 1, stderr_tail: '' })).toBe('exit code 1');
  });

  it("names signals from the wrapper's 128+N status", () => {
    expect(signalFromStatus(137)).toBe('SIGKILL');
    expect(signalFromStatus(143)).toBe('SIGTERM');
    expect(signalFromStatus(1)).toBeNull();
  });
});

describe('scheduler: runs on agent daemons', () => {
  it('leaves remote tasks to the remote dispatcher, and their runs take no local slot and have no deadline here', () => {
    const remoteRun = agent('agent-1', 'r', { kind: 'remote', started_at_ms: T0 - 10 * 86_400_000, last_heartbeat_ms: null });
    const decision = decide(
      state({ max_agents: 1, ready: [ready('remote-task', { remote: true }), ready('local')], working: [remoteRun] }),
      { type: 'tick' },
    );
    expect(decision).toEqual({ actions: [{ type: 'launch', task_id: 'local' }], wake_at_ms: null });
  });

  it('a lost lease is a dead run (retried by the rules); a quota stop is requeued without a retry', () => {
    const run = agent('agent-1', 'r', { kind: 'remote' });
    expect(
      decide(state(), { type: 'lease-lost', agent: run, reason: 'agent daemon d silent for 30s (stall timeout): lease lost' }).actions,
    ).toEqual([
      {
        type: 'retry',
        agent_id: 'agent-1',
        task_id: 'r',
        retry_count: 1,
        reason: 'agent daemon d silent for 30s (stall timeout): lease lost; retry 1 of 2',
      },
    ]);
    expect(decide(state(), { type: 'deferred', agent: run, reason: 'out of quota' }).actions).toEqual([
      { type: 'requeue', agent_id: 'agent-1', task_id: 'r', reason: 'out of quota', forget_session: false },
    ]);
    const superseded = agent('agent-1', 'r', { kind: 'remote' }, { assigned: 'agent-2' });
    expect(decide(state(), { type: 'deferred', agent: superseded, reason: 'out of quota' }).actions).toEqual([
      { type: 'end-agent', agent_id: 'agent-1', state: 'failed', exit_code: null, reason: 'out of quota' },
    ]);
  });
});

describe('a program that is not installed', () => {
  it("is named with how to get it, not the shell's words", () => {
    const end = (stderr: string) => failureReason({ code: 127, stderr_tail: stderr });
    expect(end('/tmp/p/.workgraph/runs/agent-1: 1: claude: not found\n')).toBe(
      'the claude CLI is not installed (or not on PATH): install Claude Code (npm install -g @anthropic-ai/claude-code) or set WG_CLAUDE_BIN to it',
    );
    expect(end('environment: line 132: exec: codex: not found')).toBe(
      'the codex CLI is not installed (or not on PATH): install it (npm install -g @openai/codex) or set WG_CODEX_BIN to it',
    );
    expect(end('bash: line 1: npm: command not found')).toBe('npm was not found: install it or put it on PATH');
    expect(failureReason({ code: 1, stderr_tail: 'x: not found' })).toBe('exit code 1: x: not found');
  });
});

describe('Claude Code as root', () => {
  it("says in one line what to do, then to retry the task, not Claude's own words", () => {
    const said = '--dangerously-skip-permissions cannot be used with root/sudo privileges for security reasons';
    expect(failureReason({ code: 1, stderr_tail: said }, { taskId: 'design' })).toBe(
      'Claude Code will not run unattended as root: run the coordinator as another user, ' +
        'or, if this machine is a sandbox (a container or a throwaway VM), say so once with wg config --sandbox true --global, then wg retry design',
    );
    // On an agent daemon, whose jobs never read this coordinator's settings: what works there.
    expect(failureReason({ code: 1, stderr_tail: said }, { taskId: 'design', daemon: 'vm1' })).toBe(
      'Claude Code will not run unattended as root on agent daemon vm1: run that daemon as another user, or, if its machine is a ' +
        "sandbox, add IS_SANDBOX=1 to the daemon's environment (its env file) and restart it, then wg retry design",
    );
  });
});

describe('a start that cannot work, found at the exit', () => {
  it('a CLI not installed (127) or Claude Code as root fails once, counting no retry (README: a start that cannot work does not)', () => {
    const cases = [
      { code: 127, stderr_tail: '/tmp/p/.workgraph/runs/agent-1: 1: exec: claude: not found\n' },
      { code: 1, stderr_tail: '--dangerously-skip-permissions cannot be used with root/sudo privileges for security reasons' },
    ];
    for (const end of cases) {
      const actions = decide(state(), { type: 'exited', agent: agent('agent-1', 'a'), signal: null, ...end }).actions;
      expect(actions).toHaveLength(1);
      expect(actions[0]).toMatchObject({ type: 'fail', task_id: 'a', agent_state: 'failed', exit_code: end.code });
      expect(actions[0]).not.toHaveProperty('attempt');
    }
    // Any other 127 (a program the script itself runs, named and found by the shell) is the work failing.
    const other = decide(state(), { type: 'exited', agent: agent('agent-1', 'a'), code: 127, signal: null, stderr_tail: 'exit 127' });
    expect(other.actions[0]).toMatchObject({ type: 'fail', attempt: true });
  });

  it('a WG_CLAUDE_BIN that names no program: the variable and its path are named', () => {
    const end = { code: 127, stderr_tail: 'environment: line 9: exec: /opt/nowhere/claude: not found' };
    expect(failureReason({ ...end, missing_named_by: 'WG_CLAUDE_BIN' })).toBe(
      'WG_CLAUDE_BIN names /opt/nowhere/claude, where there is no claude: point WG_CLAUDE_BIN at the installed claude, or unset it to use claude on PATH',
    );
  });
});

describe('whether a tick leaves work another coordinator could start (its commit is announced quiet when not)', () => {
  const tick = (s: SchedulerState) => decide(s, { type: 'tick' }).actions;
  const launchesOf = (s: SchedulerState) => tick(s).filter((a) => a.type === 'launch').length;
  const leaves = (s: SchedulerState, readAll = true, launched = launchesOf(s)) => leavesWork(s, tick(s), readAll, launched);

  it('leaves nothing when every ready task it read was started and there are no more', () => {
    expect(leaves(state({ ready: [ready('x'), ready('y')] }))).toBe(false);
    // Rows beyond those read may be ready: another may start them.
    expect(leaves(state({ ready: [ready('x'), ready('y')] }), false)).toBe(true);
  });

  it('leaves work when a ready task stays and no team cap says the others are full', () => {
    expect(leaves(state({ max_agents: 1, ready: [ready('x'), ready('y')] }))).toBe(true);
  });

  it("leaves nothing when the team's cap is full after its launches, though ready tasks stay (read or not)", () => {
    const s = state({ max_agents: 4, ready: [ready('x'), ready('y'), ready('z')], team: { max_agents: 3, others_busy: 1 } });
    expect(launchesOf(s)).toBe(2);
    expect(leaves(s)).toBe(false);
    expect(leaves(s, false)).toBe(false);
    // Its own max_agents, not the team's cap, held it back: the others have a slot.
    const small = state({ max_agents: 1, ready: [ready('x'), ready('y')], team: { max_agents: 3, others_busy: 1 } });
    expect(leaves(small)).toBe(true);
  });

  it("counts a run the tick ends as a free slot of the team's", () => {
    const late = agent('agent-1', 'a', { started_at_ms: T0 - 7_200_000 });
    const s = state({ max_agents: 1, ready: [ready('x'), ready('y')], working: [late], team: { max_agents: 3, others_busy: 2 } });
    // Its timed-out run ends, its slot takes x, and y stays: the team has 2 + 1 of 3.
    expect(launchesOf(s)).toBe(1);
    expect(leaves(s)).toBe(false);
    // With a cap of 4, the slot the ended run leaves beside x is another's to fill.
    expect(leaves({ ...s, team: { max_agents: 4, others_busy: 2 } })).toBe(true);
  });

  it('leaves work while paused, or when a launch was refused its claim', () => {
    expect(leaves(state({ paused: true, ready: [ready('x')] }))).toBe(true);
    expect(leaves(state({ ready: [ready('x')] }), true, 0)).toBe(true);
  });

  it("takes manual tasks as nobody's, agent daemons' tasks as their dispatcher's, and failed or assigned tasks as handled", () => {
    const s = state({
      max_agents: 4,
      ready: [
        ready('m', { manual: true }),
        ready('r', { remote: true }),
        ready('bad', { unlaunchable: 'no such executor' }),
        ready('who', { needs_identity: true }),
        ready('x'),
      ],
    });
    expect(leaves(s)).toBe(false);
  });
});
