import { describe, expect, it } from 'vitest';
import type { SceneEdge } from '../../src/renderer/graph/view/scene';
import { splitAtHubs } from '../../src/renderer/graph/view/use-elements-in-page';

const edge = (source: string, target: string): SceneEdge => ({
  id: `${source}->${target}`,
  source,
  target,
  points: [
    { x: 0, y: 0 },
    { x: 10, y: 0 },
  ],
  box: { x: 0, y: 0, width: 10, height: 1 },
});

type Links = () => { incoming: Map<string, string[]>; outgoing: Map<string, string[]> };

/** Each task's degree (the more of its dependencies and its dependents), from its links. */
function degreeOf(links: Links): (id: string) => number {
  const { incoming, outgoing } = links();
  return (id) => Math.max(incoming.get(id)?.length ?? 0, outgoing.get(id)?.length ?? 0);
}

/** The links of a fan: `split` before every part, every part before `join`. */
function fan(width: number) {
  const parts = Array.from({ length: width }, (_, i) => `part-${i}`);
  const edges = [...parts.map((part) => edge('split', part)), ...parts.map((part) => edge(part, 'join'))];
  const links = () => ({
    incoming: new Map([...parts.map((part): [string, string[]] => [part, ['split']]), ['join', parts]]),
    outgoing: new Map([...parts.map((part): [string, string[]] => [part, ['join']]), ['split', parts]]),
  });
  return { parts, edges, links };
}

describe('splitAtHubs: which edges are elements of their own', () => {
  it('keeps every edge its own element where there are few, without counting any degree', () => {
    const { edges } = fan(100);
    const split = splitAtHubs(edges, () => {
      throw new Error('degrees counted');
    }, []);
    expect(split.single).toBe(edges);
    expect(split.bundled).toEqual([]);
  });

  it("bundles a fan's hub edges, and keeps those reaching the cards in the draw window their own elements", () => {
    const { parts, edges, links } = fan(5000);
    const near = ['split', ...parts.slice(2500, 2530)];
    const { single, bundled } = splitAtHubs(edges, degreeOf(links), near);
    expect(single.map((e) => e.id).sort()).toEqual(
      [...parts.slice(2500, 2530).map((part) => `split->${part}`), ...parts.slice(2500, 2530).map((part) => `${part}->join`)].sort(),
    );
    // Those are drawn in the bundle too: the bundle stays the same wherever the view is along the hub.
    expect(bundled).toHaveLength(10_000);
  });

  it('keeps edges between cards of few links their own elements among many, and bundles those between two hubs', () => {
    const { edges, links } = fan(400);
    const others = Array.from({ length: 50 }, (_, i) => edge(`a${i}`, `b${i}`));
    const hubs = edge('split', 'join');
    const withHubs = () => {
      const { incoming, outgoing } = links();
      incoming.set('join', [...(incoming.get('join') ?? []), 'split']);
      outgoing.set('split', [...(outgoing.get('split') ?? []), 'join']);
      return { incoming, outgoing };
    };
    const near = ['split', 'join', ...others.flatMap((e) => [e.source, e.target])];
    const { single, bundled } = splitAtHubs([...edges, ...others, hubs], degreeOf(withHubs), near);
    expect(others.every((e) => single.includes(e))).toBe(true);
    expect(bundled).toContain(hubs);
    expect(single).toHaveLength(50);
  });

  it('bundles the edges only passing through the window among many (wide layers), and keeps those at a card in it', () => {
    // Two stages of 500, each task after two of the stage before: no hub, a thousand edges crossing the screen.
    const edges = Array.from({ length: 500 }, (_, i) => [edge(`a${(i * 7) % 500}`, `b${i}`), edge(`a${(i * 13) % 500}`, `b${i}`)]).flat();
    const links = () => {
      const incoming = new Map<string, string[]>();
      const outgoing = new Map<string, string[]>();
      for (const e of edges) {
        incoming.set(e.target, [...(incoming.get(e.target) ?? []), e.source]);
        outgoing.set(e.source, [...(outgoing.get(e.source) ?? []), e.target]);
      }
      return { incoming, outgoing };
    };
    const near = ['a0', 'a1', 'a2', 'b0', 'b1', 'b2'];
    const { single, bundled } = splitAtHubs(edges, degreeOf(links), near);
    const atNear = edges.filter((e) => near.includes(e.source) || near.includes(e.target));
    expect(single).toEqual(atNear);
    expect(bundled).toHaveLength(edges.length - atNear.length);
    expect(bundled.some((e) => single.includes(e))).toBe(false);
  });
});

describe("a hub's edges drawn as a comb", () => {
  it('turns each of its once-turning edges halfway across the gap, so they share one line; other routes stay', () => {
    const { parts, links } = fan(400);
    const spread = (i: number): SceneEdge => ({
      ...edge('split', parts[i] as string),
      // The layout gives each edge its own line along the gap, side by side.
      points: [
        { x: 232, y: 5000 },
        { x: 332 + i * 0.04, y: 5000 },
        { x: 332 + i * 0.04, y: 48 + i * 124 },
        { x: 432, y: 48 + i * 124 },
      ],
    });
    const edges = parts.map((_, i) => spread(i));
    const bent = {
      ...edge('a', 'b'),
      points: [
        { x: 0, y: 0 },
        { x: 5, y: 0 },
        { x: 5, y: 9 },
        { x: 7, y: 9 },
        { x: 7, y: 20 },
      ],
    };
    const { single, bundled } = splitAtHubs([...edges, bent], degreeOf(links), ['a']);
    expect(new Set(bundled.map((e) => e.points[1]?.x))).toEqual(new Set([332]));
    expect(bundled.every((e) => e.points[2]?.x === 332 && e.points[3]?.x === 432)).toBe(true);
    expect(single).toContain(bent);
    // The same edge object each time it is drawn.
    expect(splitAtHubs([...edges, bent], degreeOf(links), ['a']).bundled[7]).toBe(bundled[7]);
  });
});
