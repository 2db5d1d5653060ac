import { createRequire } from 'node:module';
import type { Browser, Locator, Page } from 'playwright-core';
import { expect } from 'vitest';
import { graphAtRest } from './harness';

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/**
 * Serious and critical axe-core findings (WCAG 2.1 A and AA) on the page as it is, as "rule: target html" lines, three
 * at most for each rule. axe is added as a script: the page must be opened with `bypassCSP`, as the app's CSP
 * (rightly) allows no script of another origin.
 */
export async function axeFindings(page: Page): Promise<string[]> {
  if (!(await page.evaluate('typeof window.axe !== "undefined"'))) await page.addScriptTag({ path: AXE });
  const result = (await page.evaluate(
    `window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })`,
  )) as { violations: Array<{ id: string; impact: string | null; nodes: Array<{ target: string[]; html: string }> }> };
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .flatMap((v) => v.nodes.slice(0, 3).map((node) => `${v.id}: ${node.target.join(' ')} ${node.html.slice(0, 120)}`));
}

export const card = (page: Page, id: string) => page.locator(`.react-flow__node[data-id="${id}"] .task-card`);

/**
 * Where an element is once it has come into the page and stands still: a view that fits itself moves its
 * cards for a while, and on a loaded machine a card of a new view can take seconds to be built. Still
 * means unchanged over three looks 100 ms apart: on a loaded machine a move asked for a moment ago may
 * not have begun at the second look.
 */
export async function restingBox(locator: Locator, timeout = 30_000): Promise<{ x: number; y: number; width: number; height: number }> {
  await locator.waitFor({ timeout });
  let last = await locator.boundingBox();
  let still = 0;
  for (let i = 0; i < 60; i++) {
    await locator.page().waitForTimeout(100);
    const now = await locator.boundingBox();
    const same = now && last && now.x === last.x && now.y === last.y && now.width === last.width && now.height === last.height;
    still = same ? still + 1 : 0;
    if (still === 2 && now) return now;
    last = now;
  }
  throw new Error('the element kept moving for 6 s');
}

/** Waits until the graph's view has come to rest (its transform the same at three looks 100 ms apart), as restingBox. */
export async function viewAtRest(page: Page): Promise<void> {
  const transform = () =>
    page
      .locator('.react-flow__viewport')
      .first()
      .evaluate((el) => getComputedStyle(el).transform);
  let last = await transform();
  let still = 0;
  for (let i = 0; i < 100; i++) {
    await page.waitForTimeout(100);
    const now = await transform();
    still = now === last ? still + 1 : 0;
    if (still === 2) return;
    last = now;
  }
  throw new Error('the view kept moving for 10 s');
}

/**
 * Zooms out with the Zoom out button until the graph draws clusters, then waits for the view to rest. After each click
 * it waits only until the view has moved (at once with reduced motion, the tests' default; else the first step of an
 * animated zoom), not until it rests: a dozen clicks each followed by a rest took 6–7 s of a test.
 */
export async function zoomOutToClusters(page: Page): Promise<void> {
  const level = () => page.locator('.graph-flow').getAttribute('data-level');
  const transform = () =>
    page
      .locator('.react-flow__viewport')
      .first()
      .evaluate((el) => getComputedStyle(el).transform);
  for (let i = 0; i < 30 && (await level()) !== 'clusters'; i++) {
    const before = await transform();
    await page.getByRole('button', { name: 'Zoom out' }).click();
    await expect.poll(transform, { message: 'the view moves on Zoom out' }).not.toBe(before);
  }
  await viewAtRest(page);
  expect(await level()).toBe('clusters');
}

/** The line a card shows about what its task does or waits for. */
export async function cardState(page: Page, id: string): Promise<string | null> {
  const state = card(page, id).locator('.task-card-state');
  if ((await state.count()) === 0) return null;
  return (await state.textContent())?.trim() ?? null;
}

/** Screen coordinates of the middle of an edge's path (edges bend: their box centre may miss them). */
export async function edgeMidpoint(page: Page, edgeId: string): Promise<{ x: number; y: number }> {
  await graphAtRest(page);
  const point = await page.evaluate((id) => {
    const path = document.querySelector<SVGPathElement>(`.dep-edge[data-id="${id}"] .dep-edge-line`);
    const matrix = path?.getScreenCTM();
    if (!path || !matrix) return null;
    const p = path.getPointAtLength(path.getTotalLength() / 2);
    return { x: p.x * matrix.a + p.y * matrix.c + matrix.e, y: p.x * matrix.b + p.y * matrix.d + matrix.f };
  }, edgeId);
  if (!point) throw new Error(`edge ${edgeId} is not drawn`);
  return point;
}

