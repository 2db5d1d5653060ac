// @vitest-environment happy-dom
import { cleanup, renderHook, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { SceneEdge } from '../../src/renderer/graph/view/scene';
import { useBundleBands } from '../../src/renderer/graph/view/use-bundle-bands';

afterEach(() => {
  vi.restoreAllMocks();
  cleanup();
});

/** A hub's edges as splitAtHubs combs them: out of the hub, along the gap, in to each part. */
function hubEdges(parts: number): SceneEdge[] {
  return Array.from({ length: parts }, (_, i) => ({
    id: `hub->p${i}`,
    source: 'hub',
    target: `p${i}`,
    points: [
      { x: 0, y: 0 },
      { x: 50, y: 0 },
      { x: 50, y: i * 124 },
      { x: 100, y: i * 124 },
    ],
    box: { x: 0, y: 0, width: 100, height: i * 124 },
  }));
}

const open = () => false;

describe("a bundle's bands (use-bundle-bands.ts)", () => {
  it('cuts a small bundle in the render that draws it', () => {
    const { result } = renderHook(() => useBundleBands(hubEdges(200), open));
    expect(result.current?.open.get(0)?.lines).toContain('M50,');
  });

  it('cuts a big one in background slices after that render, the bands cut before staying drawn until it is cut', async () => {
    const small = hubEdges(200);
    const { result, rerender } = renderHook(({ edges }) => useBundleBands(edges, open), { initialProps: { edges: small } });
    const before = result.current;
    expect(before).not.toBeNull();
    // A clock that runs a millisecond a read: a slice (12 ms, read every 32nd route) ends after a few hundred routes.
    let now = performance.now();
    vi.spyOn(performance, 'now').mockImplementation(() => (now += 1));
    const big = hubEdges(5000);
    rerender({ edges: big });
    expect(result.current).toBe(before);
    await waitFor(() => expect(result.current).not.toBe(before));
    const last = (5000 - 1) * 124;
    expect(result.current?.open.get(Math.floor(last / 2048))?.heads).toContain(`L100,${last}L`);
    // The same edges again: the same bands, nothing cut again.
    const cut = result.current;
    rerender({ edges: [...big] });
    expect(result.current).toBe(cut);
  });
});
