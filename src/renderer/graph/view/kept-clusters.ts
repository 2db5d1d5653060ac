import { CARD_HEIGHT, CARD_WIDTH } from '../card-size';
import { SINGLES } from '../layout/layout-graph';
import type { GraphLayout, LayoutGroup, LayoutPositions } from '../layout/layout-types';
import type { TimeSlices } from '../../scheduling/time-slices';

/** The cards of one part in one column (one x), and the box they cover, worked out again only when they change. */
interface Column {
  /** The part's anchor. */
  part: string;
  x: number;
  ids: Set<string>;
  /** Changed since its box was worked out. */
  dirty: boolean;
  box: Edges;
  /** Bumped at each change: a stage made of the same columns at the same versions is the same stage. */
  version: number;
}

/** A box by its four sides (Infinity when empty). */
interface Edges {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

/** The tasks a cluster gathers and the box they cover; `pending`: some are not laid out yet (their part's box stands in). */
export interface Gathered extends Edges {
  ids: string[];
  pending: boolean;
}

const EMPTY: Edges = { left: Infinity, top: Infinity, right: -Infinity, bottom: -Infinity };
/** The column of a part's tasks without a position yet: their part's box stands in for each. */
const UNPLACED = Infinity;

const grow = (into: Edges, box: Edges) => {
  into.left = Math.min(into.left, box.left);
  into.top = Math.min(into.top, box.top);
  into.right = Math.max(into.right, box.right);
  into.bottom = Math.max(into.bottom, box.bottom);
};

/** `into` widened to hold a card at `p` (no box made per card: a part of 50,000 is read whole on opening). */
const growByCard = (into: Edges, p: { x: number; y: number }) => {
  if (p.x < into.left) into.left = p.x;
  if (p.y < into.top) into.top = p.y;
  if (p.x + CARD_WIDTH > into.right) into.right = p.x + CARD_WIDTH;
  if (p.y + CARD_HEIGHT > into.bottom) into.bottom = p.y + CARD_HEIGHT;
};

/**
 * Each part's cards by column, kept from one layout to the next: a layout that says what changed
 * against the one before (a group's `changes`) moves only those cards, and only their columns'
 * boxes are worked out again; a part without that (new, or a layout skipped) is read whole, as
 * the first layout is (the update from nothing). What the connected clusters need (a big part's
 * columns in order, the box a set of parts covers) is then read from columns, not from cards.
 */
class KeptColumns {
  private last: GraphLayout | null = null;
  private readonly where = new Map<string, Column>();
  private readonly parts = new Map<string, Map<number, Column>>();
  private positions: LayoutPositions = {};
  private groups = new Map<string, LayoutGroup>();

  /** Steps through the new layout: a step per card placed or removed (see KeptStages.inSlices). */
  *update(layout: GraphLayout): Generator<void, void> {
    const before = this.last;
    this.positions = layout.positions;
    const anchors = new Set<string>();
    for (const group of layout.groups) {
      if (group.pending) continue;
      anchors.add(group.anchor);
      const changes = group.changes;
      if (before && changes && changes.from.deref() === before && this.parts.has(group.anchor)) {
        for (const [id] of changes.cards) {
          this.place(group.anchor, id);
          yield;
        }
        for (const [id] of changes.cardsLeft) if (this.where.get(id)?.part === group.anchor) this.remove(id);
      } else {
        const columns = this.parts.get(group.anchor);
        if (columns) {
          const ids = new Set(group.ids);
          for (const column of columns.values())
            for (const id of column.ids)
              if (!ids.has(id)) {
                this.remove(id);
                yield;
              }
        }
        for (const id of group.ids) {
          this.place(group.anchor, id);
          yield;
        }
      }
      this.groups.set(group.anchor, group);
    }
    for (const anchor of [...this.parts.keys()]) {
      if (anchors.has(anchor)) continue;
      for (const column of [...(this.parts.get(anchor)?.values() ?? [])])
        for (const id of [...column.ids]) {
          this.remove(id);
          yield;
        }
      this.parts.delete(anchor);
      this.groups.delete(anchor);
    }
    this.last = layout;
  }

