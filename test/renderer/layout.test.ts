// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { connectedComponents } from '../../src/renderer/graph/layout/connected-components';
import { estimateSize } from '../../src/renderer/graph/layout/estimate-size';
import { layeredLayout } from '../../src/renderer/graph/layout/layered-layout';
import { planLayout } from '../../src/renderer/graph/layout/layout-graph';
import { createLayoutRunner } from '../../src/renderer/graph/layout/layout-runner';
import { packLayout, type LayoutRequest } from '../../src/renderer/graph/layout/layout-protocol';
import { HeldComponents } from '../../src/renderer/graph/layout/held-components';
import { receivedChange } from '../../src/renderer/graph/layout/posted-change';
import type { GraphLayout, LayoutInput, XY } from '../../src/renderer/graph/layout/layout-types';
import { packGroups } from '../../src/renderer/graph/layout/pack-groups';

const W = 232;
const H = 96;
const node = (id: string) => ({ id, width: W, height: H });
const edge = (source: string, target: string) => ({ source, target });
// No workers here: the runner lays out in this thread.
const layOut = (input: LayoutInput, previous?: GraphLayout | null) =>
  createLayoutRunner(null).run(input, { previous }) as Promise<GraphLayout>;

function chainWithSide(): LayoutInput {
  return {
    nodes: ['a', 'b', 'c', 'd', 'lonely', 'x', 'y'].map(node),
    edges: [edge('a', 'b'), edge('b', 'c'), edge('a', 'd'), edge('x', 'y')],
  };
}

