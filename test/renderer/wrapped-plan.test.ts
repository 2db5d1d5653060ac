import { describe, expect, it } from 'vitest';
import { CARD_HEIGHT, CARD_WIDTH } from '../../src/renderer/graph/card-size';
import { type Box, edgeKey, type GraphLayout, type XY } from '../../src/renderer/graph/layout/layout-types';
import { clusterAt, clustersBox, connectedClusters } from '../../src/renderer/graph/view/clusters';
import { routesBeingDrawn, WrappedPlans } from '../../src/renderer/graph/view/wrapped-plan';
import { TimeSlices } from '../../src/renderer/scheduling/time-slices';

/**
 * Issue 76 item 1, one space: a long plan (a strip of columns) is drawn in rows of its stages, so
 * each stage's box at cluster zoom is where its cards are drawn, and zooming into it reaches them.
 */
const COLUMNS = 200;
const ROWS = 10;
const id = (column: number, row: number) => `c${column}_${row}`;

/** 2,000 tasks in 200 columns of 10, each after the one left of it: a strip 50 times wider than high. */
function strip(): GraphLayout {
  const positions: Record<string, XY> = {};
  const routes: Record<string, XY[]> = {};
  const ids: string[] = [];
  for (let column = 0; column < COLUMNS; column++) {
    for (let row = 0; row < ROWS; row++) {
      ids.push(id(column, row));
      positions[id(column, row)] = { x: column * 312, y: row * 124 };
      if (column > 0)
        routes[edgeKey(id(column - 1, row), id(column, row))] = [
          { x: (column - 1) * 312 + CARD_WIDTH, y: row * 124 + 48 },
          { x: column * 312, y: row * 124 + 48 },
        ];
    }
  }
  const box = { x: 0, y: 0, width: COLUMNS * 312 - 80, height: ROWS * 124 - 28 };
  return { positions, routes, groups: [{ anchor: id(0, 0), box, ids, pending: false, source: { routes } }], bounds: box };
}

const cardBox = (p: XY): Box => ({ x: p.x, y: p.y, width: CARD_WIDTH, height: CARD_HEIGHT });
const within = (inner: Box, outer: Box) =>
  inner.x >= outer.x - 0.5 &&
  inner.y >= outer.y - 0.5 &&
  inner.x + inner.width <= outer.x + outer.width + 0.5 &&
  inner.y + inner.height <= outer.y + outer.height + 0.5;
/** Whether the segment a-b (horizontal or vertical) passes through the inside of a box. */
const crosses = (a: XY, b: XY, box: Box) =>
  Math.max(a.x, b.x) > box.x + 1 &&
  Math.min(a.x, b.x) < box.x + box.width - 1 &&
  Math.max(a.y, b.y) > box.y + 1 &&
  Math.min(a.y, b.y) < box.y + box.height - 1;

