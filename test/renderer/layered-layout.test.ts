// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { layeredLayout, quickLayout } from '../../src/renderer/graph/layout/layered-layout';
import { layoutInput } from '../../src/renderer/graph/layout/layout-input';
import { packLayout, unpackLayout } from '../../src/renderer/graph/layout/layout-protocol';
import { createLayoutRunner } from '../../src/renderer/graph/layout/layout-runner';
import type { LayoutInput, XY } from '../../src/renderer/graph/layout/layout-types';
import { connectedDag } from '../bench/ui/big-graph';

const W = 232;
const H = 96;
const dag = (count: number): LayoutInput => layoutInput(new Map(connectedDag(count).map((task) => [task.id, task])));

/**
 * Cards of one column sorted top to bottom never overlap; every dependency is left of its dependent. What is
 * wrong is collected and checked at once: an expect per edge and per card took as long as the 50,000-task
 * layout itself.
 */
function expectTidy(input: LayoutInput, positions: Record<string, XY>): void {
  expect(Object.keys(positions)).toHaveLength(input.nodes.length);
  const wrong: string[] = [];
  for (const { source, target } of input.edges) {
    const from = (positions[source] as XY).x + W;
    const to = (positions[target] as XY).x;
    if (!(from < to)) wrong.push(`${source} ends at x ${from}, not left of ${target} at x ${to}`);
  }
  const columns = new Map<number, number[]>();
  for (const p of Object.values(positions)) {
    const column = columns.get(p.x);
    if (column) column.push(p.y);
    else columns.set(p.x, [p.y]);
  }
  for (const [x, ys] of columns) {
    ys.sort((a, b) => a - b);
    for (let i = 1; i < ys.length; i++)
      if (!((ys[i] as number) - (ys[i - 1] as number) >= H)) wrong.push(`cards at x ${x}, y ${ys[i - 1]} and ${ys[i]} overlap`);
  }
  expect(wrong).toEqual([]);
}

/** Whether a horizontal or vertical segment passes through the inside of a card. */
function crossesCard(a: XY, b: XY, card: XY): boolean {
  const left = Math.min(a.x, b.x);
  const right = Math.max(a.x, b.x);
  const top = Math.min(a.y, b.y);
  const bottom = Math.max(a.y, b.y);
  return right > card.x + 1 && left < card.x + W - 1 && bottom > card.y + 1 && top < card.y + H - 1;
}

describe('layered layout for big components', () => {
  it('lays out one connected 50,000-task plan without overflowing the stack, every card placed and none overlapping', () => {
    const input = dag(50_000);
    const { positions, routes } = layeredLayout(input);
    expectTidy(input, positions);
    expect(Object.keys(routes)).toHaveLength(input.edges.length);
  }, 120_000);

  it("routes every edge orthogonally from its dependency's right side to its dependent's left side, never under a card", () => {
    const input = dag(400);
    const { positions, routes } = layeredLayout(input);
    const cards = Object.entries(positions);
    const under: string[] = [];
    for (const [id, points] of Object.entries(routes)) {
      const [source, target] = id.split('->') as [string, string];
      expect(points[0]?.x).toBeCloseTo((positions[source] as XY).x + W, 3);
      expect(points.at(-1)?.x).toBeCloseTo((positions[target] as XY).x, 3);
      for (let i = 1; i < points.length; i++) {
        const a = points[i - 1] as XY;
        const b = points[i] as XY;
        expect(a.x === b.x || a.y === b.y, `${id} has a slanted segment`).toBe(true);
        for (const [other, card] of cards) {
          if (other === source || other === target) continue;
          if (crossesCard(a, b, card)) under.push(`${id} passes under ${other}`);
        }
      }
    }
    expect(under).toEqual([]);
  });

  it('keeps crossings down: fewer bends than the input order alone', () => {
    const input = dag(2000);
    const bends = (routes: Record<string, XY[]>) => Object.values(routes).reduce((sum, points) => sum + points.length - 2, 0);
    expect(bends(layeredLayout(input).routes)).toBeLessThan(bends(layeredLayout(input, { sweeps: 0, passes: 0 }).routes));
  });

  it('gives a quick fallback with every card placed and no two overlapping', () => {
    const input = dag(10_000);
    expectTidy(input, quickLayout(input).positions);
  });
});

describe('the layout runner with big components', () => {
  it('sends a layout from the worker packed in arrays and reads it back exactly', async () => {
    const input = dag(500);
    const layout = layeredLayout(input);
    expect(await unpackLayout(input, packLayout(input, layout))).toEqual(layout);
  });

  it('lays out one connected 10,000-task plan in the runner, in seconds, without the fallback', async () => {
    const input = dag(10_000);
    const layout = await createLayoutRunner(null).run(input);
    expect(layout?.notice).toBeUndefined();
    expectTidy(input, layout?.positions ?? {});
  }, 120_000);

  it('shows a simpler layout and says so when the worker fails on a component', async () => {
    class FailingWorker extends EventTarget {
      onmessage: ((message: MessageEvent) => void) | null = null;
      onerror: ((event: ErrorEvent) => void) | null = null;
      postMessage(request: { id: number }) {
        setTimeout(
          () => this.onmessage?.(new MessageEvent('message', { data: { id: request.id, error: 'Maximum call stack size exceeded' } })),
          1,
        );
      }
      terminate() {}
    }
    const input = dag(2000);
    const layout = await createLayoutRunner(() => new FailingWorker() as unknown as Worker, 1).run(input);
    expect(layout?.notice).toMatch(/2,000 tasks are shown with a simpler layout/);
    expect(layout?.notice).not.toMatch(/call stack/);
    expectTidy(input, layout?.positions ?? {});
    // A small component is laid out by the engine itself on the window's thread: the same picture, nothing to say.
    const small = dag(120);
    const here = await createLayoutRunner(() => new FailingWorker() as unknown as Worker, 1).run(small);
    expect(here?.notice).toBeUndefined();
    expect(here?.positions).toEqual((await createLayoutRunner(null).run(small))?.positions);
  });
});
