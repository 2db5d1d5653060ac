import { describe, expect, it } from 'vitest';
import type { Task } from '../../src/shared/task';
import { KeptDependents } from '../../src/renderer/state/dependents';
import { makeTask } from './support/fixtures';
import { halvingPlan, runPaused } from './support/paused-steps';
import { seededRandom } from '../helpers/seeded-random';

/** "Required by" read from nothing: each task's dependents in the graph's order. */
function readFromNothing(tasks: ReadonlyMap<string, Task>): Array<[string, string[]]> {
  const index = new Map<string, string[]>();
  for (const task of tasks.values())
    for (const dependency of task.after) index.set(dependency, [...(index.get(dependency) ?? []), task.id]);
  return [...index].sort(([a], [b]) => (a < b ? -1 : 1));
}

const entries = (index: ReadonlyMap<string, readonly string[]>) =>
  [...index].map(([id, list]): [string, string[]] => [id, [...list]]).sort(([a], [b]) => (a < b ? -1 : 1));

describe('the dependents index kept from one graph to the next', () => {
  it.each([1, 2, 3, 4, 5])('equals the index read from nothing after every edit of a random sequence (seed %i)', (seed) => {
    const pick = seededRandom(seed);
    const any = <T>(list: readonly T[]) => list[Math.floor(pick() * list.length)] as T;
    let tasks = new Map<string, Task>();
    for (let i = 0; i < 50; i++) {
      const after = i === 0 ? [] : [...new Set(Array.from({ length: Math.floor(pick() * 4) }, () => `t${Math.floor(pick() * i)}`))];
      tasks.set(`t${i}`, makeTask({ id: `t${i}`, after }));
    }
    const kept = new KeptDependents();
    for (let step = 0; step < 200; step++) {
      const before = kept.update(tasks);
      expect(entries(before), `step ${step}`).toEqual(readFromNothing(tasks));
      const next = new Map(tasks);
      const ids = [...next.keys()];
      const id = any(ids);
      const task = next.get(id) as Task;
      const roll = pick();
      if (roll < 0.3)
        next.set(id, { ...task, after: [...new Set([...task.after, any(ids), 'not-in-the-graph'].slice(0, 1 + Math.floor(pick() * 5)))] });
      else if (roll < 0.5) next.set(id, { ...task, after: task.after.filter(() => pick() < 0.5) });
      else if (roll < 0.65) next.set(`n${step}`, makeTask({ id: `n${step}`, after: [id] }));
      else if (roll < 0.8) next.delete(id);
      else if (roll < 0.95) next.set(id, { ...task, status: 'done' });
      // A full reload: every task a new object, in another order.
      else tasks = new Map([...next].reverse().map(([key, value]) => [key, { ...value }]));
      if (roll < 0.95) tasks = next;
    }
  });

  it('gives the same index back while only statuses change, and shares the lists an edit did not touch', () => {
    const tasks = new Map(['a', 'b', 'c', 'd'].map((id, i) => [id, makeTask({ id, after: i === 0 ? [] : ['a'] })]));
    const kept = new KeptDependents();
    const first = kept.update(tasks);
    const done = new Map(tasks).set('b', { ...(tasks.get('b') as Task), status: 'done' });
    expect(kept.update(done)).toBe(first);
    const edited = new Map(done).set('d', { ...(tasks.get('d') as Task), after: ['a', 'c'] });
    const second = kept.update(edited);
    expect(second.get('a')).toBe(first.get('a'));
    expect(second.get('c')).toEqual(['d']);
  });

  it('reads no graph as no dependents and keeps the index of the graph before: that graph back is not read again', () => {
    const plan = new Map(['a', 'b', 'c'].map((id, i) => [id, makeTask({ id, after: i === 0 ? [] : ['a'] })]));
    const kept = new KeptDependents();
    const first = kept.update(plan);
    expect(kept.update(new Map()).size).toBe(0);
    expect(kept.update(plan)).toBe(first);
    // A graph after it is read against the one kept.
    const without = new Map(plan);
    without.delete('b');
    expect(entries(kept.update(without))).toEqual([['a', ['c']]]);
  });

  it('reads a plan from nothing in steps that pause where a slice is due, and an update asked for meanwhile reads the index before', () => {
    const plan = halvingPlan(5000);
    const kept = new KeptDependents();
    const small = new Map([
      ['a', makeTask({ id: 'a' })],
      ['b', makeTask({ id: 'b', after: ['a'] })],
    ]);
    const first = kept.update(small);
    // Asked for the graph it holds while the plan is read: the index as it was, whole.
    const { value, pauses } = runPaused(
      (due) => kept.steps(plan, due),
      () => expect(kept.update(small)).toBe(first),
    );
    expect(pauses).toBe(50);
    expect(entries(value)).toEqual(readFromNothing(plan));
    expect(kept.update(plan)).toBe(value);
  });
});
