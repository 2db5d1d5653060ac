import { neverDue, type Steps, toEnd } from '../../../shared/steps';
import type { XY } from '../layout/layout-types';
import { type RoundedCorner, roundedCorners } from './scene';
import { type Run, StraightRuns } from './straight-runs';

/** How tall a band of a bundle is, on the canvas: a few screens' worth of cards at card zoom. */
export const BAND_HEIGHT = 2048;

/** A band of a bundle: its lines and its arrowheads, as SVG path data. */
export interface BundleBand {
  lines: string;
  heads: string;
}

/**
 * Lines closer than this on the canvas are drawn as one (StraightRuns): half a pixel at the largest zoom (MAX_ZOOM), so
 * a hub's lanes, a fraction of a pixel apart, look as they did one by one.
 */
const LANE_GRID = 0.25;

/**
 * Many routes (a hub's edges: splitAtHubs) drawn as routePath draws each, cut into horizontal bands of the canvas (the
 * band at y is `Math.floor(y / BAND_HEIGHT)`). The page holds only the bands near the screen, so a change of the bundle
 * (an edge added that moves a card of a fan, whose thousands of routes all move) sets path data of a few bands: Chromium
 * parses a path's data as a style (`d` is a CSS property), and the whole bundle's, a megabyte for a fan of 5,000, took
 * 34–138 ms of the page's thread to parse each time it changed. Within a band, straight runs on one line are drawn once
 * (the thousands of a hub's routes share one line along the gap: a comb), and each rounded corner and arrowhead in the
 * band of its bend and its tip.
 *
 * A band's path data is written when it is first asked for (BundleBands.get): runs down may cross every band of a fan's
 * height, and every corner's and arrowhead's numbers were written for hundreds of bands where the page shows three (5,000
 * routes down lanes of their own, in Node: 280–400 ms written at once, 8–13 ms kept for later).
 */
export function bundleBands(routes: ReadonlyArray<readonly XY[]>): BundleBands {
  return toEnd(bundleBandSteps(routes, neverDue));
}

/** bundleBands as steps (shared/steps.ts), pausing between routes where `due` says. */
export function* bundleBandSteps(routes: ReadonlyArray<readonly XY[]>, due: () => boolean): Steps<BundleBands> {
  const runs = new StraightRuns(LANE_GRID);
  const placed = new Map<number, BandParts>();
  const bandAt = (y: number) => {
    const at = Math.floor(y / BAND_HEIGHT);
    let found = placed.get(at);
    if (!found) {
      found = { slanted: [], corners: [], across: [], heads: [] };
      placed.set(at, found);
    }
    return found;
  };
  const straight = (from: XY, to: XY) => {
    if (runs.add(from, to)) return;
    // A slanted line (a route not laid out yet): whole, in each band it crosses.
    for (let y = Math.floor(Math.min(from.y, to.y) / BAND_HEIGHT) * BAND_HEIGHT; y <= Math.max(from.y, to.y); y += BAND_HEIGHT) {
      bandAt(y).slanted.push([from, to]);
    }
  };
  for (const points of routes) {
    if (due()) yield;
    let from = points[0];
    const last = points[points.length - 1];
    const before = points[points.length - 2];
    if (!from || !last || !before) continue;
    for (const corner of roundedCorners(points)) {
      straight(from, corner.a);
      bandAt(corner.p.y).corners.push(corner);
      from = corner.b;
    }
    straight(from, last);
    bandAt(last.y).heads.push([before, last]);
  }
  for (const run of runs.across()) bandAt(run.at).across.push(run);
  return new BundleBands(placed, runs.down());
}

/** What lies in one band of a bundle, its path data not written yet. */
interface BandParts {
  slanted: Array<[XY, XY]>;
  corners: RoundedCorner[];
  across: Run[];
  /** Each arrowhead's last leg: the point before the tip, and the tip. */
  heads: Array<[XY, XY]>;
}

/** A bundle's bands, each written when first asked for and then kept. */
export class BundleBands {
  private readonly made = new Map<number, BundleBand | null>();

  constructor(
    private readonly placed: ReadonlyMap<number, BandParts>,
    /** The runs down, which may cross many bands. */
    private readonly down: readonly Run[],
  ) {}

  /** The band `at`'s paths, or undefined where nothing of the bundle lies. */
  get(at: number): BundleBand | undefined {
    const known = this.made.get(at);
    if (known !== undefined) return known ?? undefined;
    const parts = this.placed.get(at);
    let lines = '';
    for (const [from, to] of parts?.slanted ?? []) lines += `M${from.x},${from.y}L${to.x},${to.y}`;
    // Corners and arrowheads drawn once each: a hub's routes may all bend where they leave it.
    const corners = new Set<string>();
    for (const { a, p, b } of parts?.corners ?? []) corners.add(`M${a.x},${a.y}Q${p.x},${p.y} ${b.x},${b.y}`);
    for (const corner of corners) lines += corner;
    for (const { at: y, from, to } of parts?.across ?? []) lines += `M${from},${y}H${to}`;
    const top = at * BAND_HEIGHT;
    const bottom = top + BAND_HEIGHT;
    // Cut at the band's edges: each band draws its own part of a run.
    for (const { at: x, from, to } of this.down) {
      const start = Math.max(from, top);
      const end = Math.min(to, bottom);
      if (end > start) lines += `M${x},${start}V${end}`;
    }
    const heads = [...new Set((parts?.heads ?? []).map(([before, tip]) => arrowHead(before, tip)))].join('');
    const band = lines === '' && heads === '' ? null : { lines, heads };
    this.made.set(at, band);
    return band ?? undefined;
  }

  /** The bands anything of the bundle lies in, in order. */
  keys(): number[] {
    const at = new Set(this.placed.keys());
    for (const { from, to } of this.down) {
      for (let band = Math.floor(from / BAND_HEIGHT); band * BAND_HEIGHT < to; band++) at.add(band);
    }
    return [...at].sort((a, b) => a - b);
  }
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
