import { beforeAll, describe, expect, it } from 'vitest';
import { connectedComponents } from '../../src/renderer/graph/layout/connected-components';
import { deriveFromPrevious, pictureOf } from '../../src/renderer/graph/layout/derive-layout';
import { quickLayout } from '../../src/renderer/graph/layout/layered-layout';
import { assemble, DERIVE_IN_WINDOW_UP_TO, planLayout } from '../../src/renderer/graph/layout/layout-graph';
import { createLayoutRunner } from '../../src/renderer/graph/layout/layout-runner';
import type { GraphLayout, LayoutInput, XY } from '../../src/renderer/graph/layout/layout-types';

const W = 232;
const H = 96;
const node = (id: string) => ({ id, width: W, height: H });
const edge = (source: string, target: string) => ({ source, target });

/**
 * A chain c0 → c1 → … → c(n-1) and a side path c0 → y1 → … → y6 → x: a new dependency "c1 after x"
 * moves c1 seven columns right, and every card of the chain after it with it.
 */
function chainWithSidePath(n: number): LayoutInput {
  const nodes = [...Array.from({ length: n }, (_, i) => node(`c${i}`)), ...['y1', 'y2', 'y3', 'y4', 'y5', 'y6', 'x'].map(node)];
  const edges = Array.from({ length: n - 1 }, (_, i) => edge(`c${i}`, `c${i + 1}`));
  edges.push(edge('c0', 'y1'), edge('y1', 'y2'), edge('y2', 'y3'), edge('y3', 'y4'), edge('y4', 'y5'), edge('y5', 'y6'), edge('y6', 'x'));
  return { nodes, edges };
}

/** The graph laid out once, as it would be on screen (quick columns: one column per step of the chain). */
async function onScreen(input: LayoutInput): Promise<GraphLayout> {
  const plan = await planLayout(input);
  const [pending] = plan.pending;
  if (!pending) throw new Error('nothing to lay out');
  return assemble(plan, new Map([[pending.key, quickLayout(pending.component)]]), null);
}

const withEdge = (input: LayoutInput, added: { source: string; target: string }): LayoutInput => ({
  nodes: input.nodes,
  edges: [...input.edges, added],
});

describe('an edit on a 20,000-task chain (issue 29: the window froze)', () => {
  const N = 20_000;
  const input = chainWithSidePath(N);
  let before: GraphLayout;
  beforeAll(async () => {
    before = await onScreen(input);
  });
  const edited = withEdge(input, edge('x', 'c1'));

  it('moves the chain after the new dependency without overflowing the stack: each card right of the one before', async () => {
    const [component] = await connectedComponents(edited);
    // Before the fix: RangeError: Maximum call stack size exceeded (a recursive pull per dependent).
    const derived = component ? deriveFromPrevious(component, pictureOf(before)) : null;
    expect(derived).not.toBeNull();
    const at = (id: string) => derived?.positions[id] as XY;
    expect(at('c1').x).toBeGreaterThan(at('x').x + W);
    for (let i = 2; i < N; i += 997) expect(at(`c${i}`).x, `c${i}`).toBeGreaterThan(at(`c${i - 1}`).x + W);
    expect(at(`c${N - 1}`).x).toBeGreaterThan(at(`c${N - 2}`).x + W);
    // Nothing else moved: the side path keeps its places (relative to c0).
    const shift = (id: string) => at(id).x - at('c0').x - ((before.positions[id]?.x ?? 0) - (before.positions.c0?.x ?? 0));
    for (const id of ['y1', 'y6', 'x']) expect(shift(id), id).toBe(0);
    expect(derived?.routes['x->c1']).toBeDefined();
  });

  it('leaves a component this big to a layout worker instead of deriving it on the window’s thread', async () => {
    expect(N).toBeGreaterThan(DERIVE_IN_WINDOW_UP_TO);
    const plan = await planLayout(edited, { previous: before });
    expect(plan.pending).toHaveLength(1);
    expect(plan.pending[0]?.previous).toBeDefined();
  });

  it('lays the edit out where there are no workers (as a worker would): the new edge routed, the chain in order', async () => {
    const after = await createLayoutRunner(null).run(edited, { previous: before });
    expect(after?.notice).toBeUndefined();
    expect(after?.routes['x->c1']).toBeDefined();
    expect(after?.positions.c1?.x).toBeGreaterThan((after?.positions.x?.x ?? Infinity) + W);
    expect(after?.positions.c2?.x).toBeGreaterThan((after?.positions.c1?.x ?? Infinity) + W);
    // Placed where the worker said (alignedCorner there): most cards (the chain after c1) are where they were on screen.
    for (const id of ['c2', 'c5000', `c${N - 1}`]) expect(after?.positions[id], id).toEqual(before.positions[id]);
  }, 120_000);
});

describe('a layout that fails in the window', () => {
  it('gives the simpler layout with its notice, not an error (the page said "Laying out…" for good)', async () => {
    const input = chainWithSidePath(50);
    // A picture on screen that is not a layout at all: planning from it throws.
    const broken = { ...(await onScreen(input)), groups: null } as unknown as GraphLayout;
    const layout = await createLayoutRunner(null).run(withEdge(input, edge('x', 'c1')), { previous: broken });
    expect(Object.keys(layout?.positions ?? {})).toHaveLength(57);
    expect(layout?.notice).toMatch(/57 tasks are shown with a simpler layout/);
  });
});
