import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MANUAL_EXECUTOR, mixedProject } from '../bench/ui/mixed-project';
import type { Workgraph } from '../renderer/support/workgraph';
import { launchBrowser, screenshot } from './harness';
import { axeFindings } from './page-helpers';
import { startTestServer, type TestServer } from './test-server';

/**
 * The board beside the graph, on a 200-task project shaped like a real one (mixedProject: eight
 * areas, 40% done, 3 running, 3 failed and what they block, 2 needing a person, one awaiting its
 * evaluation, one paused, one scheduled): its columns, its cards and counts, the keyboard, the
 * start order dragged or moved with Alt+arrows, the same filters, search and inspector, live
 * changes, and both themes at 1440 and 1024 wide.
 */
let server: TestServer;
let browser: Browser;
let project: Workgraph;

beforeAll(async () => {
  server = await startTestServer(async (project) => {
    await project.call('executor:add', { name: MANUAL_EXECUTOR.name, type: MANUAL_EXECUTOR.type });
    const { tasks, agents } = mixedProject();
    await project.seed(tasks, agents);
  });
  project = server.project;
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

type Size = { width: number; height: number };

/**
 * A fresh browser profile (nothing remembered) on the graph, then the board by its button; with
 * `fromTheWork`, once the graph's first view shows the work by itself (a lens of the graph's, not a filter of the board's).
 */
async function openBoard(
  size: Size = { width: 1440, height: 900 },
  colorScheme: 'light' | 'dark' = 'light',
  fromTheWork = false,
): Promise<Page> {
  const context = await browser.newContext({ viewport: size, colorScheme, bypassCSP: true });
  const page = await context.newPage();
  await page.goto(`${server.origin}/#token=${server.token}`);
  await page.locator('.react-flow').waitFor();
  if (fromTheWork) await page.getByText(/^Showing the work/).waitFor();
  await page.getByRole('button', { name: 'Board', exact: true }).click();
  await column(page, 'ready').locator('.board-card').first().waitFor();
  return page;
}

const column = (page: Page, name: string) => page.locator(`.board-column[data-column="${name}"]`);
const cardIds = (where: Locator) =>
  where.locator('.board-card').evaluateAll((cards) => cards.map((card) => (card as HTMLElement).dataset.id ?? ''));
const focused = (page: Page) =>
  page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.id ?? document.activeElement?.className);
const headline = async (page: Page, name: string) =>
  Number((await column(page, name).locator('.board-column-count').textContent())?.replace(/,/g, ''));

describe('the board beside the graph', () => {
  it('puts every task in its column: needs you, running, failed with what it blocks (counted apart), ready, waiting, done', async () => {
    const page = await openBoard(undefined, undefined, true);
    // Every task, whatever the graph's first view framed.
    expect(await page.getByText(/^Showing /).count()).toBe(0);
    const titles = await page.locator('.board-column-title').allTextContents();
    expect(titles.map((title) => title.replace(/[\d,\s]+$/, ''))).toEqual(['Needs you', 'Running', 'Failed', 'Ready', 'Waiting', 'Done']);
    // The two tasks a person does, and (issue 75) the three failures other tasks wait on and the evaluation nothing runs
    // (the project's auto_evaluate is off): each with its action.
    expect(await headline(page, 'needs-you')).toBe(6);
    const needs = await column(page, 'needs-you')
      .locator('.task-card-state')
      .evaluateAll((states) => states.map((state) => state.textContent?.replace(/:.*/, '')));
    expect(needs.filter((text) => text?.startsWith('failed; '))).toHaveLength(3);
    expect(needs.filter((text) => text === 'yours to do')).toHaveLength(2);
    expect(needs.filter((text) => text === 'no evaluation will run')).toHaveLength(1);
    expect(await column(page, 'needs-you').locator('.board-card-actions').count()).toBe(6);
    // Three agents at work.
    expect(await headline(page, 'running')).toBe(3);
    // No failure nothing waits on: the headline counts none; what the failures hold up is counted apart, in the failed
    // family, never as waiting.
    expect(await headline(page, 'failed')).toBe(0);
    const blocked = Number(await page.locator('.state-chip[data-state="blocked"] .state-chip-count').textContent());
    expect(blocked).toBeGreaterThan(10);
    expect(await column(page, 'failed').locator('.board-column-summary').textContent()).toBe(`${blocked} blocked`);
    expect(await column(page, 'failed').locator('.board-heading').textContent()).toBe(`${blocked} blocked by failures`);
    const failedStates = await column(page, 'failed')
      .locator('.task-card')
      .evaluateAll((cards) => cards.map((card) => (card as HTMLElement).dataset.state));
    expect(new Set(failedStates)).toEqual(new Set(['blocked']));
    expect(await column(page, 'failed').locator('.task-card[data-state="blocked"] .task-card-state').first().textContent()).toMatch(
      /^blocked by failed /,
    );
    const blockedColour = await column(page, 'failed')
      .locator('.task-card[data-state="blocked"]')
      .first()
      .evaluate((card) => getComputedStyle(card).borderLeftColor);
    expect(blockedColour).toBe('rgb(159, 74, 84)');
    expect(await column(page, 'waiting').locator('.task-card[data-state="blocked"]').count()).toBe(0);
    // Waiting holds the scheduled and paused tasks too, with their own words.
    expect(await column(page, 'waiting').locator('.board-column-summary').textContent()).toMatch(/^\d+ waiting · 1 scheduled · 1 paused$/);
    // Done: its count, the latest five, and the rest on request.
    expect(await headline(page, 'done')).toBe(80);
    expect(await column(page, 'done').locator('.board-card').count()).toBe(5);
    expect(await cardIds(column(page, 'done'))).toEqual(expect.arrayContaining(['reports-9', 'uploads-10']));
    await column(page, 'done').getByRole('button', { name: 'Show all 80' }).click();
    await expect.poll(() => column(page, 'done').locator('.board-card').count()).toBeGreaterThan(5);
    // The cards are the graph's: the running one says how long and which model.
    const running = column(page, 'running').locator('.task-card[data-state="running"]').first();
    expect(await running.locator('.task-card-state').textContent()).toMatch(/^running \d+m\d\ds$/);
    expect(await running.locator('.task-card-model').textContent()).toMatch(/sonnet|opus|gpt-5-codex/);
    await page.context().close();
  }, 120_000);

  it('lists Ready in the order the coordinator starts them: priority, then age', async () => {
    const page = await openBoard();
    const ids = await cardIds(column(page, 'ready'));
    const tasks = await project.allTasks();
    const order = tasks.map((task) => task.id);
    const priority = (id: string) => tasks.find((task) => task.id === id)?.priority_value ?? 0;
    const ranked = [...ids].sort((a, b) => priority(b) - priority(a) || order.indexOf(a) - order.indexOf(b));
    expect(ids.length).toBeGreaterThan(2);
    expect(ids).toEqual(ranked);
    await page.context().close();
  }, 120_000);

  it('is remembered: reopened, the window shows the board; W or B goes back to the graph (kept in the page) and is remembered too', async () => {
    const page = await openBoard();
    await page.reload();
    await column(page, 'ready').locator('.board-card').first().waitFor();
    expect(await page.getByRole('button', { name: 'Board', exact: true }).getAttribute('aria-pressed')).toBe('true');
    expect(await page.locator('.react-flow').count()).toBe(0);
    // W (where work happens) is the graph's: from the board it shows the graph.
    await page.keyboard.press('w');
    await page.locator('.react-flow__node').first().waitFor();
    expect(await page.locator('.task-board').count()).toBe(0);
    await page.keyboard.press('b');
    await column(page, 'ready').locator('.board-card').first().waitFor();
    expect(await page.locator('.graph-canvas.hidden').count()).toBe(1);
    await page.keyboard.press('b');
    await page.locator('.graph-canvas:not(.hidden) .react-flow__node').first().waitFor();
    expect(await page.locator('.task-board').count()).toBe(0);
    await page.reload();
    await page.locator('.react-flow__node').first().waitFor();
    expect(await page.getByRole('button', { name: 'Graph view' }).getAttribute('aria-pressed')).toBe('true');
    await page.keyboard.press('b');
    await column(page, 'ready').locator('.board-card').first().waitFor();
    await page.context().close();
  }, 120_000);

  it('moves by keyboard: Tab reaches the board, arrows go between cards and columns, Enter opens, Escape comes back, Delete asks', async () => {
    const page = await openBoard();
    // The project's coordinator is paused (no agent starts in a test): its banner's Resume is the last stop before the board.
    await page.getByRole('button', { name: 'Resume' }).focus();
    await page.keyboard.press('Tab');
    // One tab stop: the first card of the first column.
    const needsYou = await cardIds(column(page, 'needs-you'));
    await expect.poll(() => focused(page)).toBe(needsYou[0]);
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => focused(page)).toBe(needsYou[1]);
    await page.keyboard.press('End');
    await expect.poll(() => focused(page)).toBe(needsYou.at(-1));
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => focused(page)).toBe(needsYou.at(-1));
    await page.keyboard.press('ArrowRight');
    const running = await cardIds(column(page, 'running'));
    await expect.poll(async () => running.includes(String(await focused(page)))).toBe(true);
    await page.keyboard.press('Home');
    await expect.poll(() => focused(page)).toBe(running[0]);
    await page.keyboard.press('End');
    await expect.poll(() => focused(page)).toBe(running[running.length - 1]);
    await page.keyboard.press('ArrowLeft');
    await expect.poll(async () => needsYou.includes(String(await focused(page)))).toBe(true);
    // Into Failed (its failures all wait on by others, so under Needs you: issue 75): the heading is passed over, the
    // first blocked task takes the focus.
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Home');
    await page.keyboard.press('ArrowUp');
    const firstBlocked = await column(page, 'failed')
      .locator('.task-card[data-state="blocked"]')
      .first()
      .evaluate((card) => card.closest<HTMLElement>('.board-card')?.dataset.id);
    await expect.poll(() => focused(page)).toBe(firstBlocked);
    // Far down a long column: the list scrolls to the card it moves to.
    await page.keyboard.press('End');
    // The last card is put in the page as the list scrolls to it, a frame or two later.
    await expect.poll(() => focused(page)).not.toBe(firstBlocked);
    const last = await focused(page);
    expect(last).toMatch(/^[a-z]+-\d+$/);
    const box = await page.locator(`.board-card[data-id="${last}"]`).boundingBox();
    const list = await column(page, 'failed').locator('.board-column-scroll').boundingBox();
    expect(box && list && box.y >= list.y && box.y + box.height <= list.y + list.height + 1).toBe(true);
    await page.keyboard.press('Enter');
    const inspector = page.getByRole('complementary', { name: 'Task inspector' });
    await expect.poll(() => inspector.getAttribute('data-task')).toBe(last);
    await expect.poll(() => page.evaluate(() => document.activeElement?.classList.contains('inspector-title'))).toBe(true);
    await page.keyboard.press('Escape');
    await expect.poll(() => focused(page)).toBe(last);
    expect(await inspector.count()).toBe(0);
    await page.keyboard.press('Delete');
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain((await project.task(last as string))?.title);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect((await project.task(last as string))?.status).toBe('open');
    // The page's own keys work from the board: / searches, ? lists the keys (B among them).
    await page.keyboard.press('?');
    const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    expect(await help.textContent()).toContain('Board or graph');
    await page.keyboard.press('Escape');
    await page.keyboard.press('/');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Search tasks');
    await page.context().close();
  }, 120_000);

  it('changes the start order by dragging a ready card (its priority, said in a notice with Undo), and with Alt+↑', async () => {
    const page = await openBoard();
    const ready = column(page, 'ready');
    const before = await cardIds(ready);
    const moved = before[before.length - 1] as string;
    const first = before[0] as string;
    const from = await page.locator(`.board-card[data-id="${moved}"]`).boundingBox();
    const to = await page.locator(`.board-card[data-id="${first}"]`).boundingBox();
    if (!from || !to) throw new Error('the ready cards are not on screen');
    await page.locator(`.board-card[data-id="${moved}"]`).dragTo(page.locator(`.board-card[data-id="${first}"]`), {
      targetPosition: { x: to.width / 2, y: 8 },
    });
    await expect.poll(() => cardIds(ready)).toEqual([moved, ...before.slice(0, -1)]);
    const toast = page.locator('.toast', { hasText: 'Start order changed' });
    await toast.waitFor();
    expect(await toast.textContent()).toContain(
      `“${(await project.task(moved))?.title}” now starts before “${(await project.task(first))?.title}”`,
    );
    // What it changed: the moved task's priority, now above the first's.
    expect((await project.task(moved))?.priority_value).toBeGreaterThan((await project.task(first))?.priority_value ?? 0);
    await toast.getByRole('button', { name: 'Undo' }).click();
    await expect.poll(() => cardIds(ready)).toEqual(before);
    // The keyboard's way: Alt+↑ on the second card puts it first.
    const second = before[1] as string;
    await page.locator(`.board-card[data-id="${second}"]`).focus();
    await page.keyboard.press('Alt+ArrowUp');
    await expect.poll(() => cardIds(ready)).toEqual([second, first, ...before.slice(2)]);
    await page.locator('.toast', { hasText: 'Start order changed' }).last().getByRole('button', { name: 'Undo' }).click();
    await expect.poll(() => cardIds(ready)).toEqual(before);
    // Only Ready's order means something: no other column's cards can be dragged.
    expect(await column(page, 'waiting').locator('.board-card[draggable="true"]').count()).toBe(0);
    await page.context().close();
  }, 120_000);

  it('uses the graph page’s filters, search and inspector, and follows the store live', async () => {
    const page = await openBoard();
    // A state chip shows only those tasks, here the blocked ones: only the Failed column has cards.
    await page.locator('.state-chip[data-state="blocked"]').click();
    await expect.poll(() => page.locator('.board-card').count()).toBeGreaterThan(0);
    for (const name of ['needs-you', 'running', 'ready', 'waiting', 'done'])
      expect(await column(page, name).locator('.board-card').count()).toBe(0);
    await page.getByRole('button', { name: 'Show all' }).click();
    // A tag shows that area's tasks only.
    await page.getByRole('combobox', { name: 'Filter by tag' }).selectOption('billing');
    // The cards left that are not billing's, so a failure names them.
    await expect
      .poll(async () => (await page.locator('.board-card').allTextContents()).filter((text) => !/billing/.test(text)))
      .toEqual([]);
    await page.getByRole('combobox', { name: 'Filter by tag' }).selectOption('');
    // Search finds an old finished task: Done opens to it, it is focused and open in the inspector.
    const search = page.getByRole('combobox', { name: 'Search tasks' });
    await search.fill('billing-2');
    await search.press('Enter');
    await expect.poll(() => focused(page)).toBe('billing-2');
    expect(await page.getByRole('complementary', { name: 'Task inspector' }).getAttribute('data-task')).toBe('billing-2');
    await page.keyboard.press('Escape');
    // A click opens the inspector on that task.
    const ready = (await cardIds(column(page, 'ready')))[0] as string;
    await page.locator(`.board-card[data-id="${ready}"]`).click();
    await expect.poll(() => page.getByRole('complementary', { name: 'Task inspector' }).getAttribute('data-task')).toBe(ready);
    // Live: the coordinator starts it, and it moves to Running without a reload, the focus with it.
    await page.keyboard.press('Escape');
    await expect.poll(() => focused(page)).toBe(ready);
    await project.update(ready, { status: 'in-progress', started_at: new Date().toISOString() });
    await expect.poll(() => cardIds(column(page, 'running'))).toContain(ready);
    expect(await cardIds(column(page, 'ready'))).not.toContain(ready);
    await expect.poll(() => focused(page)).toBe(ready);
    expect(await page.evaluate(() => document.activeElement?.closest('.board-column')?.getAttribute('data-column'))).toBe('running');
    await project.update(ready, { status: 'open', started_at: null });
    await page.context().close();
  }, 120_000);

  // At 1280 wide "Done →" can lie over the Done column's "Show all N", where a click would scroll the board.
  it('keeps the buttons naming the columns out of view clear of the columns, so Show all takes its click', async () => {
    for (const size of [
      { width: 1280, height: 800 },
      { width: 1024, height: 700 },
    ]) {
      const page = await openBoard(size);
      const edge = page.locator('.board-edge-after .board-edge-button');
      await edge.waitFor();
      const button = await edge.boundingBox();
      if (!button) throw new Error('no box for the edge button');
      const under = await page.locator('.board-column').evaluateAll(
        (columns, b) =>
          columns
            .filter((column) => {
              const r = column.getBoundingClientRect();
              return r.left < b.x + b.width && r.right > b.x && r.top < b.y + b.height && r.bottom > b.y;
            })
            .map((column) => (column as HTMLElement).dataset.column),
        button,
      );
      expect(under).toEqual([]);
      // Done's Show all, in view at the board's right edge where the button stands, takes a click in its middle.
      const showAll = column(page, 'done').getByRole('button', { name: /^Show all/ });
      await page.locator('.task-board').evaluate((board) => {
        const done = board.querySelector<HTMLElement>('.board-column[data-column="done"]');
        if (done) board.scrollLeft = done.offsetLeft + 120 - board.clientWidth;
      });
      const box = await showAll.boundingBox();
      if (!box) throw new Error('no box for Show all');
      await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
      await expect
        .poll(() =>
          column(page, 'done')
            .getByRole('button', { name: /^Show the latest/ })
            .count(),
        )
        .toBe(1);
      await screenshot(page, `board-edge-clear-${size.width}`);
      await page.context().close();
    }
  }, 120_000);

  it('reads well in light and dark at 1440 and 1024 wide, with the inspector open, and passes axe', async () => {
    const found: Record<string, string[]> = {};
    for (const [theme, size] of [
      ['light', { width: 1440, height: 900 }],
      ['dark', { width: 1440, height: 900 }],
      ['light', { width: 1024, height: 700 }],
      ['dark', { width: 1024, height: 700 }],
    ] as const) {
      const page = await openBoard(size, theme);
      // At 1024 the first four columns are whole; the rest scroll into view.
      const board = await page.locator('.task-board').boundingBox();
      const ready = await column(page, 'ready').boundingBox();
      expect(ready && board && ready.x + ready.width <= board.x + board.width).toBe(true);
      // Every card's state line and foot are inside it (the state takes two lines where the title takes two).
      const overflowing = await page.locator('.board-card .task-card').evaluateAll((cards) =>
        cards
          .filter((card) => {
            const foot = card.querySelector('.task-card-foot')?.getBoundingClientRect();
            return !foot || foot.bottom > card.getBoundingClientRect().bottom + 0.5;
          })
          .map((card) => card.closest<HTMLElement>('.board-card')?.dataset.id),
      );
      expect(overflowing).toEqual([]);
      await screenshot(page, `board-${theme}-${size.width}`);
      const findings = await axeFindings(page);
      if (findings.length > 0) found[`${theme} ${size.width}`] = findings;
      // The columns out of view are named at the board's edge (nothing said Waiting and Done were there); a click brings them in.
      const more = page.locator('.board-edge-after .board-edge-button');
      const back = page.locator('.board-edge-before .board-edge-button');
      if (size.width === 1440) expect(await page.locator('.board-edge-button').count()).toBe(0);
      else {
        expect(await more.textContent()).toBe('Waiting +1 →');
        expect(await more.getAttribute('title')).toBe('Out of view to the right: Waiting, Done');
        expect(await back.count()).toBe(0);
        await more.click();
        await expect.poll(() => more.textContent()).toBe('Done →');
        // Once the smooth scroll has ended.
        await expect
          .poll(async () => {
            const waiting = await column(page, 'waiting').boundingBox();
            return waiting && board ? Math.round(board.x + board.width - (waiting.x + waiting.width)) : null;
          })
          .toBeGreaterThanOrEqual(0);
        await expect.poll(() => back.textContent()).toBe('← Needs you');
        await screenshot(page, `board-scrolled-${theme}-${size.width}`);
        await back.click();
        await expect.poll(() => back.count()).toBe(0);
      }
      const opened = column(page, 'failed').locator('.board-card').first();
      await opened.click();
      const inspector = page.getByRole('complementary', { name: 'Task inspector' });
      await inspector.waitFor();
      // The card opened is not left under the inspector: the board scrolls it out (at 1024 its column was under it).
      await expect
        .poll(
          async () =>
            ((await opened.boundingBox())?.x ?? 0) + ((await opened.boundingBox())?.width ?? 0) <=
            ((await inspector.boundingBox())?.x ?? 0),
        )
        .toBe(true);
      await screenshot(page, `board-inspector-${theme}-${size.width}`);
      // The button naming what is out of view stands clear of the inspector.
      if (size.width === 1024) {
        const button = await more.boundingBox();
        const panel = await inspector.boundingBox();
        expect(button && panel && button.x + button.width <= panel.x && button.x >= (board?.x ?? 0)).toBe(true);
      }
      await page.context().close();
    }
    expect(found).toEqual({});
  }, 240_000);
});
