import type { Box, EdgeRoutes, GraphLayout, LayoutGroup, LayoutPositions, XY } from '../layout/layout-types';
import { GROUP_GAP } from '../layout/pack-groups';
import { inBackground, TimeSlices } from '../../scheduling/time-slices';
import { type Gathered, KeptStages, type StageCut } from './kept-clusters';

/**
 * What the connected clusters are made of, in the space the picture is drawn in: each big part's
 * stages (their boxes the box their cards cover, where those cards are drawn), and the small parts.
 */
export interface PlanStages {
  big: readonly LayoutGroup[];
  stages: ReadonlyMap<string, readonly StageCut[]>;
  small: readonly LayoutGroup[];
  gathered: Gathered | null;
}

/** One row of a wrapped plan: its stages' cards, moved by (dx, dy). */
interface Row {
  /** The layout's x where its first stage starts (-Infinity for the first row). */
  from: number;
  dx: number;
  dy: number;
  /** The layout's y its stages were planned within (a card an edit puts outside them plans the rows again). */
  top: number;
  bottom: number;
  /** Where the row ends below, drawn: the edges running on to the next row pass under it. */
  drawnBottom: number;
  /** Its drawn left side: edges coming from the row before enter it from there. */
  drawnLeft: number;
}

/** A big part wrapped in rows, kept from one layout to the next while its stages still fit their rows. */
interface Wrap {
  /** Each stage's first column's x in the layout, first to last: the stages an edit leaves alone keep their tasks. */
  at: number[];
  /** The part's width when its stages were cut (a part laid out anew, much wider or narrower, is cut again). */
  width: number;
  rows: Row[];
  gap: number;
  /** The layout's box of the part, and the one drawn. */
  box: Box;
  drawn: Box;
}

/** A part this many times wider than high is wrapped into rows: one plan of thousands of tasks is a strip (181,672 × 5,803 at 10,000). */
const WRAP_FROM = 2.5;
/** The wrapped part's shape, about a window's. */
const ASPECT = 1.6;
/** How far left of a row the edges from the row before come down to enter it. */
const ENTRY = 40;

const drawnLayouts = new WeakMap<GraphLayout, PlanStages>();

/** The stages of a layout `WrappedPlans.update` made (undefined: another layout, read as it is). */
export const planStagesOf = (layout: GraphLayout): PlanStages | undefined => drawnLayouts.get(layout);

/**
 * The layout as drawn: a big connected part (a strip of thousands of columns) set in rows of its
 * stages in reading order, like lines of text, so that the stage map at Fit and the cards are one
 * picture: zooming into a stage's box reaches its cards there. Cards and routes move with their
 * row; an edge from one row to the next leaves its row on the right, runs left under it and
 * enters the next row from its left side. Parts below a wrapped one move down by what it grew.
 * The stages (KeptStages, read from the layout as it came) are kept by where they start, and the
 * rows while the stages fit them: an edit moves only what it moved.
 */
export class WrappedPlans {
  private readonly kept = new KeptStages();
  private wraps = new Map<string, Wrap>();
  private last: { layout: GraphLayout; drawn: GraphLayout } | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  /** Every update's routes drawn (see `update`). */
  private routesDrawn: Promise<unknown> = Promise.resolve();

  /**
   * The layout as drawn, in time slices (a 10,000-task plan's cards and routes, 30,000 of them, were
   * one long task of the window's). A picture drawn afresh (the first, or one whose rows changed) is
   * handed over once its cards are placed: its routes are drawn after, in background slices (the
   * first picture of a plan puts no edge in the page, so its first card waits for none of them), and
   * whatever reads them before that draws the rest at once. One update at a time: each starts from
   * the one before.
   */
  update(layout: GraphLayout, slices: TimeSlices = new TimeSlices()): Promise<GraphLayout> {
    const drawn = this.queue.then(() => this.draw(layout, slices));
    this.queue = drawn.catch(() => undefined);
    const routes = drawn.then(
      (picture) => inBackground(() => drawnRoutes.get(picture)?.inSlices(slices) ?? Promise.resolve()),
      () => undefined,
    );
    this.routesDrawn = Promise.all([this.routesDrawn, routes]);
    return drawn;
  }

