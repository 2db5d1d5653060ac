import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import type { WindowOnPlan } from './harness';
import { viewAtRest } from './page-helpers';

/**
 * What the stage-map tests (one-space, stage-zoom) read of the canvas: the stages the overview
 * canvas drew at Fit, with their boxes on screen, the view's transform, and the cards on screen.
 */

export type Rect = { x: number; y: number; width: number; height: number };
export type Stage = { name: string; rect: Rect };
export type Transform = { x: number; y: number; zoom: number };

/** An init script: records the overview canvas's last frame in screen pixels (boxes outlined and texts written where). */
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

export const level = (page: Page) => page.locator('.graph-flow').getAttribute('data-level');

/** The view's transform: screen = pane corner + translate + flow × zoom. */
export async function transform(page: Page): Promise<Transform> {
  const style = (await page.evaluate(`document.querySelector('.react-flow__viewport').style.transform`)) as string;
  const match = /translate\(([-\d.e]+)px, ?([-\d.e]+)px\) scale\(([\d.e-]+)\)/.exec(style);
  if (!match) throw new Error(`no transform in ${style}`);
  const pane = (await page.locator('.react-flow').boundingBox()) as Rect;
  return { x: pane.x + Number(match[1]), y: pane.y + Number(match[2]), zoom: Number(match[3]) };
}

/** A screen rect under one transform, where it is under another (the same place in the picture). */
export function moved(rect: Rect, from: Transform, to: Transform): Rect {
  const k = to.zoom / from.zoom;
  return { x: to.x + (rect.x - from.x) * k, y: to.y + (rect.y - from.y) * k, width: rect.width * k, height: rect.height * k };
}

/** The stages drawn in the overview canvas's last frame, each with its box on screen (the box its name is written in). */
export async function stageMap(page: Page): Promise<Stage[]> {
  const frame = (await page.evaluate(() =>
    (Reflect.get(window, 'stageMap_') as () => { boxes: Rect[]; texts: Array<{ text: string; x: number; y: number }> })(),
  )) as { boxes: Rect[]; texts: Array<{ text: string; x: number; y: number }> };
  return frame.texts.flatMap(({ text, x, y }) => {
    const name = /^Stage \d+/.exec(text)?.[0];
    const rect = frame.boxes.find((box) => x >= box.x && x <= box.x + box.width && y >= box.y && y <= box.y + box.height);
    return name && rect ? [{ name, rect }] : [];
  });
}

/** The cards in the page wholly on the canvas and clear of its panels (view controls, minimap), by id, with their rects on screen. */
export function cardsOnScreen(page: Page): Promise<Array<{ id: string; rect: Rect }>> {
  return page.evaluate(() => {
    const pane = document.querySelector('.react-flow')?.getBoundingClientRect();
    if (!pane) return [];
    const panels = [...document.querySelectorAll('.react-flow__panel')].map((p) => p.getBoundingClientRect());
    const overlaps = (a: DOMRect, b: DOMRect) => a.right > b.left && a.left < b.right && a.bottom > b.top && a.top < b.bottom;
    return [...document.querySelectorAll<HTMLElement>('.react-flow__node')].flatMap((node) => {
      const r = node.getBoundingClientRect();
      const whole = r.left >= pane.left && r.right <= pane.right && r.top >= pane.top && r.bottom <= pane.bottom && r.width > 0;
      return whole && !panels.some((p) => overlaps(r, p))
        ? [{ id: node.dataset.id ?? '', rect: { x: r.x, y: r.y, width: r.width, height: r.height } }]
        : [];
    });
  });
}

export const inside = (inner: Rect, outer: Rect, slack = 2) =>
  inner.x >= outer.x - slack &&
  inner.y >= outer.y - slack &&
  inner.x + inner.width <= outer.x + outer.width + slack &&
  inner.y + inner.height <= outer.y + outer.height + slack;

/** Wheel steps at a point until the level is reached; how many it took. */
export async function wheelUntil(page: Page, at: { x: number; y: number }, deltaY: number, wanted: string): Promise<number> {
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
export const pointIn = (rect: Rect, fx: number, fy: number) => ({ x: rect.x + fx * rect.width, y: rect.y + fy * rect.height });

/** A page on the plan at `size`, its first cards drawn and its layout done, then at Fit (the stage map). */
export async function openAtFit(
  shared: WindowOnPlan,
  size: { width: number; height: number },
  colorScheme: 'light' | 'dark',
): Promise<Page> {
  const page = await shared.browser.newPage({ viewport: size, colorScheme });
  await page.addInitScript(recordStageMap);
  await page.goto(`${shared.server.origin}/#token=${shared.server.token}`);
  await page.locator('.react-flow__node .task-card').first().waitFor({ timeout: 90_000 });
  await page.locator('.graph-status').waitFor({ state: 'detached', timeout: 90_000 });
  await fitAll(page);
  return page;
}

/** Fit view, waited for until the stage map shows and the view is at rest. */
export async function fitAll(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Fit view' }).click();
  await expect.poll(() => level(page), { timeout: 10_000 }).toBe('clusters');
  await viewAtRest(page);
}
