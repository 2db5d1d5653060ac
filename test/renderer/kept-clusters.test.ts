import { describe, expect, it } from 'vitest';
import { createLayoutRunner } from '../../src/renderer/graph/layout/layout-runner';
import type { GraphLayout } from '../../src/renderer/graph/layout/layout-types';
import { type Cluster, clusterNames, connectedClusters, KeptSharedTags } from '../../src/renderer/graph/view/clusters';
import { GraphStore } from '../../src/renderer/state/graph-store';
import { makeTask } from './support/fixtures';
import { KeptStages } from '../../src/renderer/graph/view/kept-clusters';
import { seededRandom } from '../helpers/seeded-random';
import { edit, inputOf, plan } from './support/random-plan';

/** The clusters as a person sees them: each one's box, what it opens, its stage and its tasks (in any order). */
const seen = (clusters: readonly Cluster[]) =>
  clusters.map((cluster) => ({ ...cluster, ids: [...cluster.ids].sort(), changes: undefined, source: undefined }));

describe('the connected clusters kept from one layout to the next', () => {
  it.each([1, 2, 3, 4, 5, 6])('equal those worked out from nothing after every edit of a random sequence (seed %i)', async (seed) => {
    const pick = seededRandom(seed);
    const runner = createLayoutRunner(null);
    let tasks = plan(260, pick, 0.08);
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
