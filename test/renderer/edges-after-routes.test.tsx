// @vitest-environment happy-dom
import { cleanup, renderHook } from '@testing-library/react';
import { ReactFlowProvider } from '@xyflow/react';
import type { ReactNode } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { CARD_HEIGHT, CARD_WIDTH } from '../../src/renderer/graph/card-size';
import { edgeKey, type GraphLayout, type XY } from '../../src/renderer/graph/layout/layout-types';
import { buildScene } from '../../src/renderer/graph/view/scene';
import { useElementsInPage } from '../../src/renderer/graph/view/use-elements-in-page';

afterEach(cleanup);

const wrapper = ({ children }: { children: ReactNode }) => <ReactFlowProvider>{children}</ReactFlowProvider>;

/** A chain of cards in a row, each routed to the next, whose routes count their reads (a picture's routes are read whole). */
function chain(count: number) {
  const positions: Record<string, XY> = {};
  const routes: Record<string, XY[]> = {};
  for (let i = 0; i < count; i++) {
    positions[`t${i}`] = { x: i * (CARD_WIDTH + 60), y: 0 };
    if (i > 0)
      routes[edgeKey(`t${i - 1}`, `t${i}`)] = [
        { x: i * (CARD_WIDTH + 60) - 60, y: CARD_HEIGHT / 2 },
        { x: i * (CARD_WIDTH + 60), y: CARD_HEIGHT / 2 },
      ];
  }
  const box = { x: 0, y: 0, width: count * (CARD_WIDTH + 60), height: CARD_HEIGHT };
  const reads = { routes: 0 };
  const layout = {
    positions,
    groups: [{ anchor: 't0', box, ids: Object.keys(positions), pending: false, source: { routes } }],
    bounds: box,
  } as unknown as GraphLayout;
  Object.defineProperty(layout, 'routes', {
    enumerable: true,
    get: () => {
      reads.routes++;
      return routes;
    },
  });
  return { layout, reads, box };
}

describe('the edges in the page, while a picture’s routes are still being drawn', () => {
  it('are not asked for (the read would draw every route at once), and are once the routes are drawn', () => {
    // Issue 76 item 3: Fit on a 50,000-task plan read the edges in view before the background slices had drawn
    // the routes, and that read drew the other 100,000 in one task of 170–260 ms.
    const { layout, reads, box } = chain(6);
    const scene = buildScene(layout);
    const props = {
      scene,
      layout,
      drawWindow: { level: 'cards' as const, rect: box },
      shown: true,
      reach: 'near' as const,
      degree: () => 1,
    };
    const { result, rerender } = renderHook((routesDrawn: boolean) => useElementsInPage({ ...props, routesDrawn }), {
      wrapper,
      initialProps: false,
    });
    expect(result.current.ids.length).toBeGreaterThan(0);
    expect(reads.routes).toBe(0);
    rerender(true);
    expect(reads.routes).toBeGreaterThan(0);
  });
});
