import { describe, expect, it, vi } from 'vitest';
import { readFirstSnapshot } from '../../src/renderer/boot';
import { createLayoutRunner } from '../../src/renderer/graph/layout/layout-runner';
import { countedRunner } from './support/counted-runner';
import { dependentsIndex } from '../../src/renderer/state/dependents';
import { GraphStore } from '../../src/renderer/state/graph-store';
import { makeTask } from './support/fixtures';

describe('the first snapshot, read before the window is told of it', () => {
  it("makes the layout's input and the dependents index the window then reads, once", async () => {
    const store = new GraphStore();
    const runner = createLayoutRunner(null);
    const next = store.merged(
      { rev: 1, tasks: [makeTask({ id: 'a' }), makeTask({ id: 'b', after: ['a'] }), makeTask({ id: 'c', after: ['a', 'b'] })], agents: [] },
      true,
    );
    if (!next) throw new Error('the snapshot brought nothing');
    const index = vi.spyOn(store.dependents, 'steps');
    await readFirstSnapshot(next.tasks, store, runner);
    expect(index).toHaveBeenCalledWith(next.tasks, expect.any(Function));
    store.take(next);
    // The graph page's reads: the same input object (not made again) and the index of these tasks.
    const input = runner.input.update(next.tasks, null);
    expect(runner.input.update(store.getState().tasks)).toBe(input);
    expect(store.dependents.update(store.getState().tasks)).toEqual(dependentsIndex(next.tasks));
    runner.dispose();
  });

  it('is done only once the layout worker has the plan: the window, told after, renders beside the layout, not before it', async () => {
    const store = new GraphStore();
    // The layout server of the window's workers, on this thread; what the window posts to it is counted.
    const sent: unknown[] = [];
    const runner = countedRunner(sent);
    const tasks = Array.from({ length: 5000 }, (_, i) => makeTask({ id: `t${i}`, after: i === 0 ? [] : [`t${Math.floor(i / 2)}`] }));
    const next = store.merged({ rev: 1, tasks, agents: [] }, true);
    if (!next) throw new Error('the snapshot brought nothing');
    await readFirstSnapshot(next.tasks, store, runner);
    expect(sent).toHaveLength(1);
    runner.dispose();
  });
});
