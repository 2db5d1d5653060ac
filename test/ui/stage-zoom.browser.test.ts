import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { connectedDag } from '../bench/ui/big-graph';
import { screenshot, windowOnPlan } from './harness';
import { viewAtRest } from './page-helpers';
import {
  cardsOnScreen,
  fitAll,
  openAtFit,
  inside,
  level,
  moved,
  pointIn,
  type Stage,
  stageMap,
  transform,
  type Transform,
  wheelUntil,
} from './stage-map';

/**
 * Issue 76 item 1 on a connected 10,000-task plan: from Fit, a few wheel steps at ANY point of a
 * stage (its middle, and its corners, which the layered layout's columns leave a screen or more from
 * any card) reach readable cards of that stage, in the page and wholly in view; a click, a double
 * click, Zoom in and a pinch do the same (use-stage-zoom.ts).
 */
const shared = windowOnPlan(() => connectedDag(10_000));

/** The cards wholly in view (clear of the panels) that lie in a stage's box, its box at Fit moved with the view. */
async function stageCardsInView(page: Page, stage: Stage, atFit: Transform): Promise<string[]> {
  await viewAtRest(page);
  expect(await level(page)).toBe('cards');
  const box = moved(stage.rect, atFit, await transform(page));
  return (await cardsOnScreen(page)).filter((card) => inside(card.rect, box)).map((card) => card.id);
}

/** Where in a stage's box to zoom: its middle and near each corner. */
const POINTS: ReadonlyArray<readonly [number, number]> = [
  [0.5, 0.5],
  [0.06, 0.08],
  [0.94, 0.92],
  [0.06, 0.92],
  [0.94, 0.08],
];

