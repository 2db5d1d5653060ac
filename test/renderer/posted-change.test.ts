import { describe, expect, it } from 'vitest';
import { countedRunner } from './support/counted-runner';
import { postedChange, receivedChange } from '../../src/renderer/graph/layout/posted-change';
import { KeptLayoutInput } from '../../src/renderer/graph/layout/layout-input';
import { makeTask } from './support/fixtures';

/** How many objects and arrays a message holds: what the structured clone of it makes one by one. */
function objectsIn(value: unknown, seen = new Set<object>()): number {
  if (typeof value !== 'object' || value === null || seen.has(value)) return 0;
  seen.add(value);
  // A typed array is copied (or moved) as one buffer.
  if (ArrayBuffer.isView(value)) return 1;
  let count = 1;
  for (const inner of Object.values(value)) count += objectsIn(inner, seen);
  return count;
}

describe('a change of what a layout worker holds, as posted to it', () => {
  it("reads back as the change it was made from, each card's size and every edge (one listed twice) in order", async () => {
    const change = {
      key: 'k',
      from: ['a', 'b'],
      forget: ['c'],
      clear: true,
      removedNodes: ['x', 'y'],
      addedNodes: [
        { id: 'n1', width: 232, height: 96 },
        { id: 'n"2\n', width: 300.5, height: 120 },
      ],
      removedEdges: [{ source: 'x', target: 'n1' }],
      addedEdges: [
        { source: 'n1', target: 'n"2\n' },
        { source: 'n1', target: 'n"2\n' },
      ],
    };
    expect(receivedChange(structuredClone(await postedChange(change)))).toEqual(change);
    const { clear: _, ...kept } = change;
    expect(receivedChange(await postedChange(kept))).toEqual(kept);
  });

  it("is a handful of texts and one array, not an object per card and per edge: a 5,000-task plan's first layout posts 5 objects", async () => {
    const sent: unknown[] = [];
    const runner = countedRunner(sent);
    const tasks = new Map(
      Array.from({ length: 5000 }, (_, i) => {
        const task = makeTask({ id: `t${i}`, after: i === 0 ? [] : [`t${Math.floor(i / 2)}`] });
        return [task.id, task] as const;
      }),
    );
    const layout = await runner.run(new KeptLayoutInput().update(tasks, null));
    expect(Object.keys(layout?.positions ?? {})).toHaveLength(5000);
    expect(sent).toHaveLength(1);
    // The request, its change (its lists of ids and ends: a text each), the change's from and forget and the sizes.
    expect(objectsIn(sent[0])).toBe(5);
    runner.dispose();
  });
});
