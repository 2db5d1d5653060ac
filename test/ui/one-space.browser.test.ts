import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { connectedDag } from '../bench/ui/big-graph';
import { screenshot, windowOnPlan } from './harness';
import { viewAtRest } from './page-helpers';

/**
 * Issue 76 item 1, one space: Fit's stage map and the cards are one picture. From Fit, a few wheel
 * steps at any point of a stage reach readable cards of that stage, where its box was; zooming back
 * out folds them into their stage again; a click on a stage shows its cards the same way.
 */
const shared = windowOnPlan(() => connectedDag(4_000));

type Rect = { x: number; y: number; width: number; height: number };
type Stage = { name: string; rect: Rect };

/** Records the overview canvas's last frame in screen pixels: boxes outlined and texts written where. */
function recordStageMap(): void {
  let frame: { boxes: Rect[]; texts: Array<{ text: string; x: number; y: number }> } = { boxes: [], texts: [] };
  Reflect.set(window, 'stageMap_', () => frame);
  const ours = (ctx: CanvasRenderingContext2D) => ctx.canvas.dataset?.testid === 'overview-canvas';
  const toScreen = (ctx: CanvasRenderingContext2D, x: number, y: number) => {
    const at = ctx.getTransform().transformPoint(new DOMPoint(x, y));
    const rect = ctx.canvas.getBoundingClientRect();
    const ratio = ctx.canvas.width / Math.max(1, rect.width);
    return { x: rect.left + at.x / ratio, y: rect.top + at.y / ratio };
  };
  const proto = CanvasRenderingContext2D.prototype;
  const { clearRect, strokeRect, fillText } = proto;
  proto.clearRect = function (this: CanvasRenderingContext2D, x: number, y: number, w: number, h: number) {
    if (ours(this)) frame = { boxes: [], texts: [] };
    clearRect.call(this, x, y, w, h);
  };
  proto.strokeRect = function (this: CanvasRenderingContext2D, x: number, y: number, w: number, h: number) {
    if (ours(this)) {
      const [a, b] = [toScreen(this, x, y), toScreen(this, x + w, y + h)];
      frame.boxes.push({ x: a.x, y: a.y, width: b.x - a.x, height: b.y - a.y });
    }
    strokeRect.call(this, x, y, w, h);
  };
  proto.fillText = function (this: CanvasRenderingContext2D, text: string, x: number, y: number, max?: number) {
    if (ours(this)) frame.texts.push({ text, ...toScreen(this, x, y) });
    fillText.call(this, text, x, y, max);
  };
}

const level = (page: Page) => page.locator('.graph-flow').getAttribute('data-level');

/** The view's transform: screen = pane corner + translate + flow × zoom. */
async function transform(page: Page): Promise<{ x: number; y: number; zoom: number }> {
  const style = (await page.evaluate(`document.querySelector('.react-flow__viewport').style.transform`)) as string;
  const match = /translate\(([-\d.e]+)px, ?([-\d.e]+)px\) scale\(([\d.e-]+)\)/.exec(style);
  if (!match) throw new Error(`no transform in ${style}`);
  const pane = (await page.locator('.react-flow').boundingBox()) as Rect;
  return { x: pane.x + Number(match[1]), y: pane.y + Number(match[2]), zoom: Number(match[3]) };
}

/** A screen rect under one transform, where it is under another (the same place in the picture). */
function moved(rect: Rect, from: { x: number; y: number; zoom: number }, to: { x: number; y: number; zoom: number }): Rect {
  const k = to.zoom / from.zoom;
  return { x: to.x + (rect.x - from.x) * k, y: to.y + (rect.y - from.y) * k, width: rect.width * k, height: rect.height * k };
}

/** The stages drawn at Fit, each with its box on screen (the box its name is written in). */
async function stageMap(page: Page): Promise<Stage[]> {
  const frame = (await page.evaluate(() =>
    (Reflect.get(window, 'stageMap_') as () => { boxes: Rect[]; texts: Array<{ text: string; x: number; y: number }> })(),
  )) as { boxes: Rect[]; texts: Array<{ text: string; x: number; y: number }> };
  return frame.texts.flatMap(({ text, x, y }) => {
    const name = /^Stage \d+/.exec(text)?.[0];
    const rect = frame.boxes.find((box) => x >= box.x && x <= box.x + box.width && y >= box.y && y <= box.y + box.height);
    return name && rect ? [{ name, rect }] : [];
  });
}

/** The cards wholly on the canvas, by id, with their rects on screen. */
function cardsOnScreen(page: Page): Promise<Array<{ id: string; rect: Rect }>> {
  return page.evaluate(() => {
    const pane = document.querySelector('.react-flow')?.getBoundingClientRect();
    if (!pane) return [];
    return [...document.querySelectorAll<HTMLElement>('.react-flow__node')].flatMap((node) => {
      const r = node.getBoundingClientRect();
      const whole = r.left >= pane.left && r.right <= pane.right && r.top >= pane.top && r.bottom <= pane.bottom && r.width > 0;
      return whole ? [{ id: node.dataset.id ?? '', rect: { x: r.x, y: r.y, width: r.width, height: r.height } }] : [];
    });
  });
}

const inside = (inner: Rect, outer: Rect, slack = 2) =>
  inner.x >= outer.x - slack &&
  inner.y >= outer.y - slack &&
  inner.x + inner.width <= outer.x + outer.width + slack &&
  inner.y + inner.height <= outer.y + outer.height + slack;

async function openAtFit(size: { width: number; height: number }, colorScheme: 'light' | 'dark'): Promise<Page> {
  const page = await shared.browser.newPage({ viewport: size, colorScheme });
  await page.addInitScript(recordStageMap);
  await page.goto(`${shared.server.origin}/#token=${shared.server.token}`);
  await page.locator('.react-flow__node .task-card').first().waitFor({ timeout: 90_000 });
  await page.locator('.graph-status').waitFor({ state: 'detached', timeout: 90_000 });
  await fitAll(page);
  return page;
}

async function fitAll(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Fit view' }).click();
  await expect.poll(() => level(page), { timeout: 10_000 }).toBe('clusters');
  await viewAtRest(page);
}

/** Wheel steps at a point until the level is reached; how many it took. */
async function wheelUntil(page: Page, at: { x: number; y: number }, deltaY: number, wanted: string): Promise<number> {
  await page.mouse.move(at.x, at.y);
  for (let steps = 1; steps <= 12; steps++) {
    const before = (await transform(page)).zoom;
    await page.mouse.wheel(0, deltaY);
    await expect.poll(async () => (await transform(page)).zoom).not.toBe(before);
    if ((await level(page)) === wanted) return steps;
  }
  throw new Error(`no ${wanted} after 12 wheel steps`);
}

/** The point of a stage's box at (fx, fy) of its width and height. */
const pointIn = (rect: Rect, fx: number, fy: number) => ({ x: rect.x + fx * rect.width, y: rect.y + fy * rect.height });

describe('the stage map and the cards are one space (a connected 4,000-task plan)', () => {
  it.each([
    [{ width: 1440, height: 900 }, 'light'],
    [{ width: 1024, height: 700 }, 'dark'],
  ] as const)(
    'from Fit, a few wheel steps at any point of a stage reach its cards there, and zooming out folds them (%o, %s)',
    async (size, theme) => {
      const page = await openAtFit(size, theme);
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
    const page = await openAtFit({ width: 1440, height: 900 }, 'light');
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
