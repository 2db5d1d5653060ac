import { describe, expect, it } from 'vitest';
import { CARD_HEIGHT, CARD_WIDTH } from '../../src/renderer/graph/card-size';
import type { Box, GraphLayout, LayoutGroup, LayoutPositions } from '../../src/renderer/graph/layout/layout-types';
import {
  arrangedForScreen,
  clusterAt,
  clusterCounts,
  clusterLinks,
  clusterLinkSteps,
  clusterNames,
  clustersBox,
  connectedClusters,
  countsText,
  stateClusters,
  tagClusters,
  SMALL_PARTS,
  UNTAGGED,
} from '../../src/renderer/graph/view/clusters';

/** A 1440×900 window's canvas. */
const CANVAS = { width: 1272, height: 829 };
/** A picture of these groups at these places (the clusters read a layout). */
const layoutOf = (groups: LayoutGroup[], positions: LayoutPositions): GraphLayout => ({
  groups,
  positions,
  routes: {},
  bounds: { x: 0, y: 0, width: 0, height: 0 },
});
import type { TaskState } from '../../src/renderer/task-state/task-state';
import { makeTask } from './support/fixtures';

const tasks = new Map(
  [
    makeTask({ id: 'api', tags: ['backend', 'urgent'] }),
    makeTask({ id: 'db', tags: ['backend'] }),
    makeTask({ id: 'ui', tags: ['frontend', 'backend'] }),
    makeTask({ id: 'docs' }),
    makeTask({ id: 'later', tags: ['backend'] }),
  ].map((task) => [task.id, task]),
);
const positions = { api: { x: 0, y: 0 }, db: { x: 400, y: 300 }, ui: { x: 100, y: 100 }, docs: { x: 900, y: 0 } };
const groups: LayoutGroup[] = [
  { anchor: 'api', box: { x: 0, y: 0, width: 632, height: 396 }, ids: ['api', 'db', 'ui'], pending: false },
  { anchor: 'docs', box: { x: 900, y: 0, width: 232, height: 96 }, ids: ['docs'], pending: false },
  // Not laid out yet: its task stands in with the group's estimated box.
  { anchor: 'later', box: { x: 2000, y: 0, width: 300, height: 200 }, ids: ['later'], pending: true },
];

describe('clusters by tag', () => {
  const clusters = tagClusters(groups, positions, tasks);
  const byAnchor = new Map(clusters.map((cluster) => [cluster.anchor, cluster]));

  it('puts each task in the cluster of every tag it has, or the untagged one, opening onto the box its tasks cover', () => {
    expect(byAnchor.get('tag:backend')?.ids).toEqual(['api', 'db', 'ui', 'later']);
    expect(byAnchor.get('tag:backend')?.opens).toEqual({ x: 0, y: 0, width: 2300, height: 300 + CARD_HEIGHT });
    expect(byAnchor.get('tag:backend')?.pending).toBe(true);
    expect(byAnchor.get('tag:frontend')).toMatchObject({
      ids: ['ui'],
      pending: false,
      opens: { x: 100, y: 100, width: CARD_WIDTH, height: CARD_HEIGHT },
    });
    expect(byAnchor.get('tag:urgent')?.ids).toEqual(['api']);
    expect(byAnchor.get(UNTAGGED)?.ids).toEqual(['docs']);
  });

  it('draws no two clusters over each other, even when their tasks are mixed', () => {
    const overlap = (a: Box, b: Box) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
    expect(clusters.length).toBe(4);
    for (const [i, a] of clusters.entries()) {
      for (const b of clusters.slice(i + 1)) expect(overlap(a.box, b.box), `${a.anchor} over ${b.anchor}`).toBe(false);
    }
  });

  it('names each cluster by its tag with its size and how many it shares, counts its states, and a click finds it', () => {
    const names = clusterNames(clusters, tasks);
    expect(names.get('tag:backend')).toBe('backend (4, 2 also in other tags)');
    expect(names.get('tag:frontend')).toBe('frontend (1, 1 also in other tags)');
    expect(names.get(UNTAGGED)).toBe('untagged (1)');
    const states = new Map<string, TaskState>([
      ['api', { kind: 'running', text: 'running' }],
      ['db', { kind: 'done', text: 'done' }],
      ['later', { kind: 'done', text: 'done' }],
    ]);
    expect(countsText(clusterCounts(clusters, states).get('tag:backend') ?? ({} as never))).toBe('1 running · 2 done');
    for (const cluster of clusters) {
      const middle = { x: cluster.box.x + cluster.box.width / 2, y: cluster.box.y + cluster.box.height / 2 };
      expect(clusterAt(clusters, middle)?.anchor).toBe(cluster.anchor);
    }
    expect(clusterAt(clusters, { x: -50_000, y: 20 })).toBeUndefined();
  });
});

