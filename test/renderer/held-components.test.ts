import { describe, expect, it } from 'vitest';
import { connectedComponents, type Component } from '../../src/renderer/graph/layout/connected-components';
import { changeFor, HeldComponents } from '../../src/renderer/graph/layout/held-components';
import type { LayoutInput } from '../../src/renderer/graph/layout/layout-types';
import { postedChange, receivedChange } from '../../src/renderer/graph/layout/posted-change';
import { seededRandom } from '../helpers/seeded-random';

const node = (id: string, width = 232) => ({ id, width, height: 96 });
const sorted = (component: Component) => ({
  nodes: component.nodes.map((n) => `${n.id}:${n.width}x${n.height}`).sort(),
  edges: component.edges.map((e) => `${e.source}->${e.target}`).sort(),
});

/** Sends each component with edges as the window does: the change of what this worker holds, its copy following. */
async function send(window: HeldComponents, worker: HeldComponents, key: string, component: Component, forget: string[]) {
  const { change, same } = await changeFor(window, key, component, { fromNothing: false, forget });
  const composed = await window.compose(change, undefined, same);
  await window.hold(key, composed, forget);
  // As posted to a worker and read there.
  const received = await worker.apply(receivedChange(structuredClone(await postedChange(change))));
  return { change, composed, received };
}

describe('the components a layout worker holds, told as changes', () => {
  it.each([1, 2, 3, 4, 5, 6])(
    'make, after every edit of a random sequence, the component built from nothing, in the same order on both sides (seed %i)',
    async (seed) => {
      const pick = seededRandom(seed);
      const any = <T>(list: readonly T[]) => list[Math.floor(pick() * list.length)] as T;
      let input: LayoutInput = { nodes: Array.from({ length: 30 }, (_, i) => node(`t${i}`)), edges: [] };
      for (let i = 1; i < 30; i++) if (pick() < 0.8) input.edges.push({ source: `t${Math.floor(pick() * i)}`, target: `t${i}` });
      const window = new HeldComponents();
      const worker = new HeldComponents();
      for (let step = 0; step < 300; step++) {
        const components = (await connectedComponents(input)).filter((component) => component.edges.length > 0);
        const keys: string[] = [];
        for (const [index, component] of components.entries()) {
          const key = `${step}.${index}`;
          keys.push(key);
          // What is not sent again this step is forgotten now and then (a worker holds only so many).
          const forget = pick() < 0.2 ? window.keys().filter((held) => !keys.includes(held)) : [];
          const { composed, received } = await send(window, worker, key, component, forget);
          expect(sorted(composed), `step ${step}`).toEqual(sorted(component));
          expect(received).toEqual(composed);
        }
        const ids = input.nodes.map((n) => n.id);
        const roll = pick();
        const next: LayoutInput = { nodes: [...input.nodes], edges: [...input.edges] };
        if (roll < 0.3) next.edges.push({ source: any(ids), target: any(ids) });
        else if (roll < 0.5 && next.edges.length > 0) next.edges.splice(Math.floor(pick() * next.edges.length), 1);
        else if (roll < 0.65) {
          const id = `n${step}`;
          next.nodes.push(node(id));
          next.edges.push({ source: any(ids), target: id });
        } else if (roll < 0.8) {
          const gone = any(ids);
          next.nodes = next.nodes.filter((n) => n.id !== gone);
          next.edges = next.edges.filter((e) => e.source !== gone && e.target !== gone);
        } else if (roll < 0.9) {
          const resized = any(ids);
          next.nodes = next.nodes.map((n) => (n.id === resized ? node(n.id, n.width + 10) : n));
        } else {
          // A dependency listed twice: two edges, one of which may go later.
          const twice = any(next.edges);
          if (twice) next.edges.push({ ...twice });
        }
        input = next;
      }
    },
  );

  it('sends what an edit changed, not the component', async () => {
    const nodes = Array.from({ length: 1000 }, (_, i) => node(`t${i}`));
    const edges = nodes.slice(1).map((n, i) => ({ source: `t${i}`, target: n.id }));
    const window = new HeldComponents();
    const worker = new HeldComponents();
    const first = await send(window, worker, 'a', { nodes, edges }, []);
    // The first build is the change from nothing.
    expect(first.change.from).toEqual([]);
    expect(first.change.addedNodes).toHaveLength(1000);
    const linked = await send(window, worker, 'b', { nodes, edges: [...edges, { source: 't5', target: 't900' }] }, ['a']);
    expect(linked.change).toMatchObject({ from: ['a'], removedNodes: [], addedNodes: [], removedEdges: [] });
    expect(linked.change.addedEdges).toEqual([{ source: 't5', target: 't900' }]);
    const grown = await send(window, worker, 'c', { nodes: [...nodes, node('new')], edges: [...edges, { source: 't1', target: 'new' }] }, [
      'b',
    ]);
    expect(grown.change.addedNodes).toEqual([node('new')]);
    expect(grown.change.removedEdges).toEqual([{ source: 't5', target: 't900' }]);
    expect(worker.keys()).toEqual(['c']);
    // The same cards and edges as other objects (an input made anew), and one edge more: only that edge is sent,
    // and the window's copy takes the new objects (the next edit matches them as objects).
    const anew = {
      nodes: grown.composed.nodes.map((n) => ({ ...n })),
      edges: [...grown.composed.edges.map((e) => ({ ...e })), { source: 't2', target: 'new' }],
    };
    const again = await send(window, worker, 'd', anew, ['c']);
    expect(again.change).toMatchObject({ from: ['c'], removedNodes: [], addedNodes: [], removedEdges: [] });
    expect(again.change.addedEdges).toEqual([{ source: 't2', target: 'new' }]);
    expect(again.composed.nodes.every((n) => anew.nodes.includes(n))).toBe(true);
    expect(again.composed.edges.every((e) => anew.edges.includes(e))).toBe(true);
  });

  it('takes a task that left a component and came back from where it is held now, once', async () => {
    const window = new HeldComponents();
    const worker = new HeldComponents();
    const [a, b, c, d] = ['a', 'b', 'c', 'd'].map((id) => node(id));
    await send(
      window,
      worker,
      'abc',
      {
        nodes: [a, b, c] as Component['nodes'],
        edges: [
          { source: 'a', target: 'b' },
          { source: 'b', target: 'c' },
        ],
      },
      [],
    );
    // c leaves (its dependency removed): it is a task without dependencies, in no component sent.
    await send(window, worker, 'ab', { nodes: [a, b] as Component['nodes'], edges: [{ source: 'a', target: 'b' }] }, []);
    // and joins again, with d: made from both components held, each giving the tasks it holds now.
    const back: Component = {
      nodes: [a, b, c, d] as Component['nodes'],
      edges: [
        { source: 'a', target: 'b' },
        { source: 'a', target: 'c' },
        { source: 'c', target: 'd' },
      ],
    };
    const { change, composed, received } = await send(window, worker, 'abcd', back, []);
    expect(change.from.sort()).toEqual(['ab', 'abc']);
    expect(sorted(composed)).toEqual(sorted(back));
    expect(received).toEqual(composed);
  });
});