describe('zooming into a stage of a connected 10,000-task plan', () => {
  it.each([
    [{ width: 1440, height: 900 }, 'light', [0, 9, 12, -1]],
    [{ width: 1024, height: 700 }, 'dark', [3, -2]],
  ] as const)(
    'from Fit, a few wheel steps at any point of a stage reach readable cards of that stage in view (%o, %s)',
    async (size, theme, which) => {
      const page = await openAtFit(shared, size, theme);
      const stages = await stageMap(page);
      expect(stages.length, 'stages drawn at Fit').toBeGreaterThanOrEqual(10);
      const atFit = await transform(page);
      await screenshot(page, `stage-zoom-fit-${size.width}-${theme}`);
      const missed: string[] = [];
      for (const index of which) {
        const stage = stages.at(index) as Stage;
        for (const [fx, fy] of POINTS) {
          await fitAll(page);
          const at = pointIn(stage.rect, fx, fy);
          const steps = await wheelUntil(page, at, -400, 'cards');
          expect(steps, `wheel steps into ${stage.name} at ${fx}, ${fy}`).toBeLessThanOrEqual(8);
          await expect.poll(async () => (await transform(page)).zoom).toBeGreaterThanOrEqual(0.55);
          // A moment for the cards around the view to be put in the page, then they must be there.
          const cards = await expect
            .poll(async () => (await stageCardsInView(page, stage, atFit)).length, { timeout: 5_000 })
            .toBeGreaterThanOrEqual(3)
            .then(
              () => null,
              async () => stageCardsInView(page, stage, atFit),
            );
          if (cards) missed.push(`${stage.name} at ${fx}, ${fy}: ${cards.length} of its cards in view`);
          // Two steps more at the same point (eight from Fit in all, or near it): still cards of the stage in view.
          if (fx !== 0.5) {
            for (let more = 0; more < 2; more++) await page.mouse.wheel(0, -400);
            const still = await expect
              .poll(async () => (await stageCardsInView(page, stage, atFit)).length, { timeout: 5_000 })
              .toBeGreaterThanOrEqual(1)
              .then(
                () => null,
                async () => stageCardsInView(page, stage, atFit),
              );
            if (still) missed.push(`${stage.name} at ${fx}, ${fy}, two steps nearer: none of its cards in view`);
          }
          if (fx === 0.06 && fy === 0.92) await screenshot(page, `stage-zoom-corner-${size.width}-${theme}-${stage.name.replace(' ', '')}`);
        }
      }
      expect(missed).toEqual([]);
      await page.close();
    },
    300_000,
  );

  it('a click, a double click, Zoom in and a pinch come to the cards of the stage there too', async () => {
    const page = await openAtFit(shared, { width: 1440, height: 900 }, 'light');
    const stages = await stageMap(page);
    const atFit = await transform(page);
    // A click near a corner of a stage: readable cards of that stage, at once.
    const clicked = stages[9] as Stage;
    await page.mouse.click(...xy(pointIn(clicked.rect, 0.05, 0.93)));
    await expect.poll(() => level(page), { timeout: 10_000 }).toBe('cards');
    expect((await transform(page)).zoom).toBeGreaterThanOrEqual(0.7);
    await expect.poll(async () => (await stageCardsInView(page, clicked, atFit)).length, { timeout: 5_000 }).toBeGreaterThanOrEqual(3);

    // A double click near a corner of another stage: the same (its first click opened the stage; it zooms no further).
    const doubled = stages[12] as Stage;
    await fitAll(page);
    await page.mouse.dblclick(...xy(pointIn(doubled.rect, 0.94, 0.9)));
    await expect.poll(() => level(page), { timeout: 10_000 }).toBe('cards');
    await expect.poll(async () => (await stageCardsInView(page, doubled, atFit)).length, { timeout: 5_000 }).toBeGreaterThanOrEqual(3);
    expect((await transform(page)).zoom).toBeCloseTo(0.7, 2);
    // Among the cards, a double click on the canvas zooms in twice as near.
    const pane = (await page.locator('.react-flow').boundingBox()) as { x: number; y: number; width: number; height: number };
    const empty = await page.evaluate(() => {
      const r = document.querySelector('.react-flow')?.getBoundingClientRect() as DOMRect;
      for (let y = r.top + 40; y < r.bottom - 40; y += 20)
        for (let x = r.left + 200; x < r.right - 200; x += 20)
          if (document.elementFromPoint(x, y)?.classList.contains('react-flow__pane')) return { x, y };
      return null;
    });
    expect(empty, `an empty point of the canvas in ${JSON.stringify(pane)}`).not.toBeNull();
    const before = (await transform(page)).zoom;
    await page.mouse.dblclick(...xy(empty as { x: number; y: number }));
    await expect.poll(async () => (await transform(page)).zoom).toBeCloseTo(before * 2, 2);

    // Zoom in, into the stage in the middle of the canvas.
    await fitAll(page);
    const middle = { x: pane.x + pane.width / 2, y: pane.y + pane.height / 2 };
    const central = stages.find((stage) => inside({ ...middle, width: 0, height: 0 }, stage.rect, 0));
    expect(central, 'a stage in the middle of the canvas at Fit').toBeDefined();
    for (let i = 0; i < 30 && (await level(page)) !== 'cards'; i++) {
      const zoom = (await transform(page)).zoom;
      await page.getByRole('button', { name: 'Zoom in' }).click();
      await expect.poll(async () => (await transform(page)).zoom).toBeGreaterThan(zoom);
    }
    await expect
      .poll(async () => (await stageCardsInView(page, central as Stage, atFit)).length, { timeout: 5_000 })
      .toBeGreaterThanOrEqual(3);
    await screenshot(page, 'stage-zoom-zoom-in-1440-light');

    // A pinch (Chromium sends a trackpad's pinch as wheel steps with Ctrl) near a corner of another stage.
    const pinched = stages[16] as Stage;
    await fitAll(page);
    await page.keyboard.down('Control');
    await wheelUntil(page, pointIn(pinched.rect, 0.06, 0.1), -400, 'cards');
    await page.keyboard.up('Control');
    await expect.poll(async () => (await stageCardsInView(page, pinched, atFit)).length, { timeout: 5_000 }).toBeGreaterThanOrEqual(3);
    await page.close();
  }, 300_000);
});

const xy = (p: { x: number; y: number }): [number, number] => [p.x, p.y];
