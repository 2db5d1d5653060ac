// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { connectedComponents } from '../../src/renderer/graph/layout/connected-components';
import { layoutGraph } from '../../src/renderer/graph/layout/layout-graph';
import { createLayoutRunner } from '../../src/renderer/graph/layout/layout-runner';
import type { LayoutInput } from '../../src/renderer/graph/layout/layout-types';

const node = (id: string) => ({ id, width: 240, height: 92 });

function chainWithSide(): LayoutInput {
  return {
    nodes: ['a', 'b', 'c', 'd', 'lonely', 'x', 'y'].map(node),
    edges: [
      { source: 'a', target: 'b' },
      { source: 'b', target: 'c' },
      { source: 'a', target: 'd' },
      { source: 'x', target: 'y' },
    ],
  };
}

describe('graph layout', () => {
  it('places dependencies left of their dependents', () => {
    const positions = layoutGraph(chainWithSide());
    const x = (id: string) => positions[id]?.x ?? Number.NaN;
    expect(x('a')).toBeLessThan(x('b'));
    expect(x('b')).toBeLessThan(x('c'));
    expect(x('a')).toBeLessThan(x('d'));
    expect(x('x')).toBeLessThan(x('y'));
  });

  it('puts unconnected tasks in a grid on top and components below without overlap', () => {
    const positions = layoutGraph(chainWithSide());
    const lonely = positions.lonely;
    expect(lonely).toBeDefined();
    for (const id of ['a', 'b', 'c', 'd', 'x', 'y']) expect(positions[id]?.y ?? 0).toBeGreaterThan(lonely?.y ?? 0);
    const boxes = Object.values(positions);
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) {
        const [p, q] = [boxes[i], boxes[j]];
        if (!p || !q) continue;
        const overlap = Math.abs(p.x - q.x) < 240 && Math.abs(p.y - q.y) < 92;
        expect(overlap).toBe(false);
      }
    }
  });

  it('splits weakly connected components', () => {
    const components = connectedComponents(chainWithSide());
    expect(components.map((c) => c.nodes.map((n) => n.id))).toEqual([['a', 'b', 'c', 'd'], ['lonely'], ['x', 'y']]);
  });

  it('lays out a 600-task graph with the fast path, every task placed', () => {
    const nodes = Array.from({ length: 600 }, (_, i) => node(`t${i}`));
    const edges = nodes.slice(1).map((n, i) => ({ source: `t${Math.floor(i / 2)}`, target: n.id }));
    const positions = layoutGraph({ nodes, edges });
    expect(Object.keys(positions)).toHaveLength(600);
    for (const edge of edges) expect(positions[edge.source]?.x ?? 0).toBeLessThan(positions[edge.target]?.x ?? 0);
  });

  it('falls back to synchronous layout where there are no workers', async () => {
    const runner = createLayoutRunner(null);
    const nodes = Array.from({ length: 300 }, (_, i) => node(`n${i}`));
    const positions = await runner.run({ nodes, edges: [] });
    expect(Object.keys(positions ?? {})).toHaveLength(300);
    runner.dispose();
  });
});

describe('layout worker pool', () => {
  /** A stand-in Worker: answers like layout.worker.ts, or fails to start like a blocked script. */
  class FakeWorker extends EventTarget {
    onmessage: ((message: MessageEvent) => void) | null = null;
    onerror: ((event: ErrorEvent) => void) | null = null;
    constructor(private readonly broken: boolean) {
      super();
    }
    postMessage(request: { id: number; fast: boolean; components: Array<{ nodes: Array<{ id: string }> }> }) {
      setTimeout(() => {
        if (this.broken) {
          this.onerror?.(new ErrorEvent('error', { message: 'blocked by CSP' }));
          return;
        }
        const layouts = request.components.map((component) => ({
          positions: Object.fromEntries(component.nodes.map((n, i) => [n.id, { x: i * 300, y: 0 }])),
          width: component.nodes.length * 300,
          height: 92,
        }));
        this.onmessage?.(new MessageEvent('message', { data: { id: request.id, layouts } }));
      }, 2 * request.id);
    }
    terminate() {}
  }
  const bigChains = () => {
    const nodes = Array.from({ length: 400 }, (_, i) => node(`c${i}`));
    // 100 chains of 4 tasks: 100 components.
    const edges = nodes.filter((_, index) => index % 4 !== 0).map((n) => ({ source: `c${Number(n.id.slice(1)) - 1}`, target: n.id }));
    return { nodes, edges };
  };

  it('spreads components over the workers and reports the top of the canvas first', async () => {
    const runner = createLayoutRunner(() => new FakeWorker(false) as unknown as Worker, 2);
    const progress: number[] = [];
    const positions = await runner.run(bigChains(), (partial) => progress.push(Object.keys(partial).length));
    expect(Object.keys(positions ?? {})).toHaveLength(400);
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.every((count, index) => count < 400 && count > (progress[index - 1] ?? 0))).toBe(true);
  });

  it('lets a newer request for the same graph wait for the components already being laid out', async () => {
    let sent = 0;
    class CountingWorker extends FakeWorker {
      override postMessage(request: Parameters<FakeWorker['postMessage']>[0]) {
        sent += request.components.length;
        super.postMessage(request);
      }
    }
    const runner = createLayoutRunner(() => new CountingWorker(false) as unknown as Worker, 1);
    // 60 chains of 5 tasks, named apart from the other tests' graphs (layouts are cached by structure).
    const nodes = Array.from({ length: 300 }, (_, i) => node(`s${i}`));
    const edges = nodes.filter((_, i) => i % 5 !== 0).map((n) => ({ source: `s${Number(n.id.slice(1)) - 1}`, target: n.id }));
    const early = runner.run({ nodes, edges });
    const positions = await runner.run({ nodes, edges }, () => undefined);
    expect(await early).toBeNull();
    expect(Object.keys(positions ?? {})).toHaveLength(300);
    expect(sent).toBe(60);
  });

  it('falls back to laying out in the window when the workers cannot start', async () => {
    const runner = createLayoutRunner(() => new FakeWorker(true) as unknown as Worker, 2);
    const positions = await runner.run(bigChains());
    expect(Object.keys(positions ?? {})).toHaveLength(400);
    // Later layouts no longer try the broken workers.
    expect(Object.keys((await runner.run(bigChains())) ?? {})).toHaveLength(400);
  });
});
