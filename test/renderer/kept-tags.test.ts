import { describe, expect, it } from 'vitest';
import type { Task } from '../../src/shared/task';
import { KeptTags } from '../../src/renderer/state/kept-tags';
import { GraphStore } from '../../src/renderer/state/graph-store';
import { seededRandom } from '../helpers/seeded-random';
import { makeTask } from './support/fixtures';
import { halvingPlan, runPaused } from './support/paused-steps';

/** Every tag of the graph, sorted: the tag menu read from nothing. */
const tagsOf = (tasks: ReadonlyMap<string, Task>) => [...new Set([...tasks.values()].flatMap((task) => task.tags))].sort();
const TAGS = ['api', 'ui', 'docs', 'area-1', 'area-2', 'agency'];

describe("the graph's tags, kept from one graph to the next", () => {
  it.each([1, 2, 3, 4])('equal the tags read from nothing after every change of a random sequence (seed %i)', (seed) => {
    const pick = seededRandom(seed);
    const some = () => TAGS.filter(() => pick() < 0.25);
    const store = new GraphStore();
    store.apply({ rev: 1, tasks: Array.from({ length: 40 }, (_, i) => makeTask({ id: `t${i}`, tags: some() })), agents: [] }, true);
    const kept = new KeptTags();
    let changedTags = 0;
    for (let step = 2; step < 300; step++) {
      const tasks = store.getState().tasks;
      const all = [...tasks.values()];
      const roll = pick();
      if (roll < 0.05) store.apply({ rev: step, tasks: all.filter(() => pick() < 0.9).map((task) => ({ ...task })), agents: [] }, true);
      else if (roll < 0.15) store.apply({ rev: step, tasks: [makeTask({ id: `n${step}`, tags: some() })], agents: [] }, false);
      else {
        const task = all[Math.floor(pick() * all.length)] as Task;
        // A tag listed twice counts once; most changes are of a status, not of tags.
        const tags = pick() < 0.3 ? [...some(), ...task.tags.slice(0, 1)] : task.tags;
        if (tags !== task.tags) changedTags++;
        store.apply({ rev: step, tasks: [{ ...task, tags, status: pick() < 0.5 ? 'done' : 'open' }], agents: [] }, false);
      }
      if (pick() < 0.3) continue;
      const graph = store.getState().tasks;
      expect(kept.update(graph), `step ${step}`).toEqual(tagsOf(graph));
    }
    expect(changedTags).toBeGreaterThan(30);
  });

  it("reads only the changed task's tags on a status change of a 10,000-task plan, and answers the same list", () => {
    let reads = 0;
    const counted = (task: Task): Task => {
      const tags = task.tags;
      return Object.defineProperty({ ...task }, 'tags', {
        get: () => {
          reads++;
          return tags;
        },
        enumerable: true,
      });
    };
    const store = new GraphStore();
    const plan = Array.from({ length: 10_000 }, (_, i) => counted(makeTask({ id: `t${i}`, tags: [`area-${Math.floor(i / 500)}`] })));
    store.apply({ rev: 1, tasks: plan, agents: [] }, true);
    const kept = new KeptTags();
    const first = kept.update(store.getState().tasks);
    expect(first).toHaveLength(20);
    reads = 0;
    const task = store.getState().tasks.get('t4003') as Task;
    store.apply({ rev: 2, tasks: [counted({ ...task, status: 'done', tags: [...task.tags] })], agents: [] }, false);
    expect(kept.update(store.getState().tasks)).toBe(first);
    // The changed task as it was and as it is, each compared once.
    expect(reads).toBeLessThanOrEqual(4);
  });

  it('read from nothing in steps, equal the tags read at once; an update while they pause answers the ones before', () => {
    const tagged = (size: number, areas: number) =>
      new Map([...halvingPlan(size)].map(([id, task], i) => [id, { ...task, tags: [`area-${i % areas}`, ...(i % 3 ? [] : ['api'])] }]));
    const small = tagged(50, 3);
    const big = tagged(3000, 25);
    const kept = new KeptTags();
    const before = kept.update(small);
    let meanwhile: readonly string[] = [];
    const { value, pauses } = runPaused(
      (due) => kept.steps(big, due),
      () => {
        meanwhile = kept.update(small);
      },
    );
    expect(pauses).toBeGreaterThanOrEqual(29);
    expect(meanwhile).toBe(before);
    expect(value).toEqual(tagsOf(big));
    // No graph (the page drawn before its states are whole): no tags, and the plan is not read again when it comes back.
    expect(kept.update(new Map())).toEqual([]);
    expect(
      runPaused(
        (due) => kept.steps(big, due),
        () => undefined,
      ),
    ).toEqual({ value, pauses: 0 });
  });
});
