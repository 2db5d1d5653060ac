import { describe, expect, it, vi } from 'vitest';
import { dependentsIndex, KeptDependents } from '../../src/renderer/state/dependents';
import type { Task, TaskStatus } from '../../src/shared/task';
import { TaskStates, taskState, type StateContext, type TaskState } from '../../src/renderer/task-state/task-state';
import { makeTask } from './support/fixtures';
import { seededRandom } from '../helpers/seeded-random';

const STATUSES: readonly TaskStatus[] = [
  'open',
  'open',
  'open',
  'in-progress',
  'done',
  'done',
  'failed',
  'abandoned',
  'incomplete',
  'blocked',
  'pending-eval',
];
const HOUR = 3_600_000;
const START = Date.parse('2025-06-02T08:00:00Z');

type Setting = Omit<StateContext, 'tasks' | 'failedRoots'>;

/** A plan of `size` tasks, each after up to three earlier ones (a loop now and then), some with an evaluation task. */
function plan(size: number, pick: () => number): Map<string, Task> {
  const tasks = new Map<string, Task>();
  const any = (n: number) => Math.floor(pick() * n);
  for (let i = 0; i < size; i++) {
    const after = i === 0 ? [] : [...new Set(Array.from({ length: any(4) }, () => `t${any(i)}`))];
    // Some run by a named executor (a manual one, or one that becomes manual), most by the default.
    const executor = [null, null, null, 'manual', 'shell'][any(5)] ?? null;
    tasks.set(`t${i}`, makeTask({ id: `t${i}`, title: `Task ${i}`, status: STATUSES[any(STATUSES.length)], after, executor }));
  }
  return tasks;
}

/** One edit a person or the coordinator makes: a status, a title, a dependency, a task added or removed, an evaluation, a pause. */
function edit(tasks: Map<string, Task>, pick: () => number, serial: number): Map<string, Task> {
  const next = new Map(tasks);
  const ids = [...next.keys()];
  const any = <T>(list: readonly T[]) => list[Math.floor(pick() * list.length)] as T;
  const id = any(ids);
  const task = next.get(id) as Task;
  switch (Math.floor(pick() * 10)) {
    case 0:
    case 1:
      next.set(id, { ...task, status: any(STATUSES) });
      break;
    case 2:
      next.set(id, { ...task, title: `Renamed ${serial}` });
      break;
    case 3: {
      // Sometimes closes a loop: the window shows what upstream's graph holds.
      const dependency = any(ids);
      if (dependency !== id && !task.after.includes(dependency)) next.set(id, { ...task, after: [...task.after, dependency] });
      break;
    }
    case 4:
      next.set(id, { ...task, after: task.after.slice(1) });
      break;
    case 5:
      next.set(`n${serial}`, makeTask({ id: `n${serial}`, title: `New ${serial}`, after: [id], status: any(STATUSES) }));
      break;
    case 6:
      next.delete(id);
      break;
    case 7:
      if (id.startsWith('.')) break;
      // Upstream's system tasks: an evaluation after the task, or an assignment before it (the task then ready once
      // that alone is left: the window reads the one through the other).
      if (pick() < 0.5)
        next.set(`.evaluate-${id}`, makeTask({ id: `.evaluate-${id}`, title: `Evaluate ${id}`, after: [id], status: any(STATUSES) }));
      else {
        const assign = `.assign-${id}`;
        next.set(assign, makeTask({ id: assign, title: `Assign ${id}`, after: pick() < 0.3 ? [any(ids)] : [], status: any(STATUSES) }));
        if (!task.after.includes(assign)) next.set(id, { ...task, after: [assign, ...task.after] });
      }
      break;
    case 8:
      next.set(id, { ...task, paused: !task.paused });
      break;
    case 9:
      // Due within the next hours: ready once the clock passes it.
      next.set(id, { ...task, not_before: pick() < 0.8 ? new Date(START + pick() * 6 * HOUR).toISOString() : null });
      break;
  }
  return next;
}

/** The agent CLI the default executor runs is not installed: its ready tasks wait for a person. */
const LACKING = { byExecutor: new Map([['claude', 'the claude CLI is not installed: install it']]), defaultExecutor: 'claude' };

/**
 * The setting now and then changes: time passes, a daemon's waiting list changes, the coordinator stops, the executors
 * change, what a start lacks changes.
 */
