import { describe, expect, it } from 'vitest';
import { ClusterWorkLists, clusterWork } from '../../src/renderer/graph/view/cluster-work';
import type { LayoutGroup } from '../../src/renderer/graph/layout/layout-types';
import type { TaskState } from '../../src/renderer/task-state/task-state';
import { stateOf } from './support/task-states';

describe('the tasks a cluster box names at Fit', () => {
  const states = new Map<string, TaskState>([
    ['a', stateOf('done')],
    ['b', stateOf('running')],
    ['c', stateOf('blocked')],
    ['d', stateOf('failed')],
    ['e', stateOf('waiting')],
    ['f', stateOf('needs-you')],
    ['g', stateOf('running')],
    ['h', stateOf('evaluating')],
  ]);

  it('are those a person acts on, most urgent first, in the graph’s order within a kind (what a failure holds is only counted)', () => {
    expect(clusterWork(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'], states)).toEqual({ ids: ['f', 'd', 'b', 'g', 'h'], total: 5 });
    expect(clusterWork(['a', 'e'], states)).toEqual({ ids: [], total: 0 });
  });

  it('keep twelve of a big stage, and count them all', () => {
    const many = new Map(Array.from({ length: 500 }, (_, i) => [`r${i}`, stateOf('running')] as const));
    const work = clusterWork([...many.keys()], many);
    expect(work.total).toBe(500);
    expect(work.ids).toEqual(Array.from({ length: 12 }, (_, i) => `r${i}`));
  });

  it('are worked out once per change of the states, not on every frame', () => {
    const lists = new ClusterWorkLists();
    const group: LayoutGroup = { anchor: 'stage:1', ids: ['a', 'b', 'd'], box: { x: 0, y: 0, width: 100, height: 100 }, pending: false };
    const first = lists.of(group, states);
    expect(lists.of(group, states)).toBe(first);
    const changed = new Map(states).set('a', stateOf('failed'));
    expect(lists.of(group, changed).ids).toEqual(['a', 'd', 'b']);
  });
});