  /** Resolves once every update asked for so far is drawn whole, its routes too. */
  drawnWhole(): Promise<void> {
    return this.routesDrawn.then(() => undefined);
  }

  private async draw(layout: GraphLayout, slices: TimeSlices): Promise<GraphLayout> {
    const at = new Map<string, number[]>();
    for (const group of layout.groups) {
      const wrap = this.wraps.get(group.anchor);
      if (wrap && !group.pending && group.box.width >= 0.8 * wrap.width && group.box.width <= 1.25 * wrap.width)
        at.set(group.anchor, wrap.at);
    }
    const cut = await this.kept.inSlices(layout, at, slices);
    const wraps = new Map<string, Wrap>();
    for (const group of cut.big) {
      const stages = cut.stages.get(group.anchor) ?? [];
      const before = this.wraps.get(group.anchor);
      const wrap = before && at.has(group.anchor) && fits(before, stages, group.box) ? before : planWrap(stages, group.box);
      if (wrap) wraps.set(group.anchor, wrap);
    }
    this.wraps = wraps;
    const drawn = wraps.size === 0 ? layout : await this.drawn(layout, wraps, slices);
    const big = cut.big.map((group) => drawnGroup(drawn, group.anchor) ?? group);
    const small = cut.small.map((group) => drawnGroup(drawn, group.anchor) ?? group);
    const stages = new Map<string, StageCut[]>();
    for (const [part, list] of cut.stages) {
      const wrap = wraps.get(part);
      stages.set(part, wrap ? list.map((stage) => movedStage(stage, wrap)) : [...list]);
    }
    drawnLayouts.set(drawn, { big, stages, small, gathered: cut.gathered && gatheredOf(small, cut.gathered) });
    this.last = { layout, drawn };
    return drawn;
  }

  private async drawn(layout: GraphLayout, wraps: ReadonlyMap<string, Wrap>, slices: TimeSlices): Promise<GraphLayout> {
    const wrapped = [...wraps.values()];
    // A part below a wrapped one moves down by what that one grew.
    const below = (box: Box) => {
      let dy = 0;
      for (const wrap of wrapped) if (box.y >= wrap.box.y + wrap.box.height) dy += wrap.drawn.height - wrap.box.height;
      return dy;
    };
    const last = this.last;
    // The picture before, drawn with the same rows: a card or route whose layout object an edit
    // left alone keeps its drawn object (by id: a map from each of a 10,000-task plan's points to
    // its drawn copy made the window's longest task, most of it the collector's).
    const before = last && sameWraps(drawnWraps.get(last.drawn), wraps) ? last : null;
    const groups = layout.groups.map((group): LayoutGroup => {
      const wrap = wraps.get(group.anchor);
      if (wrap) {
        // Its changes say where its cards were drawn before, when the rows are the same.
        const same = group.changes && last && group.changes.from.deref() === last.layout && drawnWrapOf(last.drawn, group.anchor) === wrap;
        return {
          ...group,
          box: wrap.drawn,
          source: group.source && sourceFor(group.source, wrap),
          changes:
            same && group.changes && last
              ? movedChanges(
                  group.changes,
                  last.drawn,
                  (id, p) => (last.layout.positions[id] === p ? (last.drawn.positions[id] as XY) : placeIn(wrap, p)),
                  (id, r) => (last.layout.routes[id] === r ? (last.drawn.routes[id] as XY[]) : routeIn(wrap, r)),
                )
              : undefined,
        };
      }
      const dy = below(group.box);
      if (dy === 0) return group;
      return {
        ...group,
        box: { ...group.box, y: group.box.y + dy },
        source: group.source && sourceFor(group.source, dy),
        changes: undefined,
      };
    });
    // Each card and route goes with the part whose box holds it (its first point: a route starts at its dependency).
    const wrapAt = (p: XY): Wrap | undefined => {
      for (const wrap of wrapped) if (inside(p, wrap.box)) return wrap;
      return undefined;
    };
    const positions: LayoutPositions = {};
    for (const id in layout.positions) {
      if (slices.due()) await slices.next();
      const p = layout.positions[id] as XY;
      if (before && before.layout.positions[id] === p) {
        positions[id] = before.drawn.positions[id] as XY;
        continue;
      }
      const wrap = wrapAt(p);
      if (wrap) positions[id] = placeIn(wrap, p);
      else {
        const dy = below({ x: p.x, y: p.y, width: 0, height: 0 });
        positions[id] = dy === 0 ? p : { x: p.x, y: p.y + dy };
      }
    }
    const routes = new RoutesToDraw(Object.keys(layout.routes), (id) => {
      const points = layout.routes[id] as XY[];
      if (before && before.layout.routes[id] === points) return before.drawn.routes[id] as XY[];
      const first = points[0];
      const wrap = first && wrapAt(first);
      if (wrap) return routeIn(wrap, points);
      const dy = first ? below({ x: first.x, y: first.y, width: 0, height: 0 }) : 0;
      return dy === 0 ? points : points.map((point) => ({ x: point.x, y: point.y + dy }));
    });
    // An edit's picture (drawn on the one before, most of its routes kept) puts its edges in the page
    // at once: they are drawn before it is handed over, or its render would draw them all in one task.
    if (before) await routes.inSlices(slices);
    const drawn = { ...layout, positions, groups, bounds: boundsOf(groups) } as GraphLayout;
    // Its routes as they are drawn (RoutesToDraw): read before the slices are done, the rest is drawn then.
    Object.defineProperty(drawn, 'routes', { enumerable: true, get: () => routes.whole() });
    drawnRoutes.set(drawn, routes);
    drawnWraps.set(drawn, new Map(wraps));
    return drawn;
  }
}