/**
 * Samples every drawn edge every 4 px along its path and reports any point inside a card it does
 * not join (the card's box, less 2 px where edges meet its border).
 */
export async function edgesThroughCards(page: Page): Promise<{ edges: number; through: string[] }> {
  return page.evaluate(() => {
    const cards = [...document.querySelectorAll<HTMLElement>('.react-flow__node')].map((node) => ({
      id: node.dataset.id ?? '',
      box: node.getBoundingClientRect(),
    }));
    const through: string[] = [];
    const paths = [...document.querySelectorAll<SVGPathElement>('.dep-edge .dep-edge-line')];
    for (const path of paths) {
      const id = path.closest('.dep-edge')?.getAttribute('data-id') ?? '';
      const [source, target] = id.split('->');
      const matrix = path.getScreenCTM();
      if (!matrix) continue;
      const length = path.getTotalLength();
      for (let at = 0; at <= length; at += 4) {
        const p = path.getPointAtLength(at);
        const x = p.x * matrix.a + p.y * matrix.c + matrix.e;
        const y = p.x * matrix.b + p.y * matrix.d + matrix.f;
        const hit = cards.find(
          ({ id: cardId, box }) =>
            cardId !== source && cardId !== target && x > box.left + 2 && x < box.right - 2 && y > box.top + 2 && y < box.bottom - 2,
        );
        if (hit) {
          through.push(`${id} under ${hit.id}`);
          break;
        }
      }
    }
    return { edges: paths.length, through };
  });
}

/** Presses Tab until the focused element is of a kind `stop` accepts; returns it. */
export async function tabUntil(page: Page, stop: (kind: string) => boolean, limit = 40): Promise<{ kind: string; id: string | null }> {
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      const el = document.activeElement;
      if (!el) return { kind: 'none', id: null };
      if (el.classList.contains('react-flow__node')) return { kind: 'card', id: el.getAttribute('data-id') };
      if (el.classList.contains('dep-edge')) return { kind: 'edge', id: el.getAttribute('data-id') };
      if (el.closest('.graph-toolbar')) return { kind: 'toolbar', id: null };
      return { kind: 'other', id: el.tagName };
    });
    if (stop(focused.kind)) return focused;
  }
  throw new Error('Tab never got there');
}

export async function goTo(page: Page, pageName: string): Promise<void> {
  await page
    .getByRole('navigation', { name: 'Pages' })
    .getByRole('button', { name: new RegExp(`^${pageName}`) })
    .click();
}

export async function closeInspector(page: Page): Promise<void> {
  const close = page.getByRole('button', { name: 'Close inspector' });
  if (await close.isVisible()) await close.click();
}

export type ScreenRect = { x: number; y: number; width: number; height: number };

/**
 * An init script: records what the overview canvas's last frame drew, in screen pixels, in
 * `window.overviewFrame_`: rectangles outlined (cluster boxes, compact cards), rectangles filled
 * whose size in flow units is `fillSize` (compact cards), and texts written. A frame starts with
 * a clearRect.
 */
