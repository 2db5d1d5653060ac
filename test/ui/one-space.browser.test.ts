import { describe, expect, it } from 'vitest';
import { connectedDag } from '../bench/ui/big-graph';
import { screenshot, windowOnPlan } from './harness';
import { viewAtRest } from './page-helpers';
import { cardsOnScreen, fitAll, inside, openAtFit, level, moved, pointIn, type Stage, stageMap, transform, wheelUntil } from './stage-map';

/**
 * Issue 76 item 1, one space: Fit's stage map and the cards are one picture. From Fit, a few wheel
 * steps at any point of a stage reach readable cards of that stage, where its box was; zooming back
 * out folds them into their stage again; a click on a stage shows its cards the same way.
 */
const shared = windowOnPlan(() => connectedDag(4_000));

describe('the stage map and the cards are one space (a connected 4,000-task plan)', () => {
  it.each([
    [{ width: 1440, height: 900 }, 'light'],
    [{ width: 1024, height: 700 }, 'dark'],
  ] as const)(
    'from Fit, a few wheel steps at any point of a stage reach its cards there, and zooming out folds them (%o, %s)',
    async (size, theme) => {
      const page = await openAtFit(shared, size, theme);
      await screenshot(page, `one-space-fit-${size.width}-${theme}`);
      const stages = await stageMap(page);
      expect(stages.length, 'stages drawn at Fit').toBeGreaterThanOrEqual(6);
      const atFit = await transform(page);
      // The first stage, one in the middle and the last, each at another point of its box.
      const picks: Array<[Stage, number, number]> = [
        [stages[0] as Stage, 0.3, 0.7],
        [stages[Math.floor(stages.length / 2)] as Stage, 0.5, 0.5],
        [stages.at(-1) as Stage, 0.75, 0.25],
      ];
      for (const [i, [stage, fx, fy]] of picks.entries()) {
        if (i > 0) await fitAll(page);
        const at = pointIn(stage.rect, fx, fy);
        const steps = await wheelUntil(page, at, -400, 'cards');
        expect(steps, `wheel steps into ${stage.name}`).toBeLessThanOrEqual(8);
        await viewAtRest(page);
        const now = await transform(page);
        expect(now.zoom).toBeGreaterThanOrEqual(0.55);
        // Its cards are in the page, where its box was: every card on screen lies in that box as it is now.
        const box = moved(stage.rect, atFit, now);
        await expect.poll(async () => (await cardsOnScreen(page)).length, { timeout: 10_000 }).toBeGreaterThanOrEqual(3);
        const cards = await cardsOnScreen(page);
        const elsewhere = cards.filter((card) => !inside(card.rect, box)).map((card) => card.id);
        expect(elsewhere, `cards on screen outside ${stage.name}'s box`).toEqual([]);
        if (i === 1) await screenshot(page, `one-space-zoomed-${size.width}-${theme}`);
        // Back out at the same point, the cards fold into the same stage.
        await wheelUntil(page, at, 400, 'clusters');
        await viewAtRest(page);
        await page.mouse.move(at.x + 1, at.y);
        await expect
          .poll(async () => (await page.locator('.graph-flow').getAttribute('title')) ?? '', { timeout: 5_000 })
          .toMatch(new RegExp(`^${stage.name}\\b`));
        if (i === 1) await screenshot(page, `one-space-folded-${size.width}-${theme}`);
      }
      await page.close();
    },
  );

  it('a click on a stage shows its cards where its box was, as zooming into it does', async () => {
    const page = await openAtFit(shared, { width: 1440, height: 900 }, 'light');
    const stages = await stageMap(page);
    const atFit = await transform(page);
    for (const stage of [stages[1] as Stage, stages.at(-2) as Stage]) {
      await fitAll(page);
      const at = pointIn(stage.rect, 0.4, 0.6);
      await page.mouse.click(at.x, at.y);
      await expect.poll(() => level(page), { timeout: 10_000 }).toBe('cards');
      await viewAtRest(page);
      const box = moved(stage.rect, atFit, await transform(page));
      await expect.poll(async () => (await cardsOnScreen(page)).length, { timeout: 10_000 }).toBeGreaterThanOrEqual(3);
      const cards = await cardsOnScreen(page);
      expect(
        cards.filter((card) => !inside(card.rect, box)).map((card) => card.id),
        `cards on screen outside ${stage.name}'s box`,
      ).toEqual([]);
    }
    await page.close();
  });
});