/** A small project with cross-links, as a layered layout with naive straight edges would draw under cards. */
function crossLinked(prefix = ''): LayoutInput {
  const ids = ['spec', 'schema', 'api', 'ui', 'docs', 'tests', 'e2e', 'release', 'i18n', 'review'].map((id) => `${prefix}${id}`);
  const [spec, schema, api, ui, docs, tests, e2e, release, i18n, review] = ids as [
    string,
    string,
    string,
    string,
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  return {
    nodes: ids.map(node),
    edges: [
      edge(spec, schema),
      edge(schema, api),
      edge(api, ui),
      edge(spec, ui),
      edge(spec, docs),
      edge(api, tests),
      edge(ui, e2e),
      edge(tests, e2e),
      edge(e2e, release),
      edge(docs, release),
      edge(spec, release),
      edge(ui, i18n),
      edge(i18n, release),
      edge(spec, review),
      edge(review, release),
      edge(schema, e2e),
    ],
  };
}

/** Whether the segment a-b passes through the inside of the box (not just touching its border). */
function crosses(a: XY, b: XY, box: { x: number; y: number }): boolean {
  const inset = 1;
  const left = box.x + inset;
  const right = box.x + W - inset;
  const top = box.y + inset;
  const bottom = box.y + H - inset;
  const steps = 40;
  for (let i = 0; i <= steps; i++) {
    const x = a.x + ((b.x - a.x) * i) / steps;
    const y = a.y + ((b.y - a.y) * i) / steps;
    if (x > left && x < right && y > top && y < bottom) return true;
  }
  return false;
}

/** Every edge drawn, none passing under a card it does not join, each from its dependency's right side to its dependent's left. */
function expectEdgesAroundCards({ positions, routes }: GraphLayout, input: LayoutInput): void {
  expect(Object.keys(routes).sort()).toEqual(input.edges.map((e) => `${e.source}->${e.target}`).sort());
  for (const [id, points] of Object.entries(routes)) {
    const [source, target] = id.split('->');
    for (let i = 1; i < points.length; i++) {
      for (const [other, box] of Object.entries(positions)) {
        if (other === source || other === target) continue;
        expect(crosses(points[i - 1] as XY, points[i] as XY, box), `${id} passes under ${other}`).toBe(false);
      }
    }
    expect(points[0]?.x).toBeCloseTo((positions[source as string]?.x ?? 0) + W, 0);
    expect(points.at(-1)?.x).toBeCloseTo(positions[target as string]?.x ?? 0, 0);
  }
}

describe('graph layout (layered)', () => {
  it('places dependencies left of their dependents', async () => {
    const { positions } = await layOut(chainWithSide());
    const x = (id: string) => positions[id]?.x ?? Number.NaN;
    expect(x('a')).toBeLessThan(x('b'));
    expect(x('b')).toBeLessThan(x('c'));
    expect(x('a')).toBeLessThan(x('d'));
    expect(x('x')).toBeLessThan(x('y'));
  });

  it('routes every edge around the cards: no segment passes under a card it does not join', async () => {
    const input = crossLinked();
    expectEdgesAroundCards(await layOut(input), input);
  });

  it('lays out groups without overlap and puts unconnected tasks in a grid', async () => {
    const { positions, groups } = await layOut(chainWithSide());
    expect(groups.map((g) => g.ids.length).sort()).toEqual([1, 2, 4]);
    const boxes = Object.values(positions);
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) {
        const [p, q] = [boxes[i] as XY, boxes[j] as XY];
        expect(Math.abs(p.x - q.x) < W && Math.abs(p.y - q.y) < H).toBe(false);
      }
    }
  });

  it('splits weakly connected components', async () => {
    const components = await connectedComponents(chainWithSide());
    expect(components.map((c) => c.nodes.map((n) => n.id))).toEqual([['a', 'b', 'c', 'd'], ['lonely'], ['x', 'y']]);
  });

  it('changes the layout locally when one dependency is added: the other groups stay where they were', async () => {
    const first = crossLinked('p-');
    const second = crossLinked('q-');
    const input: LayoutInput = { nodes: [...first.nodes, ...second.nodes, node('solo')], edges: [...first.edges, ...second.edges] };
    const before = await layOut(input);
    const withEdge = { ...input, edges: [...input.edges, edge('q-docs', 'q-tests')] };
    const after = await layOut(withEdge, before);
    for (const id of [...first.nodes.map((n) => n.id), 'solo']) expect(after.positions[id], id).toEqual(before.positions[id]);
    // The edited group kept its corner.
    const corner = (layout: GraphLayout) => layout.groups.find((g) => g.ids.includes('q-spec'))?.box;
    expect({ x: corner(after)?.x, y: corner(after)?.y }).toEqual({ x: corner(before)?.x, y: corner(before)?.y });
    expect(after.routes['q-docs->q-tests']).toBeDefined();
  });

  it('adds a dependency to a card right of its dependency without moving any card, routed around the cards', async () => {
    const input = crossLinked('r-');
    const before = await layOut(input);
    const [source, target] = ['r-docs', 'r-e2e'];
    expect(before.positions[target]?.x).toBeGreaterThan((before.positions[source]?.x ?? 0) + W);
    const after = await layOut({ ...input, edges: [...input.edges, edge(source, target)] }, before);
    expect(after.positions).toEqual(before.positions);
    const route = after.routes[`${source}->${target}`] as XY[];
    for (let i = 1; i < route.length; i++) {
      for (const [id, box] of Object.entries(after.positions)) {
        if (id === source || id === target) continue;
        expect(crosses(route[i - 1] as XY, route[i] as XY, box), `new edge passes under ${id}`).toBe(false);
      }
    }
  });

  it('removes a dependency without moving any card, even when the component splits in two', async () => {
    const input: LayoutInput = {
      nodes: ['m1', 'm2', 'm3', 'm4', 'm5'].map(node),
      edges: [edge('m1', 'm2'), edge('m2', 'm3'), edge('m3', 'm4'), edge('m3', 'm5')],
    };
    const before = await layOut(input);
    const after = await layOut({ ...input, edges: input.edges.filter((e) => !(e.source === 'm2' && e.target === 'm3')) }, before);
    expect(after.positions).toEqual(before.positions);
    expect(after.groups).toHaveLength(2);
    expect(after.routes['m2->m3']).toBeUndefined();
  });

  it('lays a component out again when a dependent must move right of its new dependency, and nothing outside it moves', async () => {
    const input: LayoutInput = {
      nodes: [...crossLinked('z-').nodes, ...crossLinked('y-').nodes],
      edges: [...crossLinked('z-').edges, ...crossLinked('y-').edges],
    };
    const before = await layOut(input);
    expect(before.positions['z-tests']?.x).toBeLessThanOrEqual(before.positions['z-ui']?.x ?? 0);
    const after = await layOut({ ...input, edges: [...input.edges, edge('z-ui', 'z-tests')] }, before);
    expect(after.positions['z-tests']?.x).toBeGreaterThan(after.positions['z-ui']?.x ?? 0);
    for (const { id } of crossLinked('y-').nodes) expect(after.positions[id], id).toEqual(before.positions[id]);
  });

  it('moves only a dependent that must go right of its new dependency, and what must follow it, without laying the component out again', async () => {
    const input: LayoutInput = { nodes: [...crossLinked('w-').nodes, node('solo')], edges: crossLinked('w-').edges };
    const before = await layOut(input);
    // ui and tests share a column; tests -> e2e -> release must all move one column right.
    expect(before.positions['w-tests']?.x).toBe(before.positions['w-ui']?.x);
    const withEdge = { ...input, edges: [...input.edges, edge('w-ui', 'w-tests')] };
    const after = await layOut(withEdge, before);
    const x = (id: string) => after.positions[id]?.x ?? Number.NaN;
    expect(x('w-tests')).toBeGreaterThan(x('w-ui') + W);
    expect(x('w-e2e')).toBeGreaterThan(x('w-tests') + W);
    expect(x('w-release')).toBeGreaterThan(x('w-e2e') + W);
    const moved = Object.keys(before.positions).filter(
      (id) => JSON.stringify(after.positions[id]) !== JSON.stringify(before.positions[id]),
    );
    expect(moved.sort()).toEqual(['w-e2e', 'w-release', 'w-tests']);
    expectEdgesAroundCards(after, withEdge);
    const boxes = Object.values(after.positions);
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) {
        const [p, q] = [boxes[i] as XY, boxes[j] as XY];
        expect(Math.abs(p.x - q.x) < W && Math.abs(p.y - q.y) < H, 'cards overlap').toBe(false);
      }
    }
  });

  it('places a task that had no dependency beside the card it joins, without laying the component out again: no card of the component moves', async () => {
    const project = crossLinked('v-');
    const input: LayoutInput = { nodes: [...project.nodes, node('v-new'), node('v-first')], edges: project.edges };
    const before = await layOut(input);
    for (const [added, loose, joined] of [
      [edge('v-ui', 'v-new'), 'v-new', 'v-ui'],
      [edge('v-first', 'v-spec'), 'v-first', 'v-spec'],
    ] as const) {
      const withEdge = { ...input, edges: [...input.edges, added] };
      const after = await layOut(withEdge, before);
      for (const { id } of project.nodes) expect(after.positions[id], `${id} after ${loose} joined`).toEqual(before.positions[id]);
      const x = (id: string) => after.positions[id]?.x ?? Number.NaN;
      if (loose === 'v-new') expect(x(loose)).toBeGreaterThan(x(joined) + W);
      else expect(x(loose) + W).toBeLessThan(x(joined));
      expectEdgesAroundCards(
        { ...after, routes: Object.fromEntries(Object.entries(after.routes).filter(([id]) => id.startsWith('v-'))) },
        withEdge,
      );
      const boxes = project.nodes.map(({ id }) => after.positions[id] as XY);
      const placed = after.positions[loose] as XY;
      for (const box of boxes) expect(Math.abs(box.x - placed.x) < W && Math.abs(box.y - placed.y) < H, `${loose} over a card`).toBe(false);
    }
  });

  it('keeps unconnected tasks in their cells when another is added', async () => {
    const input: LayoutInput = { nodes: ['s1', 's2', 's3', 's4', 's5'].map(node), edges: [] };
    const before = await layOut(input);
    const after = await layOut({ nodes: [...input.nodes, node('s0')], edges: [] }, before);
    for (const id of ['s1', 's2', 's3', 's4', 's5']) expect(after.positions[id]).toEqual(before.positions[id]);
    expect(after.positions.s0).toBeDefined();
  });

  it('plans the components holding the given tasks first', async () => {
    const input: LayoutInput = { nodes: ['a', 'b', 'c', 'd', 'e', 'f'].map(node), edges: [edge('a', 'b'), edge('c', 'd'), edge('e', 'f')] };
    const plan = await planLayout(input, { priority: new Set(['f']) });
    expect(
      plan.pending.map((p) =>
        p.component.nodes
          .map((n) => n.id)
          .sort()
          .join(),
      ),
    ).toEqual(['e,f', 'a,b', 'c,d']);
  });

  it("estimates a component's size before it is laid out, close enough to place it", async () => {
    const nodes = Array.from({ length: 200 }, (_, i) => node(`est${i}`));
    const edges = nodes.slice(1).map((n, i) => edge(`est${Math.floor(i / 2)}`, n.id));
    const component = { nodes, edges };
    const estimate = await estimateSize(component);
    const actual = layeredLayout(component);
    expect(estimate.width / actual.width).toBeGreaterThan(0.8);
    expect(estimate.width / actual.width).toBeLessThan(1.25);
    expect(estimate.height / actual.height).toBeGreaterThan(0.6);
    expect(estimate.height / actual.height).toBeLessThan(1.6);
  }, 120_000);
});

