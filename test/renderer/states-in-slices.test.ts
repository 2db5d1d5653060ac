import { describe, expect, it } from 'vitest';
import type { Task, TaskStatus } from '../../src/shared/task';
import { recordChanges } from '../../src/renderer/state/task-changes';
import { type Slices, StatesInSlices } from '../../src/renderer/task-state/states-in-slices';
import { type StateContext, type TaskState, TaskStates } from '../../src/renderer/task-state/task-state';
import { makeTask } from './support/fixtures';

/**
 * The states of a big plan are worked out in time slices (states-in-slices.ts): opening a plan of 50,000 tasks took
 * the window's thread for most of a second in one task. These check the slices pause the work, and that only whole
 * states are answered, each with its own graph, equal to those worked out at once.
 */

type Context = Omit<StateContext, 'failedRoots'>;

/** A connected plan as the UI bench opens it: its first 40% done, then a frontier with running and failed tasks. */
function plan(size: number): Map<string, Task> {
  const tasks = new Map<string, Task>();
  for (let i = 0; i < size; i++) {
    const after = i === 0 ? [] : [...new Set([`t${i - 1}`, `t${Math.floor(i / 2)}`, `t${Math.max(0, i - 7)}`])];
    const status: TaskStatus = i < size * 0.4 ? 'done' : i % 97 === 5 ? 'in-progress' : i % 211 === 9 ? 'failed' : 'open';
    tasks.set(`t${i}`, makeTask({ id: `t${i}`, title: `Task ${i}`, status, after }));
  }
  return tasks;
}

const contextOf = (tasks: ReadonlyMap<string, Task>): Context => ({
  tasks,
  manualExecutors: new Set(),
  defaultIsManual: false,
  coordinatorIdle: false,
  autoEvaluate: true,
  now: Date.parse('2025-06-02T08:00:00Z'),
});

/** Slices cut by count, not by the clock: due every `every`th call (a test asserts on no time). */
function countedSlices(every: number, counts: { pauses: number }) {
  return (): Slices => {
    let calls = 0;
    return {
      due: () => ++calls % every === 0,
      next: () => {
        counts.pauses++;
        return Promise.resolve();
      },
    };
  };
}

/** Each task's state in words, to compare states worked out two ways. */
const said = (states: ReadonlyMap<string, TaskState>) => [...states].map(([id, s]) => `${id} ${s.kind}: ${s.text}`);

/** A graph with one task's status set, as the store's merges make it (the ids it brought recorded). */
function withStatus(tasks: ReadonlyMap<string, Task>, id: string, status: TaskStatus): Map<string, Task> {
  const next = new Map(tasks);
  next.set(id, { ...(tasks.get(id) as Task), status });
  recordChanges(tasks, next, [id]);
  return next;
}

describe('task states worked out in slices', () => {
  it('pause where the slice is due, and end with the states worked out at once', () => {
    const tasks = plan(3000);
    const steps = new TaskStates().steps(contextOf(tasks), countedSlices(100, { pauses: 0 })().due);
    let pauses = 0;
    let step = steps.next();
    while (!step.done) {
      pauses++;
      step = steps.next();
    }
    // Every task is read at least twice (its hold, its state): at least one pause per 100 of them.
    expect(pauses).toBeGreaterThanOrEqual(60);
    expect(said(step.value)).toEqual(said(new TaskStates().compute(contextOf(tasks))));
  });

  it('answer only whole states, with the graph they are of, and the new ones once whole', async () => {
    const counts = { pauses: 0 };
    const keeper = new StatesInSlices<{ tasks: ReadonlyMap<string, Task> }>(new TaskStates(), countedSlices(100, counts));
    const empty = { tasks: new Map<string, Task>() };
    // Nothing to work out: whole within the slice that asks.
    expect(keeper.want(empty, contextOf(empty.tasks))?.graph).toBe(empty);

    const big = { tasks: plan(3000) };
    // Made as the store makes a snapshot: the graphs merged after it say which tasks they brought.
    recordChanges(empty.tasks, big.tasks, null);
    const whole = new Promise<void>((resolve) => keeper.onWhole(resolve));
    // Not whole within the slice: the last whole states are answered, not a part of the new ones.
    const meanwhile = keeper.want(big, contextOf(big.tasks));
    expect(meanwhile?.graph).toBe(empty);
    expect(meanwhile?.states.size).toBe(0);
    await whole;
    expect(counts.pauses).toBeGreaterThan(10);
    const done = keeper.latest();
    expect(done?.graph).toBe(big);
    expect(said(done?.states ?? new Map())).toEqual(said(new TaskStates().compute(contextOf(big.tasks))));

    // A change of a task few others wait on is worked out within the slice that asks, from the states kept.
    const pausesBefore = counts.pauses;
    const changed = { tasks: withStatus(big.tasks, 't2990', 'done') };
    const now = keeper.want(changed, contextOf(changed.tasks));
    expect(now?.graph).toBe(changed);
    expect(counts.pauses).toBe(pausesBefore);
    expect(said(now?.states ?? new Map())).toEqual(said(new TaskStates().compute(contextOf(changed.tasks))));
  });

  it('work out the graph asked for last, when another comes while one is worked on', async () => {
    const keeper = new StatesInSlices<{ tasks: ReadonlyMap<string, Task> }>(new TaskStates(), countedSlices(100, { pauses: 0 }));
    const first = { tasks: plan(3000) };
    const whole = new Promise<void>((resolve) => keeper.onWhole(resolve));
    expect(keeper.want(first, contextOf(first.tasks))).toBeNull();
    const failed = { tasks: withStatus(first.tasks, 't1300', 'failed') };
    expect(keeper.want(failed, contextOf(failed.tasks))).toBeNull();
    await whole;
    const done = keeper.latest();
    expect(done?.graph).toBe(failed);
    const states = done?.states ?? new Map<string, TaskState>();
    expect(said(states)).toEqual(said(new TaskStates().compute(contextOf(failed.tasks))));
    expect(states.get('t2999')?.kind).toBe('blocked');
  });
});

describe("the caller's work on whole states (withWhole)", () => {
  it('runs in their slices with the graph they are of, and ends before they are answered', async () => {
    const counts = { pauses: 0 };
    const seen: Array<{ size: number; pausedAt: number }> = [];
    const keeper = new StatesInSlices<{ tasks: ReadonlyMap<string, Task> }>(
      new TaskStates(),
      countedSlices(100, counts),
      function* (graph, states, due) {
        // The caller's look at every task, pausing as the states do.
        for (const _ of states) if (due()) yield;
        seen.push({ size: graph.tasks.size, pausedAt: counts.pauses });
      },
    );
    const big = { tasks: plan(3000) };
    recordChanges(new Map(), big.tasks, null);
    const whole = new Promise<void>((resolve) => keeper.onWhole(resolve));
    expect(keeper.want(big, contextOf(big.tasks))).toBeNull();
    await whole;
    // Its 3,000 tasks paused it 30 times after the states' own pauses, and it ended before the states were answered.
    expect(seen).toEqual([{ size: 3000, pausedAt: counts.pauses }]);
    expect(counts.pauses).toBeGreaterThan(90);
    expect(keeper.latest()?.graph).toBe(big);
  });
});