  /** A part's columns, left to right, each with its cards (the unplaced last). */
  columnsOf(anchor: string): Column[] {
    const columns = [...(this.parts.get(anchor)?.values() ?? [])].filter((column) => column.ids.size > 0);
    for (const column of columns) this.refresh(anchor, column);
    return columns.sort((a, b) => a.x - b.x);
  }

  /** The box a part's cards cover (with its box for each card not placed yet), and whether some are not placed. */
  boxOf(columns: readonly Column[]): { box: Edges; pending: boolean } {
    const box = { ...EMPTY };
    let pending = false;
    for (const column of columns) {
      grow(box, column.box);
      if (column.x === UNPLACED) pending = true;
    }
    return { box, pending };
  }

  private place(anchor: string, id: string): void {
    const p = this.positions[id];
    const x = p ? p.x : UNPLACED;
    const was = this.where.get(id);
    let columns = this.parts.get(anchor);
    if (!columns) {
      columns = new Map();
      this.parts.set(anchor, columns);
    }
    let column = columns.get(x);
    if (!column) {
      column = { part: anchor, x, ids: new Set(), dirty: false, box: { ...EMPTY }, version: 0 };
      columns.set(x, column);
    }
    if (was === column) {
      // Moved within its column (or not at all): only the column's box may change.
      column.dirty = true;
      column.version++;
      return;
    }
    if (was) this.remove(id);
    column.ids.add(id);
    // A card added to a column whose box is known only widens it: worked out here, not read again (a part read whole).
    if (p && !column.dirty) growByCard(column.box, p);
    else column.dirty = true;
    column.version++;
    this.where.set(id, column);
  }

  private remove(id: string): void {
    const column = this.where.get(id);
    if (!column) return;
    column.ids.delete(id);
    column.dirty = true;
    column.version++;
    this.where.delete(id);
  }

  private refresh(anchor: string, column: Column): void {
    if (!column.dirty) return;
    column.dirty = false;
    const box = { ...EMPTY };
    const group = this.groups.get(anchor);
    // Its unplaced cards stand in with their part's box.
    for (const id of column.ids) {
      const p = this.positions[id];
      if (p) growByCard(box, p);
      else if (group)
        grow(box, { left: group.box.x, top: group.box.y, right: group.box.x + group.box.width, bottom: group.box.y + group.box.height });
    }
    column.box = box;
  }
}

/**
 * A part with more tasks than this is drawn at cluster zoom as its stages, not one box; and a Fit that would draw
 * its cards without titles (a plan of 50 in a 1024-px window) shows the stages instead (viewport-math.ts wholeView).
 */
const STAGE_FROM = 40;
/** A part of at most this many tasks is small: at cluster zoom it would be a speck, so the small ones are gathered. */
const SMALL_PART = 8;
/** At most this many stages: a 10,000-task plan in stages of about 400. */
const MAX_STAGES = 24;
/** How many stages a part of `tasks` tasks is cut into: more as it grows, slower than its size (200 tasks: 5; 2,000: 15). */
const stageCount = (tasks: number) => Math.min(MAX_STAGES, Math.max(3, Math.round(Math.sqrt(tasks) / 3)));

export interface StageCut extends Gathered {
  index: number;
  of: number;
}

/** A layout's big parts cut into stages, and its small parts gathered (KeptStages). */
export interface Cuts {
  big: LayoutGroup[];
  stages: Map<string, StageCut[]>;
  small: LayoutGroup[];
  gathered: Gathered | null;
}

/**
 * The connected parts' clusters' makings, kept from one layout to the next (KeptColumns): each big
 * part's stages (its columns left to right, cut into about equal shares of its tasks), and the
 * small parts gathered. A stage made of the same columns as before, none changed, keeps its list
 * of tasks (nothing is made per task for what an edit left alone).
 */
export class KeptStages {
  private readonly columns = new KeptColumns();
  private stages = new Map<string, { columns: Column[]; versions: number[]; ids: string[] }>();