describe('packing groups', () => {
  it('keeps every corner, and moves only what a grown group now overlaps', () => {
    const previous = new Map([
      ['a', { x: 0, y: 0 }],
      ['b', { x: 600, y: 0 }],
      ['c', { x: 0, y: 400 }],
    ]);
    const sizes = [
      { anchor: 'a', width: 400, height: 200 },
      { anchor: 'b', width: 400, height: 200 },
      { anchor: 'c', width: 400, height: 200 },
    ];
    expect(packGroups(sizes, previous)).toEqual(previous);
    const grown = packGroups([{ anchor: 'a', width: 400, height: 600 }, ...sizes.slice(1)], previous);
    expect(grown.get('a')).toEqual({ x: 0, y: 0 });
    expect(grown.get('b')).toEqual({ x: 600, y: 0 });
    expect(grown.get('c')?.x).toBe(0);
    expect(grown.get('c')?.y).toBeGreaterThanOrEqual(600);
  });

  it('places a new group where its tasks were, or below everything', () => {
    const previous = new Map([['a', { x: 0, y: 0 }]]);
    const placed = packGroups(
      [
        { anchor: 'a', width: 400, height: 200 },
        { anchor: 'split', width: 300, height: 100, hint: { x: 900, y: 50 } },
        { anchor: 'new', width: 100, height: 100 },
      ],
      previous,
    );
    expect(placed.get('split')).toEqual({ x: 900, y: 50 });
    expect(placed.get('new')?.y).toBeGreaterThan(200);
  });
});

