import { describe, expect, it } from 'vitest';
import { CARD_HEIGHT, CARD_WIDTH } from '../../src/renderer/graph/card-size';
import { createLayoutRunner } from '../../src/renderer/graph/layout/layout-runner';
import type { GraphLayout, LayoutInput } from '../../src/renderer/graph/layout/layout-types';
import { type Cluster, clusterNames, connectedClusters, KeptSharedTags } from '../../src/renderer/graph/view/clusters';
import { GraphStore } from '../../src/renderer/state/graph-store';
import { makeTask } from './support/fixtures';
import { KeptStages } from '../../src/renderer/graph/view/kept-clusters';
import { seededRandom } from '../helpers/seeded-random';

const CARD = { width: CARD_WIDTH, height: CARD_HEIGHT };

/** Tasks by id with their dependencies (each on earlier ones: no loop). */
type Plan = Map<string, string[]>;

function plan(size: number, pick: () => number): Plan {
  const tasks: Plan = new Map();
  for (let i = 0; i < size; i++) {
    // Some tasks start a part of their own, some stand alone: several groups and the singles grid.
    const roll = pick();
    const after =
      i === 0 || roll < 0.08 ? [] : [...new Set(Array.from({ length: 1 + Math.floor(pick() * 2) }, () => `t${Math.floor(pick() * i)}`))];
    tasks.set(`t${i}`, after);
  }
  return tasks;
}

/** One edit: a dependency added or taken away, a task added or removed. */
function edit(tasks: Plan, pick: () => number, serial: number): Plan {
  const next = new Map(tasks);
  const ids = [...next.keys()];
  const order = new Map(ids.map((id, index) => [id, index]));
  const any = () => ids[Math.floor(pick() * ids.length)] as string;
  const id = any();
  const after = next.get(id) ?? [];
  const roll = pick();
  if (roll < 0.45) {
    // A dependency on an earlier task (in the plan's order): no loop.
    const dependency = any();
    if ((order.get(dependency) ?? 0) < (order.get(id) ?? 0) && !after.includes(dependency)) next.set(id, [...after, dependency]);
  } else if (roll < 0.7) next.set(id, after.slice(1));
  else if (roll < 0.8) next.set(`n${serial}`, [id]);
  else {
    next.delete(id);
    for (const [other, list] of next)
      if (list.includes(id))
        next.set(
          other,
          list.filter((d) => d !== id),
        );
  }
  return next;
}

function inputOf(tasks: Plan): LayoutInput {
  return {
    nodes: [...tasks.keys()].map((id) => ({ id, ...CARD })),
    edges: [...tasks].flatMap(([id, after]) => after.filter((d) => tasks.has(d)).map((source) => ({ source, target: id }))),
  };
}

/** The clusters as a person sees them: each one's box, what it opens, its stage and its tasks (in any order). */
const seen = (clusters: readonly Cluster[]) =>
  clusters.map((cluster) => ({ ...cluster, ids: [...cluster.ids].sort(), changes: undefined, source: undefined }));

describe('the connected clusters kept from one layout to the next', () => {
  it.each([1, 2, 3, 4, 5, 6])('equal those worked out from nothing after every edit of a random sequence (seed %i)', async (seed) => {
    const pick = seededRandom(seed);
    const runner = createLayoutRunner(null);
    let tasks = plan(260, pick);
    let layout = (await runner.run(inputOf(tasks))) as GraphLayout;
    const kept = new KeptStages();
    expect(seen(connectedClusters(layout, kept))).toEqual(seen(connectedClusters(layout)));
    let staged = 0;
    let sharedLists = 0;
    let before = new Set<readonly string[]>();
    for (let step = 0; step < 40; step++) {
      tasks = edit(tasks, pick, step);
      layout = (await runner.run(inputOf(tasks), { previous: layout })) as GraphLayout;
      // Now and then a picture the clusters never saw (a deferred render skips one): read whole again.
      if (pick() < 0.1) continue;
      const clusters = connectedClusters(layout, kept);
      expect(seen(clusters), `step ${step}`).toEqual(seen(connectedClusters(layout)));
      staged += clusters.filter((cluster) => cluster.stage).length;
      for (const cluster of clusters) if (before.has(cluster.ids)) sharedLists++;
      before = new Set(clusters.map((cluster) => cluster.ids));
    }
    expect(staged).toBeGreaterThan(0);
    // Stages an edit left alone kept their lists (nothing was made per task for them).
    expect(sharedLists).toBeGreaterThan(0);
  });
});

describe("the clusters' names kept from one graph to the next", () => {
  it.each([1, 2, 3, 4])('equal the names read from nothing after every change of tags, tasks and lists (seed %i)', (seed) => {
    const pick = seededRandom(seed);
    const tags = ['api', 'ui', 'docs'];
    const tagged = () => tags.filter(() => pick() < 0.4);
    const store = new GraphStore();
    store.apply({ rev: 1, tasks: Array.from({ length: 80 }, (_, i) => makeTask({ id: `t${i}`, tags: tagged() })), agents: [] }, true);
    const box = { x: 0, y: 0, width: 10, height: 10 };
    const listOf = () => [...store.getState().tasks.keys()].filter(() => pick() < 0.15);
    let clusters: Cluster[] = Array.from({ length: 6 }, (_, i) => ({ anchor: `p${i}`, box, ids: listOf(), pending: false }));
    const kept = new KeptSharedTags();
    for (let step = 2; step < 200; step++) {
      const tasks = store.getState().tasks;
      const ids = [...tasks.keys()];
      const roll = pick();
      const one = tasks.get(ids[Math.floor(pick() * ids.length)] as string);
      if (roll < 0.3 && one) store.apply({ rev: step, tasks: [{ ...one, tags: tagged() }], agents: [] }, false);
      else if (roll < 0.7 && one) store.apply({ rev: step, tasks: [{ ...one, status: 'done' }], agents: [] }, false);
      else if (roll < 0.8) store.apply({ rev: step, tasks: [makeTask({ id: `n${step}`, tags: tagged() })], agents: [] }, false);
      // A list that changed (an edit moved tasks between stages) is a new list.
      else clusters = clusters.map((cluster) => (pick() < 0.3 ? { ...cluster, ids: listOf() } : cluster));
      if (pick() < 0.3) continue;
      const now = store.getState().tasks;
      expect(clusterNames(clusters, now, kept), `step ${step}`).toEqual(clusterNames(clusters, now));
    }
  });
});
