import type { XY } from '../layout/layout-types';

/** A run along a line: across at `at` (a y) from `from` to `to` (x), or down at `at` (an x) from `from` to `to` (y). */
export interface Run {
  at: number;
  from: number;
  to: number;
}

/**
 * Many routes' straight legs, kept by the line they lie on, so that the legs thousands of routes share are drawn once:
 * a hub's routes all run along one line of the gap beside it (a comb), and drawn one by one they were thousands of long
 * lines over each other (stroking those on the overview's canvas took the page's thread about 100 ms a frame near the
 * fan's hub). Only legs across or down are kept; a slanted one (a route not laid out yet) is the caller's to draw.
 *
 * The router gives each of a hub's routes a lane of its own, a fraction of a pixel from the next (5,000 lanes 0.04 apart
 * beside the fan's hub), so lines closer than `grid` are taken as one, at the nearest multiple of it: drawn at a grid of
 * half a pixel on screen, they look as they did one by one.
 */
export class StraightRuns {
  private readonly acrossRuns = new Legs();
  private readonly downRuns = new Legs();

  /** `grid`: how close lines are taken as one (0: only lines exactly on one line). */
  constructor(private readonly grid = 0) {}

  /** Keeps the leg from `from` to `to` if it runs across or down (true), else keeps nothing (false). */
  add(from: XY, to: XY): boolean {
    if (from.y === to.y) {
      if (from.x !== to.x) this.acrossRuns.add(this.line(from.y), Math.min(from.x, to.x), Math.max(from.x, to.x));
      return true;
    }
    if (from.x === to.x) {
      this.downRuns.add(this.line(from.x), Math.min(from.y, to.y), Math.max(from.y, to.y));
      return true;
    }
    return false;
  }

  private line(at: number): number {
    return this.grid > 0 ? Math.round(at / this.grid) * this.grid : at;
  }

  /** The runs across, those on one line that overlap or touch joined into one. */
  across(): Run[] {
    return this.acrossRuns.joined();
  }

  /** The runs down, joined as across() joins its runs. */
  down(): Run[] {
    return this.downRuns.joined();
  }
}

/**
 * Legs in three flat lists of numbers, sorted by line and start only when joined: a map of lines to lists of pairs cost
 * a fan's 10,000 edges 50–80 ms at each frame of the overview (a map keyed by fractional numbers, and a pair a leg).
 */
class Legs {
  private readonly lines: number[] = [];
  private readonly froms: number[] = [];
  private readonly tos: number[] = [];

  add(line: number, from: number, to: number): void {
    this.lines.push(line);
    this.froms.push(from);
    this.tos.push(to);
  }

  joined(): Run[] {
    const { lines, froms, tos } = this;
    const order = new Uint32Array(lines.length);
    for (let i = 0; i < order.length; i++) order[i] = i;
    order.sort((i, j) => (lines[i] as number) - (lines[j] as number) || (froms[i] as number) - (froms[j] as number));
    const out: Run[] = [];
    let open: Run | null = null;
    for (const i of order) {
      const at = lines[i] as number;
      const from = froms[i] as number;
      const to = tos[i] as number;
      if (open && open.at === at && from <= open.to) open.to = Math.max(open.to, to);
      else {
        open = { at, from, to };
        out.push(open);
      }
    }
    return out;
  }
}