describe('where a tag cluster is drawn', () => {
  const middle = (box: Box) => ({ x: box.x + box.width / 2, y: box.y + box.height / 2 });

  it('the biggest tag sits on its tasks, and a smaller one pushed off them goes to the side nearest its tasks', () => {
    // 30 "platform" tasks over a wide area; one "docs" task at its left edge, whose box would overlap.
    const big = Array.from({ length: 30 }, (_, i) => makeTask({ id: `p${i}`, tags: ['platform'] }));
    const all = new Map([...big, makeTask({ id: 'readme', tags: ['docs'] })].map((task) => [task.id, task]));
    const at: Record<string, { x: number; y: number }> = { readme: { x: 0, y: 700 } };
    big.forEach((task, i) => {
      at[task.id] = { x: (i % 10) * 312, y: Math.floor(i / 10) * 700 };
    });
    const group: LayoutGroup = { anchor: 'p0', box: { x: 0, y: 0, width: 3040, height: 1496 }, ids: [...all.keys()], pending: false };
    const byAnchor = new Map(tagClusters([group], at, all).map((cluster) => [cluster.anchor, cluster]));
    const platform = byAnchor.get('tag:platform');
    const docs = byAnchor.get('tag:docs');
    if (!platform?.opens || !docs?.opens) throw new Error('missing clusters');
    expect(middle(platform.box)).toEqual(middle(platform.opens));
    // Left of the platform box, level with its task: not pushed right, across the other tag's tasks.
    expect(docs.box.x + docs.box.width).toBeLessThanOrEqual(platform.box.x);
    expect(middle(docs.box).y).toBe(middle(docs.opens).y);
  });
});

describe('clusters by state, and the dependencies between clusters (issue 29 item 3)', () => {
  const chain = new Map(
    [
      makeTask({ id: 'a', tags: ['db'] }),
      makeTask({ id: 'b', after: ['a'], tags: ['api'] }),
      makeTask({ id: 'c', after: ['a', 'b'], tags: ['api'] }),
      makeTask({ id: 'd', after: ['c'], tags: ['ui', 'api'] }),
    ].map((task) => [task.id, task]),
  );
  const laid = { a: { x: 0, y: 0 }, b: { x: 300, y: 0 }, c: { x: 600, y: 0 }, d: { x: 900, y: 0 } };
  const one: LayoutGroup[] = [{ anchor: 'a', box: { x: 0, y: 0, width: 1132, height: 96 }, ids: ['a', 'b', 'c', 'd'], pending: false }];
  const states = new Map<string, TaskState>([
    ['a', { kind: 'done', text: 'done' }],
    ['b', { kind: 'done', text: 'done' }],
    ['c', { kind: 'running', text: 'running' }],
    ['d', { kind: 'waiting', text: 'waiting on C' }],
  ]);

  it('puts each task in the cluster of its state, named by state and count', () => {
    const clusters = stateClusters(one, laid, states);
    expect(new Map(clusters.map((c) => [c.anchor, c.ids]))).toEqual(
      new Map([
        ['state:done', ['a', 'b']],
        ['state:running', ['c']],
        ['state:waiting', ['d']],
      ]),
    );
    expect(clusterNames(clusters, chain).get('state:done')).toBe('done (2)');
    // Boxes never overlap.
    for (const x of clusters)
      for (const y of clusters)
        if (x !== y)
          expect(
            x.box.x + x.box.width <= y.box.x ||
              y.box.x + y.box.width <= x.box.x ||
              x.box.y + x.box.height <= y.box.y ||
              y.box.y + y.box.height <= x.box.y,
          ).toBe(true);
  });

  it('counts the dependencies between two clusters once per pair, leaving out those inside one', () => {
    const byState = clusterLinks(stateClusters(one, laid, states), chain);
    expect(byState).toEqual(
      expect.arrayContaining([
        { from: 'state:done', to: 'state:running', count: 2 },
        { from: 'state:running', to: 'state:waiting', count: 1 },
      ]),
    );
    expect(byState).toHaveLength(2);
    // By tag a task in two tags counts in each: c (api) -> d (api, ui) is inside api, and api -> ui once.
    const byTag = clusterLinks(tagClusters(one, laid, chain), chain);
    expect(byTag).toEqual(
      expect.arrayContaining([
        { from: 'tag:db', to: 'tag:api', count: 2 },
        { from: 'tag:api', to: 'tag:ui', count: 1 },
      ]),
    );
    expect(byTag).toHaveLength(2);
    // Connected parts have none between them.
    expect(clusterLinks(one, chain)).toEqual([]);
  });

  it('counts them the same in time slices, paused after every task, as at once', () => {
    for (const clusters of [stateClusters(one, laid, states), tagClusters(one, laid, chain)]) {
      const steps = clusterLinkSteps(clusters, chain, () => true);
      let pauses = 0;
      let step = steps.next();
      for (; !step.done; step = steps.next()) pauses++;
      expect(pauses).toBeGreaterThan(chain.size);
      expect(step.value).toEqual(clusterLinks(clusters, chain));
    }
  });
});