/**
 * A picture's routes, drawn one by one after its cards: in time slices (`inSlices`), or the rest at
 * once when they are read before those are done (`whole`). Either way each is drawn once, in order.
 */
class RoutesToDraw {
  private readonly routes: EdgeRoutes = {};
  private next = 0;
  private markDrawn: () => void = () => undefined;
  /** Resolves once every route is drawn, in slices or at once. */
  readonly drawn = new Promise<void>((resolve) => {
    this.markDrawn = resolve;
  });

  constructor(
    private readonly ids: readonly string[],
    private readonly drawOne: (id: string) => XY[],
  ) {
    if (ids.length === 0) this.markDrawn();
  }

  get done(): boolean {
    return this.next >= this.ids.length;
  }

  whole(): EdgeRoutes {
    while (this.next < this.ids.length) this.step();
    return this.routes;
  }

  async inSlices(slices: TimeSlices): Promise<void> {
    while (this.next < this.ids.length) {
      if (slices.due()) await slices.next();
      else this.step();
    }
  }

  private step(): void {
    const id = this.ids[this.next++] as string;
    this.routes[id] = this.drawOne(id);
    if (this.next === this.ids.length) this.markDrawn();
  }
}

/** The routes of each drawn picture, being drawn. */
const drawnRoutes = new WeakMap<GraphLayout, RoutesToDraw>();

/**
 * A picture's routes still being drawn in the background: resolves once they are all drawn; null when they are (or
 * the picture is not one WrappedPlans drew). What would read them meanwhile waits for it instead: a read draws the
 * rest at once (a 50,000-task plan's 100,000 routes, one task of 100–260 ms of the window's).
 */
export function routesBeingDrawn(picture: GraphLayout): Promise<void> | null {
  const routes = drawnRoutes.get(picture);
  return routes && !routes.done ? routes.drawn : null;
}

/** Whether a picture was drawn with the same rows for the same parts. */
function sameWraps(a: ReadonlyMap<string, Wrap> | undefined, b: ReadonlyMap<string, Wrap>): boolean {
  if (!a || a.size !== b.size) return false;
  for (const [anchor, wrap] of b) if (a.get(anchor) !== wrap) return false;
  return true;
}

