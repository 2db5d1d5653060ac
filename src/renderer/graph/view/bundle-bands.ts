import type { XY } from '../layout/layout-types';
import { roundedCorners } from './scene';

/** How tall a band of a bundle is, on the canvas: a few screens' worth of cards at card zoom. */
export const BAND_HEIGHT = 2048;

/** A band of a bundle: its lines and its arrowheads, as SVG path data. */
export interface BundleBand {
  lines: string;
  heads: string;
}

/**
 * Many routes (a hub's edges: splitAtHubs) drawn as routePath draws each, cut into horizontal bands of the canvas,
 * keyed by band (the band at y is `Math.floor(y / BAND_HEIGHT)`). The page holds only the bands near the screen, so a
 * change of the bundle (an edge added that moves a card of a fan, whose thousands of routes all move) sets path data of
 * a few bands: Chromium parses a path's data as a style (`d` is a CSS property), and the whole bundle's, a megabyte for
 * a fan of 5,000, took 34–138 ms of the page's thread to parse each time it changed. Within a band, straight runs on
 * one line are drawn once (the thousands of a hub's routes share one line along the gap: a comb), and each rounded
 * corner and arrowhead in the band of its bend and its tip.
 */
export function bundleBands(routes: ReadonlyArray<readonly XY[]>): Map<number, BundleBand> {
  // Straight runs by their line, across (by y) and down (by x), joined before they are cut into bands: a hub's
  // thousands of runs along one line become one, cut once into the bands it crosses.
  const across = new Map<number, Array<[number, number]>>();
  const down = new Map<number, Array<[number, number]>>();
  const bands = new Map<number, BundleBand>();
  const band = (at: number): BundleBand => {
    let found = bands.get(at);
    if (!found) {
      found = { lines: '', heads: '' };
      bands.set(at, found);
    }
    return found;
  };
  const bandAt = (y: number) => band(Math.floor(y / BAND_HEIGHT));
  const straight = (from: XY, to: XY) => {
    if (from.y === to.y) {
      if (from.x !== to.x) addRun(across, from.y, [Math.min(from.x, to.x), Math.max(from.x, to.x)]);
    } else if (from.x === to.x) {
      addRun(down, from.x, [Math.min(from.y, to.y), Math.max(from.y, to.y)]);
    } else {
      // A slanted line (a route not laid out yet): whole, in each band it crosses.
      const top = Math.min(from.y, to.y);
      for (let at = Math.floor(top / BAND_HEIGHT); at * BAND_HEIGHT <= Math.max(from.y, to.y); at++) {
        band(at).lines += `M${from.x},${from.y}L${to.x},${to.y}`;
      }
    }
  };
  // Corners and arrowheads drawn once each: a hub's routes all bend where they leave it.
  const drawn = new Set<string>();
  const once = (y: number, part: 'lines' | 'heads', d: string) => {
    if (drawn.has(d)) return;
    drawn.add(d);
    bandAt(y)[part] += d;
  };
  for (const points of routes) {
    let from = points[0];
    const last = points[points.length - 1];
    const before = points[points.length - 2];
    if (!from || !last || !before) continue;
    for (const { a, p, b } of roundedCorners(points)) {
      straight(from, a);
      once(p.y, 'lines', `M${a.x},${a.y}Q${p.x},${p.y} ${b.x},${b.y}`);
      from = b;
    }
    straight(from, last);
    once(last.y, 'heads', arrowHead(before, last));
  }
  for (const [y, runs] of across) for (const [x1, x2] of merged(runs)) bandAt(y).lines += `M${x1},${y}H${x2}`;
  for (const [x, runs] of down) {
    for (const [top, bottom] of merged(runs)) {
      // Cut at each band's edge: each band draws its own part of the run.
      for (let at = Math.floor(top / BAND_HEIGHT); at * BAND_HEIGHT < bottom; at++) {
        const start = Math.max(top, at * BAND_HEIGHT);
        const end = Math.min(bottom, (at + 1) * BAND_HEIGHT);
        if (end > start) band(at).lines += `M${x},${start}V${end}`;
      }
    }
  }
  return bands;
}

function addRun(lines: Map<number, Array<[number, number]>>, at: number, run: [number, number]): void {
  const list = lines.get(at);
  if (list) list.push(run);
  else lines.set(at, [run]);
}

/** Runs along one line, overlapping or touching ones joined. */
function merged(runs: Array<[number, number]>): Array<[number, number]> {
  runs.sort((p, q) => p[0] - q[0]);
  const out: Array<[number, number]> = [];
  for (const [start, end] of runs) {
    const open = out[out.length - 1];
    if (open && start <= open[1]) open[1] = Math.max(open[1], end);
    else out.push([start, end]);
  }
  return out;
}

/** The arrowhead the single edges' marker draws (EdgeMarkers), at the route's end along its last leg. */
function arrowHead(before: XY, end: XY): string {
  const length = Math.hypot(end.x - before.x, end.y - before.y) || 1;
  const ux = (end.x - before.x) / length;
  const uy = (end.y - before.y) / length;
  const bx = end.x - 7 * ux;
  const by = end.y - 7 * uy;
  return `M${bx - 5 * uy},${by + 5 * ux}L${end.x},${end.y}L${bx + 5 * uy},${by - 5 * ux}Z`;
}
