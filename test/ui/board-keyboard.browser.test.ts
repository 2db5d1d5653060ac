import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectedDag } from '../bench/ui/big-graph';
import type { Workgraph } from '../renderer/support/workgraph';
import { launchBrowser, screenshot } from './harness';
import { startTestServer, type TestServer } from './test-server';

/**
 * The board by keyboard on a 200-task plan (connectedDag: 80 done, 10 running, 4 failed, many ready and
 * waiting): the rings a card shows when it has the focus or is open, where the focus is after an action in the
 * inspector and after Escape, a focused card that live changes move within its column, what an empty
 * column says under a filter, Delete on a done card, and a title that is one long word.
 */
let server: TestServer;
let browser: Browser;
let project: Workgraph;

/** One word longer than a card's line: a path or an identifier pasted as the title. */
const LONG_WORD = 'Fix_src/renderer/board/BoardColumn.tsx::useDragToReorder_now';

beforeAll(async () => {
  server = await startTestServer(async (p) => {
    await p.seed(connectedDag(200));
    await p.call('task:add', { title: LONG_WORD, id: 'long-word', priority: 'critical' });
  });
  project = server.project;
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function openBoard(colorScheme: 'light' | 'dark' = 'light'): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, colorScheme });
  const page = await context.newPage();
  await page.goto(server.url);
  await page.locator('.react-flow').waitFor();
  await page.getByRole('button', { name: 'Board', exact: true }).click();
  await column(page, 'ready').locator('.board-card').first().waitFor();
  return page;
}

const column = (page: Page, name: string) => page.locator(`.board-column[data-column="${name}"]`);
const focusedId = (page: Page) => page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.id ?? null);
const focusedColumn = (page: Page) =>
  page.evaluate(() => document.activeElement?.closest('.board-column')?.getAttribute('data-column') ?? document.activeElement?.tagName);
const inInspector = (page: Page) => page.evaluate(() => !!document.activeElement?.closest('aside.inspector'));
const status = async (id: string) => (await project.task(id))?.status;

/** A picture of the band just above a card, where its focus ring (6 px out) and its open ring (2 px) are drawn. */
async function bandAbove(page: Page, card: Locator): Promise<Buffer> {
  const box = await card.boundingBox();
  if (!box) throw new Error('the card is not on screen');
  return page.screenshot({
    clip: { x: Math.round(box.x) + 12, y: Math.round(box.y) - 7, width: Math.round(box.width) - 24, height: 6 },
  });
}