describe('a long plan drawn in rows of its stages', async () => {
  const laid = strip();
  const drawn = await new WrappedPlans().update(laid);
  const stages = connectedClusters(drawn)
    .filter((cluster) => cluster.stage)
    .sort((a, b) => (a.stage?.index ?? 0) - (b.stage?.index ?? 0));

  it("is about a window's shape, its stages in reading order, none over another", () => {
    const extent = clustersBox(stages) as Box;
    expect(extent.width / extent.height).toBeGreaterThan(1.6 / 2);
    expect(extent.width / extent.height).toBeLessThan(1.6 * 2);
    expect(drawn.bounds.width / drawn.bounds.height).toBeLessThan(1.6 * 2);
    expect(stages.length).toBeGreaterThanOrEqual(10);
    for (let i = 1; i < stages.length; i++) {
      const [before, now] = [stages[i - 1]?.box as Box, stages[i]?.box as Box];
      expect(now.x > before.x + before.width || now.y > before.y + before.height, `stage ${i + 1} after stage ${i}`).toBe(true);
    }
    for (const [i, a] of stages.entries())
      for (const b of stages.slice(i + 1))
        expect(
          a.box.x + a.box.width <= b.box.x ||
            b.box.x + b.box.width <= a.box.x ||
            a.box.y + a.box.height <= b.box.y ||
            b.box.y + b.box.height <= a.box.y,
        ).toBe(true);
  });

  it("draws each stage's cards inside its box, and the stage under any of them is theirs (zooming in there reaches them)", () => {
    for (const stage of stages) {
      for (const task of stage.ids) {
        const p = drawn.positions[task] as XY;
        expect(within(cardBox(p), stage.box), `${task} in stage ${stage.stage?.index}`).toBe(true);
        expect(clusterAt(stages, { x: p.x + CARD_WIDTH / 2, y: p.y + CARD_HEIGHT / 2 })?.anchor).toBe(stage.anchor);
      }
    }
  });

  it('routes every edge from its dependency to its task, between rows outside every card', () => {
    const cards = Object.entries(drawn.positions).map(([task, p]) => [task, cardBox(p)] as const);
    let between = 0;
    for (const [key, points] of Object.entries(drawn.routes)) {
      const [source, target] = key.split('->') as [string, string];
      const from = drawn.positions[source] as XY;
      const to = drawn.positions[target] as XY;
      expect(points[0]).toEqual({ x: from.x + CARD_WIDTH, y: from.y + 48 });
      expect(points.at(-1)).toEqual({ x: to.x, y: to.y + 48 });
      if (points.length <= 2) continue;
      between++;
      for (let i = 1; i < points.length; i++) {
        const [a, b] = [points[i - 1] as XY, points[i] as XY];
        expect(a.x === b.x || a.y === b.y, `${key} orthogonal`).toBe(true);
        const through = cards.filter(([task, box]) => task !== source && task !== target && crosses(a, b, box)).map(([task]) => task);
        expect(through, `${key} through cards`).toEqual([]);
      }
    }
    // Ten edges (one per row of cards) cross from each row of stages to the next.
    expect(between).toBeGreaterThan(0);
    expect(between % ROWS).toBe(0);
  });

  it('keeps what an edit did not move where it was drawn, with the same objects', async () => {
    const plans = new WrappedPlans();
    const first = await plans.update(laid);
    const moved = id(150, 3);
    const edited: GraphLayout = {
      ...laid,
      positions: { ...laid.positions, [moved]: { x: 150 * 312, y: ROWS * 124 } },
      groups: laid.groups.map((group) => ({ ...group, box: { ...group.box, height: group.box.height + 124 } })),
    };
    const second = await plans.update(edited);
    let same = 0;
    for (const task of Object.keys(laid.positions)) if (task !== moved && second.positions[task] === first.positions[task]) same++;
    expect(same).toBe(COLUMNS * ROWS - 1);
    expect(second.positions[moved]).not.toEqual(first.positions[moved]);
  });
});

/** Time slices that end every `every` items, counting the most items one slice was handed. */
class CountedSlices extends TimeSlices {
  private items = 0;
  most = 0;
  slices = 1;
  constructor(private readonly every: number) {
    super();
  }
  override due(): boolean {
    this.items++;
    this.most = Math.max(this.most, this.items);
    return this.items >= this.every;
  }
  override async next(): Promise<void> {
    this.items = 0;
    this.slices++;
    await Promise.resolve();
  }
}