/** Which wrap each drawn layout's parts were drawn with. */
const drawnWraps = new WeakMap<GraphLayout, ReadonlyMap<string, Wrap>>();
const drawnWrapOf = (layout: GraphLayout, anchor: string) => drawnWraps.get(layout)?.get(anchor);
const drawnGroup = (layout: GraphLayout, anchor: string) => layout.groups.find((group) => group.anchor === anchor);

/** A drawn group's source: the same object for the same layout's source drawn the same way (the scene reuses its indexes by it). */
const sources = new WeakMap<object, Map<Wrap | number, object>>();
function sourceFor(source: object, how: Wrap | number): object {
  let byHow = sources.get(source);
  if (!byHow) {
    byHow = new Map();
    sources.set(source, byHow);
  }
  let drawn = byHow.get(how);
  if (!drawn) {
    // The scene reads a source's routes' ids only.
    drawn = { routes: (source as { routes?: object }).routes ?? {} };
    byHow.set(how, drawn);
  }
  return drawn;
}

const inside = (p: XY, box: Box) => p.x >= box.x && p.x <= box.x + box.width && p.y >= box.y && p.y <= box.y + box.height;

function rowOf(wrap: Wrap, x: number): number {
  for (let r = wrap.rows.length - 1; r > 0; r--) if (x >= (wrap.rows[r] as Row).from) return r;
  return 0;
}

function placeIn(wrap: Wrap, p: XY): XY {
  const row = wrap.rows[rowOf(wrap, p.x)] as Row;
  return { x: p.x + row.dx, y: p.y + row.dy };
}

/**
 * A route drawn in its rows: where it passes from one row to the next it leaves the first on the
 * right, drops into the gap under it, runs left to the next row's left side and enters it at the
 * height it had (routes are orthogonal: a step between rows is horizontal).
 */
function routeIn(wrap: Wrap, points: XY[]): XY[] {
  const out: XY[] = [];
  let row = -1;
  for (let i = 0; i < points.length; i++) {
    const p = points[i] as XY;
    const r = rowOf(wrap, p.x);
    if (i > 0 && r !== row) {
      const y = (points[i - 1] as XY).y;
      const step = r > row ? 1 : -1;
      for (let a = row; a !== r; a += step) {
        const b = a + step;
        const [from, to] = [wrap.rows[a] as Row, wrap.rows[b] as Row];
        const t = (wrap.rows[Math.max(a, b)] as Row).from;
        const bus = (wrap.rows[Math.min(a, b)] as Row).drawnBottom + wrap.gap / 2;
        const exit = { x: t + from.dx, y: y + from.dy };
        const enter = { x: t + to.dx, y: y + to.dy };
        const side = step > 0 ? to.drawnLeft - ENTRY : exit.x + ENTRY;
        out.push(exit, { x: exit.x, y: bus }, { x: side, y: bus }, { x: side, y: enter.y }, enter);
      }
    }
    const shift = wrap.rows[r] as Row;
    out.push({ x: p.x + shift.dx, y: p.y + shift.dy });
    row = r;
  }
  return out;
}

/**
 * A stage's box where its row is drawn (a stage lies in one row): the box its cards cover, not the
 * row's height, so that zooming in anywhere in it comes to its cards.
 */
function movedStage(stage: StageCut, wrap: Wrap): StageCut {
  const row = wrap.rows[rowOf(wrap, stage.left)] as Row;
  return { ...stage, left: stage.left + row.dx, right: stage.right + row.dx, top: stage.top + row.dy, bottom: stage.bottom + row.dy };
}

function gatheredOf(small: readonly LayoutGroup[], gathered: Gathered): Gathered {
  const box = boundsOf(small);
  return { ...gathered, left: box.x, top: box.y, right: box.x + box.width, bottom: box.y + box.height };
}

