import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { connectedDag } from '../bench/ui/big-graph';
import { screenshot, windowOnPlan } from './harness';
import { card, restingBox, viewAtRest } from './page-helpers';

/**
 * Issue 29 item 3, ways through a big graph, on a 2,000-task connected plan (each task depends on
 * up to three of the hundred before it; 40% done): hide finished work; group by state, with the
 * dependencies between groups drawn as one counted arrow per pair; the focus view fitted beside the
 * inspector, not under it.
 */
const COUNT = 2000;
const plan = connectedDag(COUNT);
const finished = plan.filter((task) => task.status === 'done' || task.status === 'abandoned').length;
const shared = windowOnPlan(() => plan);

/** Every text the overview canvas writes, recorded as it is drawn (the frame's texts, newest frame last). */
function recordOverviewTexts(): void {
  const texts: string[] = [];
  Reflect.set(window, 'overviewTexts_', texts);
  const fillText = CanvasRenderingContext2D.prototype.fillText;
  CanvasRenderingContext2D.prototype.fillText = function (
    this: CanvasRenderingContext2D,
    text: string,
    x: number,
    y: number,
    max?: number,
  ) {
    if (this.canvas.dataset.testid === 'overview-canvas') texts.push(text);
    fillText.call(this, text, x, y, max);
  };
}

async function open(colorScheme: 'light' | 'dark', size: { width: number; height: number }): Promise<Page> {
  const page = await shared.browser.newPage({ viewport: size, colorScheme });
  await page.addInitScript(recordOverviewTexts);
  await page.goto(`${shared.server.origin}/#token=${shared.server.token}`);
  await page.locator('.react-flow__node .task-card').first().waitFor({ timeout: 60_000 });
  return page;
}

const laidOut = (page: Page) => page.locator('.graph-status').waitFor({ state: 'detached', timeout: 60_000 });

describe('ways through a big connected plan (issue 29 item 3)', () => {
  it('hides finished work: only unfinished tasks are laid out and drawn, and Show all brings them back', async () => {
    const page = await open('light', { width: 1440, height: 900 });
    await page.getByRole('checkbox', { name: 'Hide finished' }).check();
    await expect
      .poll(() =>
        page
          .getByText(`of ${COUNT} tasks`)
          .textContent()
          .catch(() => null),
      )
      .toBe(`${COUNT - finished} of ${COUNT} tasks`);
    await laidOut(page);
    await page.locator('.react-flow__node .task-card').first().waitFor();
    expect(await page.locator('.task-card[data-state="done"]').count()).toBe(0);
    await screenshot(page, 'hide-finished-light-1440');
    await page.getByRole('button', { name: 'Show all' }).click();
    await expect.poll(() => page.getByRole('checkbox', { name: 'Hide finished' }).isChecked()).toBe(false);
    await page.close();
  }, 120_000);

  it('groups by state with one counted arrow between groups, in both themes and sizes', async () => {
    for (const [theme, size] of [
      ['light', { width: 1440, height: 900 }],
      ['dark', { width: 1024, height: 700 }],
    ] as const) {
      const page = await open(theme, size);
      await page.getByRole('combobox', { name: 'Group clusters by' }).selectOption('state');
      await laidOut(page);
      await page.getByRole('button', { name: 'Fit view' }).click();
      await expect.poll(() => page.locator('.graph-flow').getAttribute('data-level'), { timeout: 10_000 }).toBe('clusters');
      await viewAtRest(page);
      const texts = (await page.evaluate(() => Reflect.get(window, 'overviewTexts_') as string[])).slice(-200);
      // The groups are named by state and count; the arrows between them carry their counts.
      expect(texts).toContain(`done (${finished})`);
      // What the plan's failures hold for good is a group of its own (issue 38), not among the waiting.
      expect(texts.some((text) => /^blocked \(\d+\)$/.test(text))).toBe(true);
      expect(texts.some((text) => /^[\d,]+$/.test(text))).toBe(true);
      await screenshot(page, `group-by-state-${theme}-${size.width}`);
      await page.close();
    }
  }, 120_000);

  it('fits the focus view beside the inspector: the focused card is whole and clear of it', async () => {
    const page = await open('dark', { width: 1024, height: 700 });
    await laidOut(page);
    const running = page.locator('.react-flow__node:has(.task-card[data-state="running"])').first();
    const id = (await running.getAttribute('data-id')) as string;
    await running.focus();
    await page.keyboard.press('Enter');
    const inspector = page.getByRole('complementary', { name: 'Task inspector' });
    await inspector.waitFor();
    await page.locator('body').press('.');
    await page.locator('.focus-chip').waitFor();
    await laidOut(page);
    // The focus view's cards come into the page in steps and the view moves to fit them: on a loaded CI
    // machine the focused card was not there yet 5.6 s after the layout (a fixed 600 ms, then 5 s).
    const box = await restingBox(card(page, id)).catch(async (error: unknown) => {
      throw new Error(
        `${String(error)}; id ${id}; nodes ${await page.locator('.react-flow__node').evaluateAll((n) => n.map((e) => e.getAttribute('data-id')).join(','))}`,
      );
    });
    const panel = await inspector.boundingBox();
    const canvas = await page.getByTestId('graph-canvas').boundingBox();
    expect(box && panel && canvas).toBeTruthy();
    if (!box || !panel || !canvas) return;
    expect(box.x + box.width).toBeLessThanOrEqual(panel.x);
    expect(box.x).toBeGreaterThanOrEqual(canvas.x);
    expect(box.y).toBeGreaterThanOrEqual(canvas.y);
    expect(box.y + box.height).toBeLessThanOrEqual(canvas.y + canvas.height);
    await screenshot(page, 'focus-beside-inspector-dark-1024');
    await page.close();
  }, 120_000);
});
