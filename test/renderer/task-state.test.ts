import { describe, expect, it } from 'vitest';
import type { Task } from '../../src/shared/task';
import { countByKind, TaskStates, taskState, type StateContext } from '../../src/renderer/task-state/task-state';
import { makeTask } from './support/fixtures';

const NOW = Date.parse('2025-06-02T08:00:00Z');

function context(tasks: Task[], extra: Partial<StateContext> = {}): StateContext {
  return {
    tasks: new Map(tasks.map((t) => [t.id, t])),
    manualExecutors: new Set(['manual', 'pilot']),
    defaultIsManual: false,
    coordinatorIdle: false,
    now: NOW,
    ...extra,
  };
}

describe('task state: what a card says', () => {
  const graph = [
    makeTask({ id: 'design', title: 'Design the schema', status: 'done' }),
    makeTask({ id: 'api', title: 'Build the API', status: 'in-progress' }),
    makeTask({ id: 'tests', title: 'Write tests', status: 'open' }),
    makeTask({ id: 'ui', title: 'Build the UI', after: ['api', 'tests', 'design'] }),
    makeTask({ id: 'deploy', title: 'Deploy', after: ['design'] }),
    makeTask({ id: 'review', title: 'Review', executor: 'pilot', after: ['design'] }),
    makeTask({ id: 'nightly', title: 'Nightly', not_before: '2025-06-02T09:30:00Z' }),
    makeTask({ id: 'later', title: 'Later', paused: true, after: ['api'] }),
    makeTask({ id: 'broke', title: 'Broke', status: 'failed', failure_reason: 'exit code 2: tests failed\nstack…' }),
    makeTask({ id: 'held', title: 'Held', status: 'in-progress', paused: true }),
    makeTask({ id: 'gone', title: 'Gone', status: 'abandoned', failure_reason: 'not needed' }),
  ];
  const ctx = context(graph);
  const state = (id: string) => taskState(ctx.tasks.get(id) as Task, ctx);

  // Review finding L1: "failed: exit code 3: error: security-scan: assertion failed:…" cut what went wrong off a card.
  it('puts what went wrong first on a failed card, the exit status left to the inspector', () => {
    const failed = (failure_reason: string) =>
      taskState(makeTask({ id: 'scan', status: 'failed', failure_reason }), context([makeTask({ id: 'scan' })])).text;
    expect(failed('exit code 3: error: security-scan: assertion failed: expected 200, got 503')).toBe(
      'failed: error: security-scan: assertion failed: expected 200, got 503',
    );
    expect(failed('Prompt is too long (exit code 1)')).toBe('failed: Prompt is too long');
    expect(failed('killed by SIGTERM')).toBe('failed: killed by SIGTERM');
    expect(failed('exit code 2')).toBe('failed: exit code 2');
  });

  it('says ready, or waiting on the first unfinished dependency and how many more', () => {
    expect(state('deploy')).toEqual({ kind: 'ready', text: 'ready' });
    expect(state('ui')).toEqual({ kind: 'waiting', text: 'waiting on Build the API (+1 more)' });
    expect(state('tests')).toEqual({ kind: 'ready', text: 'ready' });
  });

  it("says a task after one marked done while its agent worked waits for that work's merge, not for a done task", () => {
    const worktree = {
      id: 'agent-3',
      path: '/p/.wg-worktrees/agent-3',
      branch: 'wg/agent-3/api',
      base_branch: 'main',
      owner: 'agent' as const,
      state: 'active' as const,
      agent_id: 'agent-3',
      merge_commit: null,
      conflict_files: [],
      merge_at_end: true as const,
    };
    const api = makeTask({ id: 'api', title: 'Build the API', status: 'done', worktree });
    const next = makeTask({ id: 'next', after: ['api'] });
    expect(taskState(next, context([api, next]))).toEqual({ kind: 'waiting', text: 'waiting for the work of Build the API to be merged' });
    // Merged (the hold gone), it is ready.
    const merged = { ...api, worktree: { ...worktree, state: 'merged' as const, merge_at_end: undefined } };
    expect(taskState(next, context([merged, next])).kind).toBe('ready');
  });

  // A task given to a person does not wait for the claude CLI ("waiting: the claude CLI is not installed" is not its state).
  it('says whom an assigned open task waits for, not what an agent would need', () => {
    const assigned = makeTask({ id: 'copy', title: 'Write the copy', assigned: 'alice' });
    const lacking = { defaultExecutor: 'claude', byExecutor: new Map([['claude', 'the claude CLI is not installed: install it']]) };
    const withWait = context([assigned], { startWaits: lacking });
    expect(taskState(assigned, withWait)).toEqual({ kind: 'waiting', text: 'waiting for alice to claim it' });
    // Its dependencies still come first.
    const behind = makeTask({ id: 'copy', assigned: 'alice', after: ['design'] });
    const graph = context([behind, makeTask({ id: 'design', title: 'Design the schema' })]);
    expect(taskState(behind, graph).text).toBe('waiting on Design the schema');
  });

  it('says needs you for manual tasks, due <time> for scheduled ones, paused, and the short failure reason', () => {
    expect(state('review')).toEqual({ kind: 'needs-you', text: 'yours to do', needs: 'do' });
    expect(state('nightly').kind).toBe('scheduled');
    expect(state('nightly').text).toMatch(/^due \d\d:\d\d/);
    expect(state('later').kind).toBe('paused');
    expect(state('broke')).toEqual({ kind: 'failed', text: 'failed: tests failed' });
    expect(state('gone')).toEqual({ kind: 'abandoned', text: 'abandoned: not needed' });
  });

  it('says blocked by failed X when a dependency failed, not waiting on it, and "+N more failed" counts only failed ones (issue 29)', () => {
    const withFailure = context([
      ...graph,
      makeTask({ id: 'after-broke', title: 'After', after: ['design', 'api', 'broke'] }),
      makeTask({ id: 'also-broke', title: 'Also broke', status: 'failed' }),
      makeTask({ id: 'after-both', title: 'After both', after: ['api', 'broke', 'also-broke'] }),
    ]);
    // Build the API is running, not failed: it is not counted among the failed ones (it said "+1 more").
    expect(taskState(withFailure.tasks.get('after-broke') as Task, withFailure)).toEqual({
      kind: 'blocked',
      text: 'blocked by failed Broke',
    });
    expect(taskState(withFailure.tasks.get('after-both') as Task, withFailure)).toEqual({
      kind: 'blocked',
      text: 'blocked by failed Broke (+1 more failed)',
    });
  });

  it('says what a task parked by `wg wait` waits for, in words', () => {
    const parked = makeTask({
      id: 'parked',
      status: 'waiting',
      extra: {
        wait_condition: { mode: 'any', conditions: [{ type: 'task-status', task_id: 'api', status: 'done' }, { type: 'message' }] },
      },
    });
    expect(taskState(parked, ctx)).toEqual({ kind: 'waiting', text: "waiting until 'api' is done or a message arrives" });
    expect(taskState(makeTask({ id: 'by-hand', status: 'waiting' }), ctx).text).toBe('waiting for an outside event');
  });

  it('says blocked by failed X for tasks after a failed task transitively, not waiting on the task between (issue 29 item 4)', () => {
    const chain = context([
      makeTask({ id: 'root', title: 'Root', status: 'done' }),
      makeTask({ id: 'broke', title: 'Broke', status: 'failed', after: ['root'] }),
      makeTask({ id: 'next', title: 'Next', after: ['broke'] }),
      makeTask({ id: 'then', title: 'Then', after: ['next'] }),
      makeTask({ id: 'last', title: 'Last', after: ['then', 'running'] }),
      makeTask({ id: 'running', title: 'Running', status: 'in-progress' }),
      makeTask({ id: 'free', title: 'Free', after: ['running'] }),
      // An imported loop of open tasks holds nothing by itself; one leaving a failure is held by it.
      makeTask({ id: 'loop-a', title: 'Loop A', after: ['loop-b'] }),
      makeTask({ id: 'loop-b', title: 'Loop B', after: ['loop-a', 'broke'] }),
    ]);
    const text = (id: string) => taskState(chain.tasks.get(id) as Task, chain).text;
    expect(text('next')).toBe('blocked by failed Broke');
    expect(text('then')).toBe('blocked by failed Broke');
    expect(text('last')).toBe('blocked by failed Broke');
    expect(text('free')).toBe('waiting on Running');
    expect(text('loop-a')).toBe('blocked by failed Broke');
    expect(text('loop-b')).toBe('blocked by failed Broke');
    // Blocked is its own state, in the failed family: never counted with what waits. It is so exactly when the words say so.
    const states = new TaskStates().compute(chain);
    for (const [id, state] of states)
      expect([id, state.kind === 'blocked'], state.text).toEqual([id, state.text.startsWith('blocked by failed')]);
    // The failure five tasks wait on is the person's to retry or abandon (shared/needs-you.ts).
    expect(countByKind(states)).toMatchObject({ blocked: 5, waiting: 1, failed: 0, 'needs-you': 1 });
    expect(states.get('broke')).toMatchObject({ kind: 'needs-you', text: 'failed; 2 tasks wait on it', needs: 'unblock' });
  });

  it('follows a 50,000-task chain after a failure without overflowing the stack', () => {
    const tasks = [makeTask({ id: 't0', title: 'T0', status: 'failed' })];
    for (let i = 1; i < 50_000; i++) tasks.push(makeTask({ id: `t${i}`, title: `T${i}`, after: [`t${i - 1}`] }));
    const states = new TaskStates().compute(context(tasks));
    expect(states.get('t49999')).toEqual({ kind: 'blocked', text: 'blocked by failed T0' });
  });

  it("says what a ready remote task waits for when no connected agent daemon can take it (the coordinator's words)", () => {
    const tasks = [makeTask({ id: 'remote', title: 'Remote', executor: 'daemon' }), makeTask({ id: 'local', title: 'Local' })];
    const remoteWaiting = new Map([['remote', 'waiting for an agent daemon with repo acme/app']]);
    const ctx = context(tasks, { remoteWaiting });
    expect(taskState(ctx.tasks.get('remote') as Task, ctx)).toEqual({
      kind: 'waiting',
      text: 'waiting for an agent daemon with repo acme/app',
    });
    expect(taskState(ctx.tasks.get('local') as Task, ctx)).toEqual({ kind: 'ready', text: 'ready' });
    const idle = context(tasks, { remoteWaiting, coordinatorIdle: true });
    expect(taskState(idle.tasks.get('remote') as Task, idle).text).toBe('ready; starts when the coordinator runs');
  });

  it("says what a ready task waits for where the coordinator's machine lacks its executor's program (service:status waiting)", () => {
    const tasks = [
      makeTask({ id: 'default', title: 'Default' }),
      makeTask({ id: 'named', title: 'Named', executor: 'claude' }),
      makeTask({ id: 'codex', title: 'Codex', executor: 'codex' }),
      makeTask({ id: 'command', title: 'Command', exec: 'npm test' }),
      makeTask({ id: 'later', title: 'Later', after: ['default'] }),
    ];
    const reason =
      'the claude CLI is not installed (or not on PATH): install Claude Code (npm install -g @anthropic-ai/claude-code) or set WG_CLAUDE_BIN to it';
    const startWaits = { byExecutor: new Map([['claude', reason]]), defaultExecutor: 'claude' };
    const ctx = context(tasks, { startWaits });
    const of = (id: string) => taskState(ctx.tasks.get(id) as Task, ctx);
    // Needs a person, not time (the board's Needs you, not Waiting, which starts by itself later).
    const waiting = { kind: 'needs-you', text: 'needs you: the claude CLI is not installed (or not on PATH)' };
    expect(of('default')).toEqual(waiting);
    expect(of('named')).toEqual(waiting);
    expect(of('codex')).toEqual({ kind: 'ready', text: 'ready' });
    expect(of('command')).toEqual({ kind: 'ready', text: 'ready' });
    expect(of('later').text).toBe('waiting on Default');
    const idle = context(tasks, { startWaits, coordinatorIdle: true });
    expect(taskState(idle.tasks.get('default') as Task, idle).text).toBe('ready; starts when the coordinator runs');
  });

  it("leaves an imported loop's back edge out of what holds its header, as the store's readiness does (wg ready)", () => {
    const loop = context([
      makeTask({ id: 'pre', title: 'Pre', status: 'done' }),
      makeTask({ id: 'head', title: 'Head', after: ['pre', 'tail'], loop_back: ['tail'] }),
      makeTask({ id: 'tail', title: 'Tail', after: ['head'] }),
    ]);
    const of = (id: string) => taskState(loop.tasks.get(id) as Task, loop);
    expect(of('head')).toEqual({ kind: 'ready', text: 'ready' });
    expect(of('tail')).toEqual({ kind: 'waiting', text: 'waiting on Head' });
  });

  it('says a paused running task finishes and is not started again', () => {
    expect(state('held')).toEqual({ kind: 'running', text: 'running; will not start again', held: true });
    expect(state('api')).toEqual({ kind: 'running', text: 'running' });
  });

  it("says ready, not needs you, for upstream's .evaluate/.assign/.flip tasks the coordinator runs (issue 25); needs you for others", () => {
    const tasks = [
      makeTask({ id: 'x', status: 'done' }),
      makeTask({ id: '.evaluate-x', after: ['x'] }),
      makeTask({ id: '.assign-y' }),
      makeTask({ id: '.flip-x', after: ['x'] }),
      makeTask({ id: '.verify-x', after: ['x'] }),
    ];
    const ctx = context(tasks, { defaultIsManual: true });
    const of = (id: string) => taskState(ctx.tasks.get(id) as Task, ctx).kind;
    expect(['.evaluate-x', '.assign-y', '.flip-x', '.verify-x'].map(of)).toEqual(['ready', 'ready', 'ready', 'needs-you']);
    // .verify-x starts as an agent task (upstream gives it an agent): needs you only under a manual executor, as any task.
    const auto = context([...tasks, makeTask({ id: '.merge-x', after: ['x'] })]);
    const kind = (id: string) => taskState(auto.tasks.get(id) as Task, auto).kind;
    expect(['.verify-x', '.merge-x'].map(kind)).toEqual(['ready', 'needs-you']);
  });

  it("says due <time> for a task upstream's ready_after holds back, ready once it has passed", () => {
    const tasks = [
      makeTask({ id: 'later', extra: { ready_after: '2025-06-02T09:30:00+00:00' } }),
      makeTask({ id: 'now', extra: { ready_after: '2025-06-01T00:00:00Z' } }),
    ];
    const ctx = context(tasks);
    expect(taskState(ctx.tasks.get('later') as Task, ctx)).toMatchObject({
      kind: 'scheduled',
      text: expect.stringMatching(/^due \d\d:\d\d/),
    });
    expect(taskState(ctx.tasks.get('now') as Task, ctx).kind).toBe('ready');
  });

  // `wg add X --delay 2d` under a manual executor does not need anyone yet: `wg ready` leaves it out too.
  it('says due <time>, not needs you, for a manual task not due yet; needs you once it is', () => {
    const tasks = [
      makeTask({ id: 'later', executor: 'manual', not_before: '2025-06-02T09:30:00Z' }),
      makeTask({ id: 'after-delay', extra: { ready_after: '2025-06-02T09:30:00Z' } }),
    ];
    const manual = context(tasks, { defaultIsManual: true });
    const of = (id: string, at: StateContext) => taskState(at.tasks.get(id) as Task, at);
    expect(of('later', manual)).toMatchObject({ kind: 'scheduled', text: expect.stringMatching(/^due \d\d:\d\d/) });
    expect(of('after-delay', manual).kind).toBe('scheduled');
    const due = { ...manual, now: Date.parse('2025-06-02T09:31:00Z') };
    expect(of('later', due)).toEqual({ kind: 'needs-you', text: 'yours to do', needs: 'do' });
    expect(of('after-delay', due)).toEqual({ kind: 'needs-you', text: 'yours to do', needs: 'do' });
  });

  // Without its year, `--not-before 2028-01-05T09:00:00Z` reads "due Jan 5", and a 2099 task "due Jan 1".
  it("says the year of a due date that is not this year's", () => {
    const due = (not_before: string) => {
      const task = makeTask({ id: 'later', not_before });
      return taskState(task, context([task])).text;
    };
    // Dates read at noon UTC: the same day and year in any time zone the test runs in.
    expect(due('2028-01-05T12:00:00Z')).toMatch(/^due .*2028/);
    expect(due('2099-01-01T12:00:00Z')).toMatch(/^due .*2099/);
    expect(due('2025-08-20T12:00:00Z')).not.toMatch(/2025/);
  });

  it('uses the default executor when the task names none, and explains ready while the coordinator is idle', () => {
    const manualByDefault = context(graph, { defaultIsManual: true });
    expect(taskState(manualByDefault.tasks.get('deploy') as Task, manualByDefault).kind).toBe('needs-you');
    const idle = context(graph, { coordinatorIdle: true });
    expect(taskState(idle.tasks.get('deploy') as Task, idle).text).toBe('ready; starts when the coordinator runs');
  });

  it('counts tasks per state and keeps unchanged states as the same objects', () => {
    const states = new TaskStates();
    const first = states.compute(ctx);
    expect(countByKind(first)).toMatchObject({
      running: 2,
      waiting: 1,
      ready: 2,
      'needs-you': 1,
      scheduled: 1,
      paused: 1,
      failed: 1,
      done: 1,
      abandoned: 1,
    });
    const tasks = new Map(ctx.tasks);
    tasks.set('api', { ...(tasks.get('api') as Task), status: 'done' });
    const second = states.compute({ ...ctx, tasks });
    expect(second.get('deploy')).toBe(first.get('deploy'));
    // The API is done: the UI now waits on the tests only.
    expect(second.get('ui')).toEqual({ kind: 'waiting', text: 'waiting on Write tests' });
  });
});

