import { describe, expect, it } from 'vitest';
import { GraphTracker } from '../../../src/main/projects/graph-tracker';
import { Workgraph } from '../../renderer/support/workgraph';
import { makeTask } from '../../renderer/support/fixtures';

describe("main's view of the graph (tray, notifications)", () => {
  it("drops a task the store removed (upstream's gc through graph.jsonl)", async () => {
    const fake = await Workgraph.open();
    await fake.seed([makeTask({ id: 'a' }), makeTask({ id: 'b' })]);
    const tracker = new GraphTracker({ dispatch: async (name, input) => fake.call(name, input) });
    await tracker.refresh();
    await fake.update('a', { status: 'in-progress' });
    await tracker.refresh();
    await fake.remove('b');
    const change = await tracker.refresh();
    expect(change.next.map((t) => t.id)).toEqual(['a']);
    expect(tracker.taskList().map((t) => [t.id, t.status])).toEqual([['a', 'in-progress']]);
  });
});
