import { describe, expect, it } from 'vitest';
import { TASK_STATUSES, type Task } from '../../src/shared/task';
import { KeptWorkTarget, type WorkTarget, workTarget } from '../../src/renderer/graph/view/work-set';
import { GraphStore } from '../../src/renderer/state/graph-store';
import { TaskStates } from '../../src/renderer/task-state/task-state';
import { seededRandom } from '../helpers/seeded-random';
import { makeTask } from './support/fixtures';
import { halvingPlan, runPaused } from './support/paused-steps';

const MINUTE = 60_000;
/** The same setting each time (a new one would have every state looked at again). */
const MANUAL = new Set<string>();

describe('the work target kept from one graph to the next', () => {
  it.each([1, 2, 3, 4, 5])('equals the target read from nothing after every change of a random sequence (seed %i)', (seed) => {
    const pick = seededRandom(seed);
    let now = Date.parse('2026-01-01T12:00:00Z');
    const store = new GraphStore();
    const ids = Array.from({ length: 50 }, (_, i) => (i % 7 === 3 ? `.flip-t${i}` : `t${i}`));
    store.apply(
      {
        rev: 1,
        tasks: ids.map((id, i) => makeTask({ id, after: i > 0 && pick() < 0.2 ? [ids[Math.floor(pick() * i)] as string] : [] })),
        agents: [],
      },
      true,
    );
    const states = new TaskStates();
    const kept = new KeptWorkTarget();
    const stateOf = (tasks: ReadonlyMap<string, Task>) =>
      states.compute({ tasks, manualExecutors: MANUAL, defaultIsManual: false, coordinatorIdle: false, now });
    let urgent = 0;
    for (let step = 2; step < 300; step++) {
      const tasks = store.getState().tasks;
      const all = [...tasks.keys()];
      const roll = pick();
      now += Math.floor(pick() * 4 * MINUTE);
      if (roll < 0.05)
        store.apply({ rev: step, tasks: [...tasks.values()].filter(() => pick() < 0.95).map((task) => ({ ...task })), agents: [] }, true);
      else if (roll < 0.1) store.apply({ rev: step, tasks: [makeTask({ id: `n${step}`, after: [all[0] as string] })], agents: [] }, false);
      // Only time passes: what finished a while ago is no longer just finished.
      else if (roll < 0.3) now += 5 * MINUTE;
      else {
        const task = tasks.get(all[Math.floor(pick() * all.length)] as string) as Task;
        const status = TASK_STATUSES[Math.floor(pick() * TASK_STATUSES.length)] as Task['status'];
        const completed_at = status === 'done' ? new Date(now - Math.floor(pick() * 30 * MINUTE)).toISOString() : null;
        store.apply({ rev: step, tasks: [{ ...task, status, completed_at }], agents: [] }, false);
      }
      if (pick() < 0.3) continue;
      const graph = store.getState().tasks;
      const target = kept.update(graph, stateOf(graph), now);
      expect(target, `step ${step}`).toEqual(workTarget(graph, stateOf(graph), now));
      if (target?.about === 'the work') urgent++;
    }
    expect(urgent).toBeGreaterThan(50);
  });

  it('read from nothing in steps equals the target read at once; an update while they pause answers the one before', () => {
    const now = Date.parse('2026-01-01T12:00:00Z');
    const stateOf = (tasks: ReadonlyMap<string, Task>) =>
      new TaskStates().compute({ tasks, manualExecutors: MANUAL, defaultIsManual: false, coordinatorIdle: false, now });
    const withStatuses = (size: number) => {
      const tasks = halvingPlan(size);
      for (const [id, task] of tasks) {
        const i = Number(id.slice(1));
        if (i < size / 2) tasks.set(id, { ...task, status: 'done', completed_at: new Date(now - (i % 40) * MINUTE).toISOString() });
        else if (i % 97 === 5) tasks.set(id, { ...task, status: 'in-progress' });
        else if (i % 211 === 9) tasks.set(id, { ...task, status: 'failed' });
      }
      return tasks;
    };
    const small = withStatuses(300);
    const big = withStatuses(3000);
    // How often the big plan's states were read whole: a look at every task reads them so.
    let wholeReads = 0;
    class CountedStates<K, V> extends Map<K, V> {
      override *[Symbol.iterator](): MapIterator<[K, V]> {
        wholeReads++;
        yield* super[Symbol.iterator]();
      }
    }
    const [smallStates, bigStates] = [stateOf(small), new CountedStates(stateOf(big))];
    const kept = new KeptWorkTarget();
    const before = kept.update(small, smallStates, now);
    expect(before?.acting).toBeGreaterThan(0);
    let meanwhile: WorkTarget | null = null;
    const { pauses } = runPaused(
      (due) => kept.steps(big, bigStates, now, due),
      () => {
        meanwhile = kept.update(small, smallStates, now);
      },
    );
    expect(pauses).toBeGreaterThanOrEqual(29);
    expect(meanwhile).toEqual(before);
    expect(kept.update(big, bigStates, now)).toEqual(workTarget(big, bigStates, now));
    const pausesOfAnotherLook = () =>
      runPaused(
        (due) => kept.steps(big, bigStates, now, due),
        () => undefined,
      ).pauses;
    // The internal tasks a person hides are left out when the target is made: no task is looked at again for them.
    const hidden = new Set([...bigStates.keys()].filter((id) => bigStates.get(id)?.kind === 'running'));
    const [withHidden, withAll] = [new KeptWorkTarget().update(big, bigStates, now, hidden), workTarget(big, bigStates, now)];
    wholeReads = 0;
    expect(kept.update(big, bigStates, now, hidden)).toEqual(withHidden);
    expect(kept.update(big, bigStates, now)).toEqual(withAll);
    expect(wholeReads).toBe(0);
    expect(pausesOfAnotherLook()).toBe(0);
    // No graph (the page drawn before its states are whole): no work, and the plan is not read again when it comes back.
    expect(kept.update(new Map(), new Map(), now)).toBeNull();
    expect(pausesOfAnotherLook()).toBe(0);
    expect(kept.update(big, bigStates, now)).toEqual(workTarget(big, bigStates, now));
  });
});
