import { describe, expect, it } from 'vitest';
import type { Task } from '../../src/shared/task';
import { KeptDependents } from '../../src/renderer/state/dependents';
import { GraphStore } from '../../src/renderer/state/graph-store';
import { changedKeys } from '../../src/renderer/state/task-changes';
import { TaskStates } from '../../src/renderer/task-state/task-state';
import { seededRandom } from '../helpers/seeded-random';
import { makeTask } from './support/fixtures';

/** "Required by" read from nothing, sorted. */
function readFromNothing(tasks: ReadonlyMap<string, Task>): Array<[string, string[]]> {
  const index = new Map<string, string[]>();
  for (const task of tasks.values())
    for (const dependency of task.after) index.set(dependency, [...(index.get(dependency) ?? []), task.id]);
  return [...index].sort(([a], [b]) => (a < b ? -1 : 1));
}
const entries = (index: ReadonlyMap<string, readonly string[]>) =>
  [...index].map(([id, list]): [string, string[]] => [id, [...list]]).sort(([a], [b]) => (a < b ? -1 : 1));
/** The same setting each time (a new one would have every state looked at again). */
const MANUAL = new Set<string>();
const context = (tasks: ReadonlyMap<string, Task>) => ({
  tasks,
  manualExecutors: MANUAL,
  defaultIsManual: false,
  coordinatorIdle: false,
  remoteWaiting: undefined,
  now: Date.parse('2026-01-01T00:00:00Z'),
});

describe('the tasks changed between two graphs the store made', () => {
  it.each([1, 2, 3, 4, 5])(
    'name every task that differs, after a random sequence of merges read now and then (seed %i); what is kept from them equals what is read from nothing',
    (seed) => {
      const pick = seededRandom(seed);
      const store = new GraphStore();
      const ids = Array.from({ length: 60 }, (_, i) => `t${i}`);
      store.apply(
        { rev: 1, tasks: ids.map((id, i) => makeTask({ id, after: i > 0 ? [`t${Math.floor(pick() * i)}`] : [] })), agents: [] },
        true,
      );
      let read = store.getState().tasks;
      const dependents = new KeptDependents();
      const states = new TaskStates();
      dependents.update(read);
      let small = 0;
      let smallBack = 0;
      for (let step = 2; step < 300; step++) {
        const tasks = store.getState().tasks;
        const roll = pick();
        if (roll < 0.05) {
          // A full snapshot: a task removed, every task a new object.
          const kept = [...tasks.values()].filter(() => pick() < 0.97).map((task) => ({ ...task }));
          store.apply({ rev: step, tasks: kept, agents: [] }, true);
        } else {
          const merged = Array.from({ length: 1 + Math.floor(pick() * 3) }, () => {
            const id = roll < 0.2 ? `n${step}` : (ids[Math.floor(pick() * ids.length)] as string);
            const old = tasks.get(id) ?? makeTask({ id });
            return pick() < 0.5
              ? { ...old, status: 'done' as const }
              : { ...old, after: [...tasks.keys()].filter(() => pick() < 0.03).filter((other) => other !== id) };
          });
          store.apply({ rev: step, tasks: merged, agents: [] }, false);
        }
        // Read every few merges (a render sees some states, not all).
        if (pick() < 0.4) continue;
        const now = store.getState().tasks;
        const changed = new Set(changedKeys(read, now));
        for (const id of new Set([...read.keys(), ...now.keys()]))
          if (read.get(id) !== now.get(id)) expect(changed.has(id), `step ${step}: ${id}`).toBe(true);
        if (changed.size < now.size) small++;
        expect(entries(dependents.update(now)), `step ${step}`).toEqual(readFromNothing(now));
        expect(states.compute(context(now))).toEqual(new TaskStates().compute(context(now)));
        // Now and then the graph read before is read again after this one (a render React set aside, drawn again with
        // the graph before), then this one again: the same merges name what differs, either way.
        if (pick() < 0.3 && read !== now) {
          const back = new Set(changedKeys(now, read));
          for (const id of new Set([...read.keys(), ...now.keys()]))
            if (read.get(id) !== now.get(id)) expect(back.has(id), `step ${step} back: ${id}`).toBe(true);
          if (back.size < now.size) smallBack++;
          expect(entries(dependents.update(read)), `step ${step} back`).toEqual(readFromNothing(read));
          expect(states.compute(context(read))).toEqual(new TaskStates().compute(context(read)));
          expect(entries(dependents.update(now)), `step ${step} again`).toEqual(readFromNothing(now));
          expect(states.compute(context(now))).toEqual(new TaskStates().compute(context(now)));
        }
        read = now;
      }
      // Most reads named only what the merges since brought, and so did most reads back.
      expect(small).toBeGreaterThan(100);
      expect(smallBack).toBeGreaterThan(25);
    },
  );
});
