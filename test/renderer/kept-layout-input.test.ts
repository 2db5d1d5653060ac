import { describe, expect, it } from 'vitest';
import type { Task } from '../../src/shared/task';
import { KeptLayoutInput, KeptLayoutInputs, layoutInput } from '../../src/renderer/graph/layout/layout-input';
import type { LayoutInput } from '../../src/renderer/graph/layout/layout-types';
import { GraphStore } from '../../src/renderer/state/graph-store';
import { seededRandom } from '../helpers/seeded-random';
import { makeTask } from './support/fixtures';
import { halvingPlan, runPaused } from './support/paused-steps';

/** The cards in their order, the edges in any order (only the first layout reads theirs, and it is read from nothing). */
const seen = (input: LayoutInput) => ({
  nodes: input.nodes.map((node) => `${node.id}:${node.width}x${node.height}`),
  edges: input.edges.map((edge) => `${edge.source}->${edge.target}`).sort(),
  gridColumns: input.gridColumns,
});

describe("the layout's input kept from one graph to the next", () => {
  it.each([1, 2, 3, 4, 5])('equals the input read from nothing after every merge of a random sequence (seed %i)', (seed) => {
    const pick = seededRandom(seed);
    const store = new GraphStore();
    const ids = Array.from({ length: 60 }, (_, i) => `t${i}`);
    // Some dependencies name tasks that come later, or never.
    const someOf = (all: readonly string[], id: string) => [...all, 'gone'].filter((other) => other !== id && pick() < 0.04);
    store.apply({ rev: 1, tasks: ids.map((id) => makeTask({ id, after: someOf(ids, id) })), agents: [] }, true);
    const kept = new KeptLayoutInput();
    let returned: Array<[LayoutInput, Awaited<ReturnType<typeof seen>>]> = [];
    let incremental = 0;
    for (let step = 2; step < 300; step++) {
      const tasks = store.getState().tasks;
      const roll = pick();
      if (roll < 0.04) {
        store.apply({ rev: step, tasks: [...tasks.values()].filter(() => pick() < 0.95).map((task) => ({ ...task })), agents: [] }, true);
      } else {
        const merged = Array.from({ length: 1 + Math.floor(pick() * 3) }, (): Task => {
          const id = roll < 0.25 ? `n${step}` : pick() < 0.05 ? 'gone' : (ids[Math.floor(pick() * ids.length)] as string);
          const old = tasks.get(id) ?? makeTask({ id });
          const all = [...tasks.keys()];
          const twice = pick() < 0.1 && old.after[0] ? [old.after[0]] : [];
          return pick() < 0.4 ? { ...old, status: 'done' } : { ...old, after: [...someOf(all, id), ...twice] };
        });
        store.apply({ rev: step, tasks: merged, agents: [] }, false);
      }
      if (pick() < 0.3) continue;
      const now = store.getState().tasks;
      // Now and then a filter or a lens (read from nothing), then back to the whole graph.
      const filter = pick() < 0.1 ? new Set([...now.keys()].filter(() => pick() < 0.5)) : null;
      const lens = !filter && pick() < 0.1 ? { order: [...now.keys()].filter(() => pick() < 0.3).reverse(), gridColumns: 4 } : undefined;
      const input = kept.update(now, filter, lens);
      expect(seen(input), `step ${step}`).toEqual(seen(layoutInput(now, filter, lens)));
      if (!filter && !lens) incremental++;
      // What was returned before is as it was.
      for (const [before, as] of returned) expect(seen(before)).toEqual(as);
      returned = [...returned.slice(-3), [input, seen(input)]];
    }
    expect(incremental).toBeGreaterThan(100);
  });

  it('reads the tasks a merge brought, not the graph: an edit adds its edge last, the cards shared', () => {
    const store = new GraphStore();
    store.apply(
      { rev: 1, tasks: Array.from({ length: 5 }, (_, i) => makeTask({ id: `t${i}`, after: i > 0 ? [`t${i - 1}`] : [] })), agents: [] },
      true,
    );
    const kept = new KeptLayoutInput();
    const first = kept.update(store.getState().tasks);
    const t1 = store.getState().tasks.get('t1') as Task;
    store.apply({ rev: 2, tasks: [{ ...t1, after: ['t0', 't3'] }], agents: [] }, false);
    const next = kept.update(store.getState().tasks);
    expect(next.edges.at(-1)).toEqual({ source: 't3', target: 't1' });
    expect(next.nodes.every((node, i) => node === first.nodes[i])).toBe(true);
    expect(first.edges).toHaveLength(4);
  });

  it('gives back the input it made while nothing it reads changed (boot.ts makes the first; the graph page reads the same)', () => {
    const store = new GraphStore();
    store.apply({ rev: 1, tasks: [makeTask({ id: 'a' }), makeTask({ id: 'b', after: ['a'] })], agents: [] }, true);
    const kept = new KeptLayoutInput();
    const first = kept.update(store.getState().tasks, null);
    // No filter given (the page) is no filter (boot.ts): the same input, not one made again.
    expect(kept.update(store.getState().tasks)).toBe(first);
    store.apply({ rev: 2, tasks: [{ ...(store.getState().tasks.get('b') as Task), after: [] }], agents: [] }, false);
    const next = kept.update(store.getState().tasks);
    expect(next).not.toBe(first);
    expect(seen(next)).toEqual(seen(layoutInput(store.getState().tasks)));
    expect(seen(first).edges).toEqual(['a->b']);
  });

  it('reads a plan from nothing in steps that pause where a slice is due (boot.ts), an update asked for meanwhile reading the input kept before', () => {
    const plan = halvingPlan(3000);
    const small = new Map([
      ['a', makeTask({ id: 'a' })],
      ['b', makeTask({ id: 'b', after: ['a'] })],
    ]);
    const kept = new KeptLayoutInputs();
    const first = kept.update(small, null);
    // 3,000 cards, then their edges: 6,000 reads, 60 pauses. Asked for the graph it holds while the plan is read: the
    // input as it was, whole.
    const { value, pauses } = runPaused(
      (due) => kept.steps(plan, null, undefined, due),
      () => expect(kept.update(small)).toBe(first),
    );
    expect(pauses).toBe(60);
    expect(seen(value)).toEqual(seen(layoutInput(plan)));
    // Kept: the plan asked for again is the same input, not one made again.
    expect(kept.update(plan)).toBe(value);
  });

  it("keeps the whole plan's input beside a lens's: back to every task (Fit), only the tasks changed meanwhile are read", () => {
    // Issue 76 item 3: Fit after the first view's lens read a 50,000-task plan's input from nothing (50–80 ms).
    const store = new GraphStore();
    store.apply(
      { rev: 1, tasks: Array.from({ length: 6 }, (_, i) => makeTask({ id: `t${i}`, after: i > 0 ? [`t${i - 1}`] : [] })), agents: [] },
      true,
    );
    const kept = new KeptLayoutInputs();
    const whole = kept.update(store.getState().tasks, null);
    const lens = { order: ['t5', 't4'], gridColumns: 2 };
    expect(seen(kept.update(store.getState().tasks, null, lens))).toEqual(seen(layoutInput(store.getState().tasks, null, lens)));
    // Nothing changed: the same input as before the lens, its cards the same objects.
    expect(kept.update(store.getState().tasks)).toBe(whole);
    // Changed under the lens: the whole plan's input as read from nothing, its unchanged cards kept.
    const t2 = store.getState().tasks.get('t2') as Task;
    store.apply({ rev: 2, tasks: [{ ...t2, after: ['t0'] }, makeTask({ id: 'new', after: ['t5'] })], agents: [] }, false);
    kept.update(store.getState().tasks, null, lens);
    const back = kept.update(store.getState().tasks);
    expect(seen(back)).toEqual(seen(layoutInput(store.getState().tasks)));
    expect(back.nodes.slice(0, 6).every((node, i) => node === whole.nodes[i])).toBe(true);
    // A filter is kept apart from the whole plan's too.
    const filter = new Set(['t0', 't1']);
    expect(seen(kept.update(store.getState().tasks, filter))).toEqual(seen(layoutInput(store.getState().tasks, filter)));
    expect(kept.update(store.getState().tasks)).toBe(back);
  });
});