describe('a big connected plan at cluster zoom (issue 29: one box, or a strip cut at the canvas edges)', () => {
  // A chain of 2,000 tasks, one per column: 2,000 × 312 wide, one card high.
  const count = 2000;
  const chain = new Map(
    Array.from({ length: count }, (_, i) =>
      makeTask({ id: `t${i}`, after: i > 0 ? [`t${i - 1}`] : [], tags: [`area-${Math.floor(i / 500)}`] }),
    ).map((task) => [task.id, task]),
  );
  const laid = Object.fromEntries([...chain.keys()].map((id, i) => [id, { x: i * 312, y: 0 }]));
  const part: LayoutGroup = { anchor: 't0', box: { x: 0, y: 0, width: count * 312, height: 96 }, ids: [...chain.keys()], pending: false };
  const small: LayoutGroup = { anchor: 's0', box: { x: 0, y: 400, width: 544, height: 96 }, ids: ['s0', 's1'], pending: false };
  const overlap = (a: Box, b: Box) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

  it('cuts a big part into stages from first column to last, each named, and leaves a small part one box', () => {
    const clusters = connectedClusters(layoutOf([part, small], { ...laid, s0: { x: 0, y: 400 }, s1: { x: 312, y: 400 } }));
    const stages = clusters.filter((cluster) => cluster.stage);
    // More stages as a plan grows, slower than its size: 2,000 tasks in 15 of about 133.
    expect(stages.length).toBe(15);
    expect(clusters.find((cluster) => cluster.anchor === 's0')?.box).toEqual(small.box);
    // Every task in exactly one stage, the stages in column order.
    expect(stages.flatMap((stage) => stage.ids).sort()).toEqual([...chain.keys()].sort());
    const ordered = [...stages].sort((a, b) => (a.stage?.index ?? 0) - (b.stage?.index ?? 0));
    expect(ordered[0]?.ids).toContain('t0');
    expect(ordered.at(-1)?.ids).toContain(`t${count - 1}`);
    const names = clusterNames(clusters, chain);
    expect(names.get(ordered[0]?.anchor ?? '')).toBe('Stage 1 · area-0 (134)');
    // The dependencies between stages are drawn counted: one per pair of neighbours here.
    expect(clusterLinks(stages, chain)).toHaveLength(14);
    for (const [i, a] of clusters.entries()) for (const b of clusters.slice(i + 1)) expect(overlap(a.box, b.box)).toBe(false);
  });

  it('sets tag clusters far longer than the canvas in rows, in the order of their tasks, each opening onto them', () => {
    const tags = tagClusters([part], laid, chain);
    const arranged = arrangedForScreen(tags, CANVAS);
    const extent = clustersBox(arranged) as Box;
    // About the canvas's shape, not a strip.
    expect(extent.width / extent.height).toBeGreaterThan(1.6 / 3);
    expect(extent.width / extent.height).toBeLessThan(1.6 * 3);
    const byTask = [...arranged].sort((a, b) => Number(a.ids[0]?.slice(1)) - Number(b.ids[0]?.slice(1)));
    // Reading order: each next cluster right of the one before, or on a row below.
    for (let i = 1; i < byTask.length; i++) {
      const [before, now] = [byTask[i - 1]?.box as Box, byTask[i]?.box as Box];
      expect(now.x > before.x || now.y > before.y).toBe(true);
    }
    for (const cluster of arranged) expect(cluster.opens).toEqual(tags.find((tag) => tag.anchor === cluster.anchor)?.opens);
    for (const [i, a] of arranged.entries()) for (const b of arranged.slice(i + 1)) expect(overlap(a.box, b.box)).toBe(false);
    // Arranged again, they stay where they are.
    expect(arrangedForScreen(arranged, CANVAS).map((cluster) => cluster.box)).toEqual(arranged.map((cluster) => cluster.box));
  });

  it('gathers small parts and tasks without dependencies in one cluster, not specks over the picture', () => {
    const specks: LayoutGroup[] = [
      { anchor: 'singles', box: { x: 0, y: 1000, width: 800, height: 96 }, ids: ['x1', 'x2', 'x3'], pending: false },
      { anchor: 'p0', box: { x: 5000, y: 1000, width: 544, height: 96 }, ids: ['p0', 'p1'], pending: false },
      { anchor: 'q0', box: { x: 9000, y: 1000, width: 544, height: 96 }, ids: ['q0', 'q1'], pending: false },
    ];
    const at = {
      x1: { x: 0, y: 1000 },
      x2: { x: 260, y: 1000 },
      x3: { x: 520, y: 1000 },
      p0: { x: 5000, y: 1000 },
      p1: { x: 5312, y: 1000 },
    };
    const clusters = connectedClusters(layoutOf([part, ...specks], { ...laid, ...at, q0: { x: 9000, y: 1000 }, q1: { x: 9312, y: 1000 } }));
    const gathered = clusters.filter((cluster) => cluster.anchor === SMALL_PARTS);
    expect(gathered.map((cluster) => cluster.ids.length)).toEqual([7]);
    expect(clusters.some((cluster) => ['singles', 'p0', 'q0'].includes(cluster.anchor))).toBe(false);
    expect(clusterNames(clusters, chain).get(SMALL_PARTS)).toBe('Small parts and single tasks (7)');
  });
});