describe('the board by keyboard', () => {
  it('keeps the focused task when B switches from the graph to the board and back', async () => {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    await page.goto(server.url);
    const node = page.locator('.react-flow__node:has(.task-card[data-state="running"])').first();
    await node.waitFor();
    const id = await node.getAttribute('data-id');
    await node.focus();
    await page.keyboard.press('b');
    // It fell to the page, where the arrows did nothing. Polled whole: the card of the graph, focused before B, has
    // the same id until the board's takes the focus (the board's code is fetched on the first B).
    const focusedIn = (where: string) =>
      page.evaluate((selector) => {
        const at = document.activeElement as HTMLElement | null;
        return at?.closest(selector) ? (at.dataset.id ?? null) : null;
      }, where);
    await expect.poll(() => focusedIn('.board-card')).toBe(id);
    await page.keyboard.press('b');
    await expect.poll(() => focusedIn('.react-flow__node')).toBe(id);
    await context.close();
  });

  it('draws the focus ring and the open ring of a card (the row clipped both away), in light and dark', async () => {
    for (const scheme of ['light', 'dark'] as const) {
      const page = await openBoard(scheme);
      // The failures others wait on are the first column's (Needs you: shared/needs-you.ts).
      const first = column(page, 'needs-you').locator('.board-card').first();
      const plain = await bandAbove(page, first);
      // Tab from the toolbar: the board's one tab stop, its first card, with the keyboard's ring.
      await page.getByRole('button', { name: 'Resume' }).focus();
      await page.keyboard.press('Tab');
      expect(await first.evaluate((card) => card === document.activeElement && card.matches(':focus-visible'))).toBe(true);
      expect((await bandAbove(page, first)).equals(plain)).toBe(false);
      await screenshot(page, `board-focus-ring-${scheme}`);
      // Open it (Space keeps the focus on the board), then move on: it keeps the open ring alone.
      await page.keyboard.press(' ');
      await page.keyboard.press('ArrowDown');
      await expect.poll(() => first.getAttribute('aria-current')).toBe('true');
      expect(await first.evaluate((card) => card === document.activeElement)).toBe(false);
      expect((await bandAbove(page, first)).equals(plain)).toBe(false);
      await screenshot(page, `board-open-ring-${scheme}`);
      await page.context().close();
    }
  });

  it('is one tab stop: Tab from a card leaves the board, never stopping on a column that scrolls', async () => {
    const page = await openBoard();
    const scrolling = await page.evaluate(
      () => [...document.querySelectorAll('.board-column-scroll')].filter((box) => box.scrollHeight > box.clientHeight).length,
    );
    expect(scrolling, 'columns that scroll').toBeGreaterThan(0);
    await page.getByRole('button', { name: 'Resume' }).focus();
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => !!document.activeElement?.closest('.board-card'))).toBe(true);
    // Chromium made each column's scrolled box a tab stop of its own, where the arrows scrolled and Enter opened nothing:
    // from the card on, Tab goes through the board's own buttons (a column's "Show all") and out of it.
    const stops: string[] = [];
    for (let left = false; !left && stops.length < 20; ) {
      await page.keyboard.press('Tab');
      const stop = await page.evaluate(() => {
        const at = document.activeElement;
        return { left: at?.closest('.task-board') === null, what: `${at?.tagName.toLowerCase()}.${at?.className}` };
      });
      left = stop.left;
      stops.push(stop.what);
    }
    expect(stops.filter((stop) => stop.includes('board-column-scroll'))).toEqual([]);
    expect(stops.length).toBeLessThan(20);
    // Tab on past the page's last stop: the focus is on its body, where an arrow brings it back to the board's card
    // (arrows and Enter did nothing there).
    for (let tabs = 0; tabs < 40 && (await page.evaluate(() => document.activeElement !== document.body)); tabs++)
      await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement === document.body)).toBe(true);
    await page.keyboard.press('ArrowDown');
    expect(await page.evaluate(() => !!document.activeElement?.closest('.board-card'))).toBe(true);
    await page.context().close();
  });

  it('wraps a title that is one long word instead of cutting it', async () => {
    const page = await openBoard();
    const title = page.locator('.board-card[data-id="long-word"] .task-card-title');
    await title.waitFor();
    const fits = await title.evaluate((element) => element.scrollWidth <= element.clientWidth);
    expect(fits).toBe(true);
    await screenshot(page, 'board-long-word');
    await page.context().close();
  });

  it('keeps the focus in the inspector after an action, and Escape brings it back to the card scrolled out of view', async () => {
    const page = await openBoard();
    // A failure others wait on: under Needs you, its Retry the inspector's first action (shared/needs-you.ts).
    const failed = column(page, 'needs-you').locator('.board-card:has(.task-card[data-status="failed"])').first();
    const id = (await failed.getAttribute('data-id')) as string;
    await failed.focus();
    await page.keyboard.press('Enter');
    const inspector = page.locator(`aside.inspector[data-task="${id}"]`);
    await inspector.locator('button', { hasText: 'Retry' }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => status(id)).toBe('open');
    // The Retry button went with the failure: the focus stays in the inspector, not on the page's body.
    await expect.poll(() => inInspector(page)).toBe(true);
    // The retried card is in another column now (Ready, or Waiting on what it depends on), maybe out of the rows in
    // the page: Escape scrolls to it.
    await page.keyboard.press('Escape');
    await expect.poll(() => focusedId(page)).toBe(id);
    expect(['ready', 'waiting']).toContain(await focusedColumn(page));

    // Mark done from the inspector: it stays, on what the done task offers (Reopen…).
    const ready = column(page, 'ready').locator('.board-card').nth(1);
    const done = (await ready.getAttribute('data-id')) as string;
    await ready.focus();
    await page.keyboard.press('Enter');
    await page.locator(`aside.inspector[data-task="${done}"] button`, { hasText: 'Mark done' }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => status(done)).toBe('done');
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Reopen…');
    expect(await inInspector(page)).toBe(true);
    await page.keyboard.press('Escape');
    await expect.poll(() => focusedId(page)).toBe(done);
    await page.context().close();
  });

  it('follows a focused card that a change from elsewhere moves within its column, or the nearest card when it leaves', async () => {
    const page = await openBoard();
    const top = column(page, 'ready').locator('.board-card').nth(1);
    const id = (await top.getAttribute('data-id')) as string;
    await top.focus();
    // Lowered from the command line: it goes to the end of Ready, out of the rows in the page.
    await project.call('task:edit', { id, priority: 'idle' });
    await expect.poll(() => column(page, 'ready').locator('.board-card').nth(1).getAttribute('data-id')).not.toBe(id);
    await expect.poll(() => focusedId(page)).toBe(id);
    expect(await focusedColumn(page)).toBe('ready');

    // The latest finished, pushed out of the Done column's five by six more: the focus stays in Done.
    const latest = column(page, 'done').locator('.board-card').first();
    const gone = (await latest.getAttribute('data-id')) as string;
    await latest.focus();
    const running = (await project.allTasks()).filter((task) => task.status === 'in-progress').slice(0, 6);
    for (const task of running) await project.update(task.id, { status: 'done', completed_at: new Date().toISOString() });
    await expect.poll(() => page.locator(`.board-card[data-id="${gone}"]`).count()).toBe(0);
    await expect.poll(() => focusedColumn(page)).toBe('done');
    expect(await focusedId(page)).not.toBeNull();
    await page.context().close();
  });

  it('says that a filter hides what an empty column would hold, with the count', async () => {
    const page = await openBoard();
    // A failure others wait on is under Needs you: Failed holds the others (earlier tests of this file left one) and
    // what they block.
    await page.locator('.state-chip[data-state="running"]').click();
    const empty = column(page, 'failed').locator('.board-column-empty');
    await expect.poll(() => empty.textContent()).toMatch(/^Hidden by the filter: (\d+ failed, )?\d+ blocked\.$/);
    const needsYou = column(page, 'needs-you').locator('.board-column-empty');
    await expect.poll(() => needsYou.textContent()).toMatch(/^Hidden by the filter: \d+ needs you\.$/);
    await page.context().close();
  });

  it('says why Delete on a done card abandons nothing', async () => {
    const page = await openBoard();
    const done = column(page, 'done').locator('.board-card').first();
    const id = (await done.getAttribute('data-id')) as string;
    await done.focus();
    await page.keyboard.press('Delete');
    await expect.poll(() => page.locator('.toast').allInnerTexts()).toEqual([expect.stringMatching(/is done: it is not abandoned/)]);
    expect(await page.getByRole('dialog').count()).toBe(0);
    expect(await status(id)).toBe('done');
    await page.context().close();
  });

  it('has Skip to the tasks as the first Tab stop, to a card of the graph and of the board (not 31 Tabs away)', async () => {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    await page.goto(server.url);
    await page.locator('.react-flow__node').first().waitFor();
    await page.keyboard.press('Tab');
    const skip = page.getByRole('button', { name: 'Skip to the tasks' });
    expect(await skip.evaluate((link) => link === document.activeElement)).toBe(true);
    // Seen while it has the focus: inside the window, not above it.
    expect((await skip.boundingBox())?.y).toBeGreaterThanOrEqual(0);
    await screenshot(page, 'skip-to-tasks-light');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.evaluate(() => !!document.activeElement?.closest('.react-flow__node'))).toBe(true);
    // Enter there opens the card's task, as on any card.
    const id = await page.evaluate(() => (document.activeElement as HTMLElement).dataset.id);
    await page.keyboard.press('Enter');
    await page.locator(`aside.inspector[data-task="${id}"]`).waitFor();
    await page.keyboard.press('Escape');

    await page.getByRole('button', { name: 'Board', exact: true }).click();
    await column(page, 'ready').locator('.board-card').first().waitFor();
    await skip.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.evaluate(() => !!document.activeElement?.closest('.board-card'))).toBe(true);
    // Out of sight again once the focus has left it.
    expect((await skip.boundingBox())?.y ?? -1).toBeLessThan(0);
    await page.getByRole('button', { name: 'Graph', exact: true }).click();
    await context.close();
  });
});