/** The changes of a wrapped part's group, with where its cards and routes were drawn. */
function movedChanges(
  changes: NonNullable<LayoutGroup['changes']>,
  from: GraphLayout,
  place: (id: string, p: XY) => XY,
  route: (id: string, points: XY[]) => XY[],
): NonNullable<LayoutGroup['changes']> {
  return {
    from: new WeakRef(from),
    cards: changes.cards.map(([id, was]) => [id, was && place(id, was)]),
    cardsLeft: changes.cardsLeft.map(([id, was]) => [id, place(id, was)]),
    routes: changes.routes.map(([id, was]) => [id, was && route(id, was)]),
    routesLeft: changes.routesLeft.map(([id, was]) => [id, route(id, was)]),
  };
}

/** Whether the rows planned before still hold the stages (none of them reaches out of its row's height). */
function fits(wrap: Wrap, stages: readonly StageCut[], box: Box): boolean {
  if (box.x !== wrap.box.x || box.y !== wrap.box.y) return false;
  for (const stage of stages) {
    if (!Number.isFinite(stage.left)) continue;
    const row = wrap.rows[rowOf(wrap, stage.left)] as Row;
    if (stage.top < row.top || stage.bottom > row.bottom) return false;
  }
  return box.width <= wrap.box.width * 1.25;
}

/**
 * The rows for a part's stages: as many stages a row as make the part nearest a window's shape;
 * none when the part is not much wider than high (its stages are read where they are).
 */
function planWrap(stages: readonly StageCut[], box: Box): Wrap | null {
  const placed = stages.filter((stage) => Number.isFinite(stage.left) && Number.isFinite(stage.top));
  if (placed.length < 2 || box.width < WRAP_FROM * box.height) return null;
  const gap = Math.max(4 * GROUP_GAP, 0.15 * box.height);
  let best: { score: number; rows: StageCut[][] } | null = null;
  for (let perRow = 1; perRow < placed.length; perRow++) {
    const rows: StageCut[][] = [];
    for (let i = 0; i < placed.length; i += perRow) rows.push(placed.slice(i, i + perRow));
    const width = Math.max(...rows.map((row) => (row.at(-1) as StageCut).right - (row[0] as StageCut).left));
    const height = rows.reduce((sum, row) => sum + extent(row).bottom - extent(row).top, 0) + gap * (rows.length - 1);
    const score = Math.abs(Math.log(width / Math.max(1, height) / ASPECT));
    if (!best || score < best.score) best = { score, rows };
  }
  if (!best || best.rows.length < 2) return null;
  let y = box.y;
  const rows: Row[] = best.rows.map((stagesOfRow, r) => {
    const { top, bottom } = extent(stagesOfRow);
    const left = (stagesOfRow[0] as StageCut).left;
    const dx = box.x - left;
    const dy = y - top;
    const row = {
      from: r === 0 ? -Infinity : left,
      dx,
      dy,
      top: top - 0.5 * gap,
      bottom: bottom + 0.5 * gap,
      drawnBottom: bottom + dy,
      drawnLeft: box.x,
    };
    y += bottom - top + gap;
    return row;
  });
  const width = Math.max(...best.rows.map((row) => (row.at(-1) as StageCut).right - (row[0] as StageCut).left));
  return {
    at: placed.map((stage) => stage.left),
    width: box.width,
    rows,
    gap,
    box,
    drawn: { x: box.x, y: box.y, width, height: y - gap - box.y },
  };
}

function extent(stages: readonly StageCut[]): { top: number; bottom: number } {
  let top = Infinity;
  let bottom = -Infinity;
  for (const stage of stages) {
    top = Math.min(top, stage.top);
    bottom = Math.max(bottom, stage.bottom);
  }
  return { top, bottom };
}

function boundsOf(groups: readonly LayoutGroup[]): Box {
  if (groups.length === 0) return { x: 0, y: 0, width: 0, height: 0 };
  let left = Infinity;
  let top = Infinity;
  let right = -Infinity;
  let bottom = -Infinity;
  for (const { box } of groups) {
    left = Math.min(left, box.x);
    top = Math.min(top, box.y);
    right = Math.max(right, box.x + box.width);
    bottom = Math.max(bottom, box.y + box.height);
  }
  return { x: left, y: top, width: right - left, height: bottom - top };
}