function nextSetting(setting: Setting, pick: () => number, ids: readonly string[]): Setting {
  const roll = pick();
  if (roll < 0.3) return { ...setting, now: setting.now + pick() * HOUR };
  if (roll < 0.4)
    return { ...setting, remoteWaiting: new Map(ids.filter(() => pick() < 0.05).map((id) => [id, `waiting for a daemon (${id})`])) };
  if (roll < 0.45) return { ...setting, coordinatorIdle: !setting.coordinatorIdle };
  // The executors read again: the same ones (another Set), one made manual or not, the default made manual or not.
  if (roll < 0.5) return { ...setting, manualExecutors: new Set(setting.manualExecutors) };
  if (roll < 0.55)
    return { ...setting, manualExecutors: setting.manualExecutors.has('shell') ? new Set(['manual']) : new Set(['manual', 'shell']) };
  if (roll < 0.6) return { ...setting, defaultIsManual: !setting.defaultIsManual };
  // What the coordinator's machine lacks for a start comes or goes (service:status `waiting`), nothing else changed.
  if (roll < 0.65) return { ...setting, startWaits: setting.startWaits ? undefined : LACKING };
  return setting;
}

const sorted = (states: ReadonlyMap<string, TaskState>) => [...states].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

describe('task states kept from one graph to the next', () => {
  it.each([1, 2, 3, 4, 5, 6, 7, 8])('equal the states worked out from nothing after every edit of a random sequence (seed %i)', (seed) => {
    const pick = seededRandom(seed);
    let tasks = plan(60, pick);
    let setting: Setting = { manualExecutors: new Set(['manual']), defaultIsManual: false, coordinatorIdle: false, now: START };
    // The window's one dependents index, which the states keep current and the first view reads.
    const dependents = new KeptDependents();
    const kept = new TaskStates(dependents);
    for (let step = 0; step < 150; step++) {
      const context = { ...setting, tasks };
      const incremental = kept.compute(context);
      const fresh = new TaskStates().compute(context);
      expect(sorted(incremental), `step ${step}`).toEqual(sorted(fresh));
      expect(dependents.update(tasks), `step ${step}`).toEqual(dependentsIndex(tasks));
      tasks = edit(tasks, pick, step);
      setting = nextSetting(setting, pick, [...tasks.keys()]);
    }
  });

  it('keeps the objects of tasks nothing changed for, and gives the same map back when nothing changed', () => {
    const pick = seededRandom(42);
    const tasks = plan(200, pick);
    const setting: Setting = { manualExecutors: new Set(), defaultIsManual: false, coordinatorIdle: false, now: START };
    const kept = new TaskStates();
    const first = kept.compute({ ...setting, tasks });
    expect(kept.compute({ ...setting, tasks })).toBe(first);
    const next = new Map(tasks);
    next.set('t199', { ...(tasks.get('t199') as Task), title: 'Last one renamed' });
    const second = kept.compute({ ...setting, tasks: next });
    expect(second).not.toBe(first);
    for (const id of tasks.keys()) if (id !== 't199') expect(second.get(id)).toBe(first.get(id));
  });

  it('keeps the dependents index it is given (the window reads the same one, not one built again)', () => {
    const tasks = plan(50, seededRandom(7));
    const dependents = new KeptDependents();
    const update = vi.spyOn(dependents, 'update');
    new TaskStates(dependents).compute({ manualExecutors: new Set(), defaultIsManual: false, coordinatorIdle: false, now: START, tasks });
    expect(update).toHaveBeenCalledWith(tasks);
  });
});

describe('task states worked out in one pass over the graph', () => {
  it.each([1, 2, 3, 4])(
    'equal the state each task has by its own definition, with failures, loops, evaluations and waits (seed %i)',
    (seed) => {
      const pick = seededRandom(100 + seed);
      let tasks = plan(120, pick);
      // Edits bring loops, evaluation tasks, pauses, dates and removed dependencies.
      for (let step = 0; step < 200; step++) tasks = edit(tasks, pick, step);
      // Tasks parked by `wg wait`, and several held by the same failure (one state object may say it for all).
      for (const id of [...tasks.keys()].filter(() => pick() < 0.05))
        tasks.set(id, {
          ...(tasks.get(id) as Task),
          status: 'waiting',
          extra: { wait_condition: { mode: 'all', conditions: [{ type: 'timer', resume_after: '2025-06-02T10:00:00Z' }] } },
        });
      const setting: Setting = { manualExecutors: new Set(['manual']), defaultIsManual: false, coordinatorIdle: false, now: START };
      const context: StateContext = { ...setting, tasks };
      const states = new TaskStates().compute(context);
      expect(states.size).toBe(tasks.size);
      // taskState without the pass's shared work (no roots, no dependencies read before): the definition, task by task.
      for (const [id, task] of tasks) expect(states.get(id), id).toEqual(taskState(task, context));
      const kinds = new Set([...states.values()].map((state) => state.kind));
      expect(kinds).toContain('blocked');
      expect(kinds).toContain('waiting');
    },
  );
});
