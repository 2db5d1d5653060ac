import { describe, expect, it } from 'vitest';
import type { XY } from '../../src/renderer/graph/layout/layout-types';
import { BAND_HEIGHT, bundleBands } from '../../src/renderer/graph/view/bundle-bands';
import { routePath } from '../../src/renderer/graph/view/scene';

/*
 * A hub's edges drawn together, cut into bands of the canvas (bundle-bands.ts): the page holds only the bands near the
 * screen, so a change of the bundle sets the path data of a few (Chromium parses a path's data as a style: a fan's
 * whole bundle, a megabyte, took up to 138 ms to parse at each change; found tracing the UI bench's dragged link).
 */

/** A fan's comb as splitAtHubs draws it: from the hub out to the gap's middle, along it, and in to each part. */
function comb(parts: number, gap = 90): XY[][] {
  const hub = { x: 0, y: (parts * gap) / 2 };
  return Array.from({ length: parts }, (_, i) => [hub, { x: 50, y: hub.y }, { x: 50, y: i * gap }, { x: 100, y: i * gap }]);
}

/** The runs along x = `x` that a band's lines draw ("M x,y1 V y2"). */
function downRuns(lines: string, x: number): Array<[number, number]> {
  return [...lines.matchAll(new RegExp(`M${x},([-\\d.]+)V([-\\d.]+)`, 'g'))].map((m) => [Number(m[1]), Number(m[2])]);
}

describe("a bundle's bands", () => {
  it('draws a comb’s shared line once, cut at each band’s edge, and each part’s bend and arrowhead in its own band', () => {
    const routes = comb(1000);
    const bands = bundleBands(routes);
    const height = 1000 * 90;
    expect(bands.keys()).toEqual(Array.from({ length: Math.ceil(height / BAND_HEIGHT) }, (_, i) => i));
    // The line along the gap: from the first part's bend to the last one's, one run a band, end to end but where it
    // meets the hub's bend (its curves draw that part).
    const along = bands.keys().flatMap((at) => downRuns(bands.get(at)?.lines ?? '', 50));
    const gaps: Array<[number, number]> = [];
    for (let i = 1; i < along.length; i++) {
      const [end, start] = [along[i - 1]?.[1] ?? 0, along[i]?.[0] ?? 0];
      if (start !== end) gaps.push([end, start]);
    }
    expect(along[0]?.[0]).toBe(8);
    expect(along.at(-1)?.[1]).toBe(999 * 90 - 8);
    expect(gaps).toEqual([[height / 2 - 8, height / 2 + 8]]);
    expect(along.length).toBe(Math.ceil(height / BAND_HEIGHT) + 1);
    // Each part's bend in and its arrowhead, where its card is.
    const part = 700;
    const band = bands.get(Math.floor((part * 90) / BAND_HEIGHT));
    expect(band?.lines).toContain(`M50,${part * 90 - 8}Q50,${part * 90} 58,${part * 90}`);
    expect(band?.heads).toContain(`L100,${part * 90}L`);
    // Up, down, and the part level with the hub (whose route does not bend): each drawn once, not once a route.
    const hubBends = bands.keys().map((at) => (bands.get(at)?.lines ?? '').split(`Q50,${height / 2} `).length - 1);
    expect(hubBends.reduce((a, b) => a + b, 0)).toBe(3);
  });

  it('keeps every band small where a whole bundle in one path was a megabyte', () => {
    const routes = comb(5000);
    const whole = routes.map((points) => routePath(points)).join('');
    const bundle = bundleBands(routes);
    const bands = bundle.keys().map((at) => (bundle.get(at)?.lines.length ?? 0) + (bundle.get(at)?.heads.length ?? 0));
    expect(whole.length).toBeGreaterThan(350_000);
    expect(Math.max(...bands)).toBeLessThan(whole.length / 50);
  });

  it('draws a route not laid out yet (a slanted line) whole, in each band it crosses', () => {
    const slanted = [
      { x: 0, y: 100 },
      { x: 300, y: BAND_HEIGHT + 100 },
    ];
    const bands = bundleBands([slanted]);
    expect(bands.get(0)?.lines).toBe(`M0,100L300,${BAND_HEIGHT + 100}`);
    expect(bands.get(1)?.lines).toBe(`M0,100L300,${BAND_HEIGHT + 100}`);
    expect(bands.get(1)?.heads).not.toBe('');
  });
});