  /** `at`: where each part's stages start (the first column's x of each), to keep the stages an earlier picture had. */
  update(layout: GraphLayout, at: ReadonlyMap<string, readonly number[]> = new Map()): Cuts {
    const steps = this.updating(layout, at);
    for (;;) {
      const step = steps.next();
      if (step.done) return step.value;
    }
  }

  /**
   * The same, in time slices: from nothing, a 10,000-task plan's cards are placed in their columns
   * one by one, a task of the window's of 150 ms before its first card.
   */
  async inSlices(layout: GraphLayout, at: ReadonlyMap<string, readonly number[]>, slices: TimeSlices): Promise<Cuts> {
    const steps = this.updating(layout, at);
    for (;;) {
      if (slices.due()) await slices.next();
      const step = steps.next();
      if (step.done) return step.value;
    }
  }

  private *updating(layout: GraphLayout, at: ReadonlyMap<string, readonly number[]>): Generator<void, Cuts> {
    yield* this.columns.update(layout);
    const big = layout.groups.filter((group) => group.anchor !== SINGLES && !group.pending && group.ids.length > STAGE_FROM);
    const small = layout.groups.filter((group) => !group.pending && (group.anchor === SINGLES || group.ids.length <= SMALL_PART));
    const kept = new Map<string, { columns: Column[]; versions: number[]; ids: string[] }>();
    const stages = new Map<string, StageCut[]>();
    for (const group of big) {
      const columns = this.columns.columnsOf(group.anchor);
      const starts = at.get(group.anchor);
      const cuts = starts ? cutAt(columns, starts) : cutStages(columns, group.ids.length);
      stages.set(
        group.anchor,
        cuts.map((columns, index) => {
          const key = `${group.anchor}:${index}`;
          const versions = columns.map((column) => column.version);
          const before = this.stages.get(key);
          const same =
            before &&
            before.columns.length === columns.length &&
            before.columns.every((column, i) => column === columns[i] && before.versions[i] === versions[i]);
          const ids = same ? before.ids : idsOf(columns);
          kept.set(key, { columns, versions, ids });
          const { box, pending } = this.columns.boxOf(columns);
          return { ...box, ids, pending, index: index + 1, of: cuts.length };
        }),
      );
    }
    this.stages = kept;
    let gathered: Gathered | null = null;
    if (small.length >= 2) {
      const all = small.flatMap((group) => this.columns.columnsOf(group.anchor));
      const { box, pending } = this.columns.boxOf(all);
      gathered = { ...box, ids: small.flatMap((group) => group.ids), pending };
    }
    return { big, stages, small, gathered };
  }
}

/** The cards of columns, column by column. */
function idsOf(columns: readonly Column[]): string[] {
  const ids: string[] = [];
  for (const column of columns) for (const id of column.ids) ids.push(id);
  return ids;
}

/** A part's columns, left to right, cut where each stage starts (a stage left empty by an edit is left out). */
function cutAt(columns: readonly Column[], starts: readonly number[]): Column[][] {
  const cuts: Column[][] = starts.map(() => []);
  let stage = 0;
  for (const column of columns) {
    while (stage + 1 < starts.length && column.x >= (starts[stage + 1] as number)) stage++;
    cuts[stage]?.push(column);
  }
  return cuts.filter((cut) => cut.length > 0);
}

/** A part's columns, left to right, cut into about equal shares of its tasks; a short rest joins the last stage. */
function cutStages(columns: readonly Column[], tasks: number): Column[][] {
  const count = stageCount(tasks);
  const share = tasks / count;
  const cuts: Column[][] = [];
  let current: Column[] = [];
  let size = 0;
  for (const column of columns) {
    current.push(column);
    size += column.ids.size;
    if (size >= share && cuts.length < count - 1) {
      cuts.push(current);
      current = [];
      size = 0;
    }
  }
  // A short rest joins the last stage (a stage of a few tasks would be a box too small to name).
  const last = cuts.at(-1);
  if (last && size < share / 2) last.push(...current);
  else if (current.length > 0) cuts.push(current);
  return cuts;
}