export function recordOverviewFrame(fillSize: { width: number; height: number }): void {
  const frame: { outlined: ScreenRect[]; filled: ScreenRect[]; texts: string[] } = { outlined: [], filled: [], texts: [] };
  Reflect.set(window, 'overviewFrame_', frame);
  const view = (ctx: CanvasRenderingContext2D) => ctx.canvas.dataset?.testid === 'overview-canvas';
  const toScreen = (ctx: CanvasRenderingContext2D, x: number, y: number) => {
    const at = ctx.getTransform().transformPoint(new DOMPoint(x, y));
    const rect = ctx.canvas.getBoundingClientRect();
    const ratio = ctx.canvas.width / Math.max(1, rect.width);
    return { x: rect.left + at.x / ratio, y: rect.top + at.y / ratio };
  };
  const screenRect = (ctx: CanvasRenderingContext2D, x: number, y: number, w: number, h: number) => {
    const a = toScreen(ctx, x, y);
    const b = toScreen(ctx, x + w, y + h);
    return { x: a.x, y: a.y, width: b.x - a.x, height: b.y - a.y };
  };
  const proto = CanvasRenderingContext2D.prototype;
  const { clearRect, fillRect, strokeRect, fillText } = proto;
  proto.clearRect = function (this: CanvasRenderingContext2D, x: number, y: number, w: number, h: number) {
    if (view(this)) {
      frame.outlined = [];
      frame.filled = [];
      frame.texts = [];
    }
    clearRect.call(this, x, y, w, h);
  };
  proto.strokeRect = function (this: CanvasRenderingContext2D, x: number, y: number, w: number, h: number) {
    if (view(this)) frame.outlined.push(screenRect(this, x, y, w, h));
    strokeRect.call(this, x, y, w, h);
  };
  proto.fillRect = function (this: CanvasRenderingContext2D, x: number, y: number, w: number, h: number) {
    if (view(this) && w === fillSize.width && h === fillSize.height) {
      const r = screenRect(this, x, y, w, h);
      if (!frame.filled.some((f) => Math.abs(f.x - r.x) < 0.5 && Math.abs(f.y - r.y) < 0.5)) frame.filled.push(r);
    }
    fillRect.call(this, x, y, w, h);
  };
  proto.fillText = function (this: CanvasRenderingContext2D, text: string, x: number, y: number, maxWidth?: number) {
    if (view(this)) frame.texts.push(text);
    fillText.call(this, text, x, y, maxWidth);
  };
}

/** The overview canvas's last frame, as recordOverviewFrame keeps it. */
export const overviewFrame = (page: Page) =>
  page.evaluate(() => Reflect.get(window, 'overviewFrame_')) as Promise<{
    outlined: ScreenRect[];
    filled: ScreenRect[];
    texts: string[];
  }>;

/** The boxes not wholly on the canvas, or lying under one of its panels (view controls, overview map). */
export async function cutOrCovered(page: Page, boxes: readonly ScreenRect[]): Promise<ScreenRect[]> {
  const pane = await page.locator('.react-flow').boundingBox();
  const panels = await page.locator('.react-flow__panel').evaluateAll((nodes) =>
    nodes.map((node) => {
      const r = node.getBoundingClientRect();
      return { x: r.x, y: r.y, width: r.width, height: r.height };
    }),
  );
  if (!pane) throw new Error('no canvas');
  const overlaps = (a: ScreenRect, b: ScreenRect) =>
    a.x + a.width > b.x && a.x < b.x + b.width && a.y + a.height > b.y && a.y < b.y + b.height;
  return boxes.filter(
    (box) =>
      box.x < pane.x - 0.5 ||
      box.y < pane.y - 0.5 ||
      box.x + box.width > pane.x + pane.width + 0.5 ||
      box.y + box.height > pane.y + pane.height + 0.5 ||
      panels.some((panel) => overlaps(box, panel)),
  );
}

/** The cards wholly on the canvas and clear of its panels (view controls, overview map), with their state and width on screen. */
export function wholeCards(page: Page): Promise<Array<{ id: string; state: string; width: number }>> {
  return page.evaluate(() => {
    const pane = document.querySelector('.react-flow')?.getBoundingClientRect();
    if (!pane) return [];
    const panels = [...document.querySelectorAll('.react-flow__panel')].map((p) => p.getBoundingClientRect());
    const overlaps = (a: DOMRect, b: DOMRect) => a.right > b.left && a.left < b.right && a.bottom > b.top && a.top < b.bottom;
    return [...document.querySelectorAll<HTMLElement>('.react-flow__node')].flatMap((node) => {
      const card = node.querySelector<HTMLElement>('.task-card');
      const r = node.getBoundingClientRect();
      const inside = r.left >= pane.left && r.right <= pane.right && r.top >= pane.top && r.bottom <= pane.bottom;
      if (!card || !inside || panels.some((p) => overlaps(r, p))) return [];
      return [{ id: node.dataset.id ?? '', state: card.dataset.state ?? '', width: r.width }];
    });
  });
}

/** A new page at `url` (1440×900, the scheme given) with task `id`'s Edit dialog open from its inspector. */
export async function openEditDialog(browser: Browser, url: string, id: string, colorScheme: 'light' | 'dark'): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, colorScheme });
  await page.goto(url);
  await card(page, id).waitFor();
  await card(page, id).click();
  await page.getByRole('complementary', { name: 'Task inspector' }).getByRole('button', { name: 'Edit' }).click();
  await page.getByRole('dialog', { name: `Edit ${id}` }).waitFor();
  return page;
}