describe('drawing a long plan in rows, as a person waits for it', () => {
  it('hands the thread back between slices: no one task draws all its cards and routes', async () => {
    // Issue 76 item 3: the 10,000-task plan's wrap was one task of 0.5 to 0.8 s on the window's
    // thread. 2,000 cards and 1,990 routes here; the slices end every 500 items.
    const slices = new CountedSlices(500);
    const plans = new WrappedPlans();
    const drawn = await plans.update(strip(), slices);
    await plans.drawnWhole();
    expect(Object.keys(drawn.positions)).toHaveLength(COLUMNS * ROWS);
    expect(slices.most).toBeLessThanOrEqual(500);
    expect(slices.slices).toBeGreaterThanOrEqual(Math.floor((COLUMNS * ROWS + (COLUMNS - 1) * ROWS) / 500));
  });

  it('draws one picture after the other: a second update waits for the first and keeps its objects', async () => {
    const plans = new WrappedPlans();
    const laid = strip();
    const [first, again] = await Promise.all([
      plans.update(laid, new CountedSlices(100)),
      plans.update({ ...laid }, new CountedSlices(100)),
    ]);
    expect(again).not.toBe(first);
    for (const task of Object.keys(laid.positions)) expect(again.positions[task]).toBe(first.positions[task]);
    for (const key of Object.keys(laid.routes)) expect(again.routes[key]).toBe(first.routes[key]);
  });

  it("hands the picture over once its cards are placed, before its routes are drawn: a plan's first card waits for no route", async () => {
    // Issue 76 item 2: the first picture puts no edge in the page, yet it waited for the 20,000
    // routes of a 10,000-task plan drawn in rows (a third of the window's work after the layout).
    // Slices of 100 items: the 2,000 cards take 20 to be put in their stages' columns and 20 to be
    // placed in their rows, the 1,990 routes 20 more.
    const slices = new CountedSlices(100);
    const plans = new WrappedPlans();
    const drawn = await plans.update(strip(), slices);
    const slicesWhenHandedOver = slices.slices;
    await plans.drawnWhole();
    expect(Object.keys(drawn.positions)).toHaveLength(COLUMNS * ROWS);
    // The cards' slices, and at most the routes' first (begun before this test reads the count).
    expect(slicesWhenHandedOver).toBeLessThanOrEqual(1 + (2 * COLUMNS * ROWS) / 100 + 1);
    expect(slices.slices).toBeGreaterThanOrEqual(Math.floor((2 * COLUMNS * ROWS + (COLUMNS - 1) * ROWS) / 100));
  });

  it("hands an edit's picture over with its routes drawn: its edges are in the page at once", async () => {
    // Read in the render that shows the edit, routes not drawn yet would all be drawn in that one task.
    const plans = new WrappedPlans();
    const laid = strip();
    await plans.update(laid, new CountedSlices(100));
    await plans.drawnWhole();
    const slices = new CountedSlices(100);
    await plans.update({ ...laid }, slices);
    const slicesWhenHandedOver = slices.slices;
    await plans.drawnWhole();
    expect(slicesWhenHandedOver).toBeGreaterThan(1);
    expect(slices.slices).toBe(slicesWhenHandedOver);
  });

  it("puts a plan's cards in its stages' columns in slices too: from nothing, no one task reads them all", async () => {
    // Issue 76 item 3: the 10,000-task plan's stages, cut from nothing before its first card, were
    // one task of 150 ms on the window's thread (at load 5), outside the slices.
    const slices = new CountedSlices(100);
    await new WrappedPlans().update(strip(), slices);
    expect(slices.slices).toBeGreaterThanOrEqual((2 * COLUMNS * ROWS) / 100);
  });

  it('draws the rest of the routes at once when they are read before their slices are done, each as drawn in slices', async () => {
    const laid = strip();
    const early = await new WrappedPlans().update(laid, new CountedSlices(100));
    const routes = early.routes;
    const sliced = new WrappedPlans();
    const late = await sliced.update(laid, new CountedSlices(100));
    await sliced.drawnWhole();
    expect(Object.keys(routes)).toHaveLength((COLUMNS - 1) * ROWS);
    expect(routes).toEqual(late.routes);
    for (const key of Object.keys(laid.routes)) expect(early.routes[key]).toBe(routes[key]);
  });

  it("says while a picture's routes are being drawn, and when they are all drawn (what would read them waits for it)", async () => {
    // Issue 76 item 3: Fit on a 50,000-task plan asked for the edges in view while the routes were being drawn, and
    // that read drew the rest, 100,000 routes, in one task of 170–260 ms (use-routes-drawn.ts).
    const plans = new WrappedPlans();
    const drawn = await plans.update(strip(), new CountedSlices(100));
    const pending = routesBeingDrawn(drawn);
    expect(pending).toBeInstanceOf(Promise);
    let said = false;
    void pending?.then(() => {
      said = true;
    });
    await plans.drawnWhole();
    await Promise.resolve();
    expect(said).toBe(true);
    expect(routesBeingDrawn(drawn)).toBeNull();
    // An edit's picture is handed over with its routes drawn; a layout WrappedPlans did not draw has none pending.
    expect(routesBeingDrawn(await plans.update({ ...strip() }, new CountedSlices(100)))).toBeNull();
    expect(routesBeingDrawn(strip())).toBeNull();
  });

  it('says the routes are drawn when a read drew the rest at once, too', async () => {
    const drawn = await new WrappedPlans().update(strip(), new CountedSlices(100));
    const pending = routesBeingDrawn(drawn);
    expect(Object.keys(drawn.routes)).toHaveLength((COLUMNS - 1) * ROWS);
    expect(routesBeingDrawn(drawn)).toBeNull();
    await expect(pending).resolves.toBeUndefined();
  });
});