describe('layout worker pool', () => {
  /** A stand-in Worker: answers like layout.worker.ts, or fails to start like a blocked script. */
  class FakeWorker extends EventTarget {
    onmessage: ((message: MessageEvent) => void) | null = null;
    onerror: ((event: ErrorEvent) => void) | null = null;
    /** Requests posted to every FakeWorker so far (a test reads the difference). */
    static sent = 0;
    private readonly held = new HeldComponents();
    constructor(private readonly broken: boolean) {
      super();
    }
    postMessage(request: LayoutRequest) {
      FakeWorker.sent++;
      setTimeout(async () => {
        if (this.broken) {
          this.onerror?.(new ErrorEvent('error', { message: 'blocked by CSP' }));
          return;
        }
        const component = await this.held.apply(receivedChange(request.change));
        const { nodes, edges } = component;
        const layout = packLayout(component, {
          positions: Object.fromEntries(nodes.map((n, i) => [n.id, { x: i * 300, y: 0 }])),
          routes: Object.fromEntries(
            edges.map((e) => [
              `${e.source}->${e.target}`,
              [
                { x: 0, y: 0 },
                { x: 10, y: 0 },
              ],
            ]),
          ),
          width: nodes.length * 300,
          height: 92,
        });
        this.onmessage?.(new MessageEvent('message', { data: { id: request.id, layout } }));
      }, 2 * request.id);
    }
    terminate() {}
  }
  const chains = (prefix: string, count: number) => {
    const nodes = Array.from({ length: count * 4 }, (_, i) => node(`${prefix}${i}`));
    const edges = nodes.filter((_, index) => index % 4 !== 0).map((n) => edge(`${prefix}${Number(n.id.slice(prefix.length)) - 1}`, n.id));
    return { nodes, edges };
  };

  it('shows the first parts as they are laid out, the rest as placeholders already in their places', async () => {
    const runner = createLayoutRunner(() => new FakeWorker(false) as unknown as Worker, 2);
    const pictures: GraphLayout[] = [];
    const final = await runner.run(chains('c', 50), { onProgress: (picture) => pictures.push(picture) });
    expect(Object.keys(final?.positions ?? {})).toHaveLength(200);
    expect(pictures.length).toBeGreaterThan(0);
    expect(pictures[0]?.groups.some((g) => g.pending)).toBe(true);
    // A group's place never changes between the first picture and the last.
    const corner = (layout: GraphLayout | null | undefined, anchor: string) => layout?.groups.find((g) => g.anchor === anchor)?.box;
    for (const group of pictures[0]?.groups ?? []) {
      expect({ x: corner(final, group.anchor)?.x, y: corner(final, group.anchor)?.y }).toEqual({ x: group.box.x, y: group.box.y });
    }
  });

  it('lets a newer request for the same graph wait for the components already being laid out', async () => {
    const before = FakeWorker.sent;
    const runner = createLayoutRunner(() => new FakeWorker(false) as unknown as Worker, 1);
    const input = chains('s', 60);
    const early = runner.run(input);
    const positions = await runner.run(input, { onProgress: () => undefined });
    expect(await early).toBeNull();
    expect(Object.keys(positions?.positions ?? {})).toHaveLength(240);
    expect(FakeWorker.sent - before).toBe(60);
  });

  it('plans the same graph asked for again (boot.ts, then the graph page) once, and lays out nothing again once it is laid out', async () => {
    const before = FakeWorker.sent;
    const runner = createLayoutRunner(() => new FakeWorker(false) as unknown as Worker, 1);
    const input = chains('r', 20);
    const first = await runner.run(input);
    // The same graph as another object (the page builds its own input from the store).
    const again = await runner.run({ nodes: input.nodes.map((n) => ({ ...n })), edges: input.edges.map((e) => ({ ...e })) });
    expect(FakeWorker.sent - before).toBe(20);
    expect(again?.positions).toEqual(first?.positions);
  });

  it('falls back to laying out in the window when the workers cannot start', async () => {
    const runner = createLayoutRunner(() => new FakeWorker(true) as unknown as Worker, 2);
    const layout = await runner.run(chains('f', 3));
    expect(Object.keys(layout?.positions ?? {})).toHaveLength(12);
    expect(Object.keys((await runner.run(chains('g', 3)))?.positions ?? {})).toHaveLength(12);
  }, 120_000);
});
