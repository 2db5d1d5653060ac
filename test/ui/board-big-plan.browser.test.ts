import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { connectedDag } from '../bench/ui/big-graph';
import { screenshot, windowOnPlan } from './harness';

/**
 * The board on one connected 10,000-task plan (4,000 done, a frontier of running and failed tasks,
 * thousands blocked behind the failures): opened where it was left (the view remembered), its
 * columns virtualised (only the cards on screen are in the page, however long a column is), and
 * the keyboard reaching the ends of the longest ones. Its speed is measured by the bench
 * (`BENCH_ONLY=board npm run bench:ui`), not asserted here.
 */
const shared = windowOnPlan(() => connectedDag(10_000));

async function openOnBoard(colorScheme: 'light' | 'dark', size = { width: 1440, height: 900 }): Promise<Page> {
  const context = await shared.browser.newContext({ viewport: size, colorScheme });
  const page = await context.newPage();
  await page.addInitScript({ content: `localStorage.setItem('wg.work-view', 'board')` });
  await page.goto(`${shared.server.origin}/#token=${shared.server.token}`);
  await page.locator('.board-column[data-column="running"] .board-card').first().waitFor({ timeout: 60_000 });
  return page;
}

const column = (page: Page, name: string) => page.locator(`.board-column[data-column="${name}"]`);
const cardsInPage = (page: Page) => page.locator('.board-card').count();
const chip = async (page: Page, state: string) =>
  Number((await page.locator(`.state-chip[data-state="${state}"] .state-chip-count`).textContent())?.replace(/,/g, ''));

describe('the board on a 10,000-task plan', () => {
  it('opens where it was left, counts every task, and keeps only the cards on screen in the page', async () => {
    const page = await openOnBoard('light');
    // The graph is not laid out into the page until it is asked for.
    expect(await page.locator('.react-flow').count()).toBe(0);
    const blocked = await chip(page, 'blocked');
    expect(blocked).toBeGreaterThan(1000);
    expect(await column(page, 'failed').locator('.board-column-summary').textContent()).toBe(
      `${await chip(page, 'failed')} failed · ${blocked.toLocaleString('en-US')} blocked`,
    );
    expect(await column(page, 'done').locator('.board-column-count').textContent()).toBe('4,000');
    expect(await cardsInPage(page)).toBeLessThan(150);
    await screenshot(page, 'board-10000-light-1440');

    // The keyboard reaches the end of the longest column; the list scrolls, the page still holds only what is near.
    const firstCard = column(page, 'failed').locator('.board-card').first();
    const first = await firstCard.getAttribute('data-id');
    await firstCard.focus();
    await page.keyboard.press('End');
    // The column scrolls to its end and the card is focused once it is in the page: a frame or more later.
    await expect.poll(() => page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.id)).not.toBe(first);
    const last = await page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.id);
    expect(last).toMatch(/^t\d+$/);
    expect(await page.locator(`.board-card[data-id="${last}"] .task-card`).getAttribute('data-state')).toBe('blocked');
    expect(await cardsInPage(page)).toBeLessThan(150);
    // All 4,000 done, on request: the oldest is last.
    await column(page, 'done').getByRole('button', { name: 'Show all 4,000' }).click();
    await column(page, 'done').locator('.board-card').first().focus();
    await page.keyboard.press('End');
    await expect.poll(() => page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.id)).toBe('t0');
    expect(await cardsInPage(page)).toBeLessThan(150);
    await page.context().close();
  }, 120_000);

  it('reads well in dark at 1024 wide', async () => {
    const page = await openOnBoard('dark', { width: 1024, height: 700 });
    expect(await cardsInPage(page)).toBeLessThan(120);
    await screenshot(page, 'board-10000-dark-1024');
    await page.context().close();
  }, 120_000);
});