describe("a connected part's name", () => {
  const box = { x: 0, y: 0, width: 10, height: 10 };
  const part = (anchor: string, ids: string[]) => ({ anchor, box, ids, pending: false });

  it('is the tag half of its own tasks share, the bookkeeping tasks left out unless it has nothing else', () => {
    const tasks = new Map(
      [
        makeTask({ id: 'a', title: 'Build the API', tags: ['api'] }),
        makeTask({ id: 'b', title: 'Test the API', tags: ['api', 'tests'] }),
        makeTask({ id: 'c', title: 'Write the docs', tags: ['docs'] }),
        makeTask({ id: 'd', title: 'Deploy', tags: [] }),
        makeTask({ id: '.assign-a', title: 'Assign a', tags: ['agency'] }),
        makeTask({ id: '.flip-a', title: 'Flip a', tags: ['agency'] }),
        makeTask({ id: '.assign-b', title: 'Assign b', tags: ['agency'] }),
        makeTask({ id: '.flip-b', title: 'Flip b', tags: ['agency'] }),
      ].map((task) => [task.id, task]),
    );
    const names = clusterNames(
      [
        // Two of four own tasks share `api`: half is enough; the four bookkeeping ones do not outvote them.
        part('a', ['a', '.assign-a', 'b', '.flip-a', 'c', '.assign-b', 'd', '.flip-b']),
        // One of three: no tag, its first task's title.
        part('b', ['b', 'c', 'd']),
        // Bookkeeping only: their tag.
        part('.assign-a', ['.assign-a', '.flip-a', '.assign-b']),
      ],
      tasks,
    );
    expect(names.get('a')).toBe('api (8)');
    expect(names.get('b')).toBe('Test the API +2');
    expect(names.get('.assign-a')).toBe('agency (3)');
  });
});