describe("task state: upstream's system tasks read as part of their task", () => {
  const graph = (assign: Partial<Task>, more: Task[] = []) =>
    context([
      makeTask({ id: 'spec', title: 'Write the spec', status: 'done' }),
      makeTask({ id: '.assign-api', title: 'Assign agent for api', ...assign }),
      makeTask({ id: 'api', title: 'Build the API', after: ['.assign-api', 'spec'] }),
      ...more,
    ]);
  const stateOf = (ctx: StateContext, id: string) => taskState(ctx.tasks.get(id) as Task, ctx);

  it('is ready when only its own assignment is left, and says that comes first or is under way', () => {
    expect(stateOf(graph({}), 'api')).toEqual({ kind: 'ready', text: 'ready; an agent is assigned first' });
    expect(stateOf(graph({ status: 'in-progress' }), 'api')).toEqual({ kind: 'ready', text: 'ready; an agent is being assigned' });
    const idle = { ...graph({}), coordinatorIdle: true };
    expect(stateOf(idle, 'api')).toEqual({ kind: 'ready', text: 'ready; starts when the coordinator runs' });
  });

  it('waits when its assignment is itself held or paused, and names what else it waits on first', () => {
    const held = graph({ after: ['legal'] }, [makeTask({ id: 'legal', title: 'Legal review' })]);
    expect(stateOf(held, 'api')).toEqual({ kind: 'waiting', text: 'waiting on Assign agent for api' });
    expect(stateOf(graph({ paused: true }), 'api').kind).toBe('waiting');
    const more = context([
      makeTask({ id: 'spec', title: 'Write the spec' }),
      makeTask({ id: '.assign-api', title: 'Assign agent for api' }),
      makeTask({ id: 'api', title: 'Build the API', after: ['.assign-api', 'spec'] }),
    ]);
    expect(stateOf(more, 'api')).toEqual({ kind: 'waiting', text: 'waiting on Write the spec' });
  });

  it('is being evaluated while done with its `.evaluate-X` running, and done once that ends', () => {
    const evaluated = (status: Task['status']) =>
      context([
        makeTask({ id: 'api', title: 'Build the API', status: 'done' }),
        makeTask({ id: '.evaluate-api', title: 'Evaluate api', after: ['api'], status }),
      ]);
    expect(stateOf(evaluated('in-progress'), 'api')).toEqual({ kind: 'evaluating', text: 'done; being evaluated' });
    expect(stateOf(evaluated('done'), 'api')).toEqual({ kind: 'done', text: 'done' });
    // Kept states follow the evaluation task's changes (the task itself did not change).
    const kept = new TaskStates();
    const setting = { manualExecutors: new Set<string>(), defaultIsManual: false, coordinatorIdle: false, now: NOW };
    expect(kept.compute({ ...setting, tasks: evaluated('in-progress').tasks }).get('api')?.kind).toBe('evaluating');
    expect(kept.compute({ ...setting, tasks: evaluated('done').tasks }).get('api')?.kind).toBe('done');
  });

  it('holds a task by a missing assignment as by any missing dependency, also when the assignment goes later', () => {
    const setting = { manualExecutors: new Set<string>(), defaultIsManual: false, coordinatorIdle: false, now: NOW };
    const withAssign = graph({}, []).tasks;
    const kept = new TaskStates();
    expect(kept.compute({ ...setting, tasks: withAssign }).get('api')?.kind).toBe('ready');
    const gone = new Map([...withAssign].filter(([id]) => id !== '.assign-api'));
    gone.set('spec', makeTask({ id: 'spec', title: 'Write the spec' }));
    const fresh = new TaskStates().compute({ ...setting, tasks: gone }).get('api');
    expect(fresh).toEqual({ kind: 'waiting', text: 'waiting on .assign-api (not in the graph) (+1 more)' });
    expect(kept.compute({ ...setting, tasks: gone }).get('api')).toEqual(fresh);
  });
});
