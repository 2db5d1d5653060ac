import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MANUAL_EXECUTOR, mixedProject } from '../bench/ui/mixed-project';
import { graphAtRest, launchBrowser, screenshot } from './harness';
import { startTestServer, type TestServer } from './test-server';

/**
 * The graph's opening view, "Showing the work" (a lens: the work laid out by itself), on the 200-task
 * project shaped like a real one (mixedProject: 3 running, 3 failed, 2 needing a person, one awaiting its
 * evaluation, 5 ready). The lens holds the ready tasks too, as the Work button says; it follows the work as
 * other tools change it (what starts, fails or becomes ready comes in, what is dropped goes) without moving
 * the view under the person; a task asked for from outside it (an inspector link, a card chosen on the board)
 * is brought in and shown; and the person's own tag and Hide finished survive the graph, the board and W.
 */
let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  server = await startTestServer(async (project) => {
    await project.call('executor:add', { name: MANUAL_EXECUTOR.name, type: MANUAL_EXECUTOR.type });
    const { tasks, agents } = mixedProject();
    await project.seed(tasks, agents);
  });
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const READY = ['onboarding-12', 'uploads-13', 'settings-13', 'notifications-13', 'onboarding-13'];

async function openGraph(colorScheme: 'light' | 'dark' = 'light'): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, colorScheme });
  await page.goto(server.url);
  await page.getByText(/^Showing the work/).waitFor({ timeout: 60_000 });
  await page.locator('.react-flow__node .task-card').first().waitFor({ timeout: 60_000 });
  await graphAtRest(page);
  return page;
}

/** The cards in the page, by id. */
const cardIds = (page: Page) =>
  page.locator('.react-flow__node').evaluateAll((nodes) => nodes.map((node) => (node as HTMLElement).dataset.id ?? ''));

/** The cards wholly on the canvas and clear of its panels and of the inspector: what a person sees. */
const seenCards = (page: Page) =>
  page.evaluate(() => {
    const pane = document.querySelector('.react-flow')?.getBoundingClientRect();
    if (!pane) return [];
    const over = [...document.querySelectorAll('.react-flow__panel, .inspector')].map((p) => p.getBoundingClientRect());
    const overlaps = (a: DOMRect, b: DOMRect) => a.right > b.left && a.left < b.right && a.bottom > b.top && a.top < b.bottom;
    return [...document.querySelectorAll<HTMLElement>('.react-flow__node')].flatMap((node) => {
      const r = node.getBoundingClientRect();
      const inside = r.left >= pane.left && r.right <= pane.right && r.top >= pane.top && r.bottom <= pane.bottom;
      return inside && !over.some((p) => overlaps(r, p)) ? [node.dataset.id ?? ''] : [];
    });
  });

const transform = (page: Page) => page.locator('.react-flow__viewport').first().getAttribute('style');
const stateOf = (page: Page, id: string) =>
  page
    .locator(`.react-flow__node[data-id="${id}"] .task-card`)
    .getAttribute('data-state', { timeout: 1000 })
    .catch(() => null);

describe('the work lens', () => {
  it('holds the ready tasks, as the Work button says, not only when nothing needs a person, failed or runs', async () => {
    const page = await openGraph();
    const opening = new Set(await cardIds(page));
    expect(READY.filter((id) => !opening.has(id))).toEqual([]);
    await page.close();
  }, 120_000);

  it('follows the work as other tools change it, keeping the view the person moved', async () => {
    const page = await openGraph();
    const opening = new Set(await cardIds(page));
    expect(opening.has('billing-13')).toBe(false);
    expect(opening.has('login-12')).toBe(false);
    expect(opening.has('uploads-11')).toBe(true);

    // Changes from outside the window: a running task done (its dependent billing-13 becomes ready), a waiting task
    // started by hand, a failed one dropped.
    await server.project.call('task:done', { id: 'billing-11' });
    await server.project.call('task:claim', { id: 'login-12', force: true });
    await server.project.call('task:abandon', { id: 'uploads-11', reason: 'not needed' });
    await expect.poll(() => stateOf(page, 'login-12'), { timeout: 15_000 }).toBe('running');
    await expect.poll(() => stateOf(page, 'billing-13'), { timeout: 15_000 }).toBe('ready');
    await expect.poll(async () => (await cardIds(page)).includes('uploads-11'), { timeout: 15_000 }).toBe(false);
    await graphAtRest(page);
    // Still the work's lens (nothing the person chose was undone), and what came in is in view, not off screen.
    expect(await page.getByText(/^Showing the work/).count()).toBe(1);
    const seen = new Set(await seenCards(page));
    expect(['login-12', 'billing-13', 'onboarding-11', 'reports-11'].filter((id) => !seen.has(id))).toEqual([]);
    // The task just finished stays a while beside its dependent, as the first view shows what finished minutes ago.
    expect(await stateOf(page, 'billing-11')).toBe('done');
    await screenshot(page, 'work-lens-followed-light');

    // The person moves the view by hand: a change then leaves it where they put it.
    const pane = await page.locator('.react-flow__pane').boundingBox();
    if (!pane) throw new Error('no pane');
    await page.mouse.move(pane.x + 300, pane.y + pane.height - 60);
    await page.mouse.down();
    await page.mouse.move(pane.x + 380, pane.y + pane.height - 100, { steps: 5 });
    await page.mouse.up();
    await graphAtRest(page);
    const moved = await transform(page);
    // The card nearest the middle of the screen: what the person is looking at stays where it is on screen.
    const middle = await page.evaluate(() => {
      const pane = document.querySelector('.react-flow')?.getBoundingClientRect() as DOMRect;
      const centre = { x: pane.left + pane.width / 2, y: pane.top + pane.height / 2 };
      let best = { id: '', d: Number.POSITIVE_INFINITY };
      for (const node of document.querySelectorAll<HTMLElement>('.react-flow__node')) {
        const r = node.getBoundingClientRect();
        const d = Math.hypot(r.left + r.width / 2 - centre.x, r.top + r.height / 2 - centre.y);
        if (d < best.d) best = { id: node.dataset.id ?? '', d };
      }
      return best.id;
    });
    const box = (id: string) => page.locator(`.react-flow__node[data-id="${id}"]`).boundingBox();
    const before = await box(middle);
    await server.project.call('task:claim', { id: 'search-12', force: true });
    await expect.poll(() => stateOf(page, 'search-12'), { timeout: 15_000 }).toBe('running');
    await graphAtRest(page);
    const after = await box(middle);
    expect({ x: Math.round(after?.x ?? -1), y: Math.round(after?.y ?? -1) }, `${middle} moved on screen (view ${moved})`).toEqual({
      x: Math.round(before?.x ?? 0),
      y: Math.round(before?.y ?? 0),
    });
    await page.close();
  }, 120_000);

  it('shows a task asked for from outside it: an inspector link brings its card in, and Escape returns to it', async () => {
    const page = await openGraph();
    expect((await cardIds(page)).includes('reports-10')).toBe(false);
    await page.locator('.react-flow__node[data-id="reports-11"] .task-card').click();
    const inspector = page.getByRole('complementary', { name: 'Task inspector' });
    await inspector.getByRole('list', { name: 'Depends on' }).getByRole('button', { name: 'Log reports events for support' }).click();
    await expect.poll(() => inspector.getAttribute('data-task')).toBe('reports-10');
    // The lens gave way (the whole graph again), and the view went to the card, clear of the inspector.
    await expect.poll(async () => (await seenCards(page)).includes('reports-10'), { timeout: 20_000 }).toBe(true);
    expect(await page.getByText(/^Showing the work/).count()).toBe(0);
    await graphAtRest(page);
    await screenshot(page, 'work-lens-link-shown-light');
    await page.keyboard.press('Escape');
    await inspector.waitFor({ state: 'detached' });
    await expect.poll(() => page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.id)).toBe('reports-10');
    await page.close();
  }, 120_000);

  it('shows a card chosen on the board when the graph is shown again', async () => {
    const page = await openGraph('dark');
    await page.getByRole('button', { name: 'Board', exact: true }).click();
    // A task finished long ago (abandoned: the done column's), which the work's lens leaves out.
    const chosen = page.locator('.board-column[data-column="done"] .board-card[data-id="reports-9"]');
    await chosen.click();
    const inspector = page.getByRole('complementary', { name: 'Task inspector' });
    await expect.poll(() => inspector.getAttribute('data-task')).toBe('reports-9');
    expect((await cardIds(page)).includes('reports-9')).toBe(false);
    await page.getByRole('button', { name: 'Graph view' }).click();
    await expect.poll(async () => (await seenCards(page)).includes('reports-9'), { timeout: 20_000 }).toBe(true);
    expect(await inspector.getAttribute('data-task')).toBe('reports-9');
    await graphAtRest(page);
    await screenshot(page, 'work-lens-board-card-dark');
    await page.close();
  }, 120_000);

  it('shows a card chosen on the board when the graph is first shown (the window opened on the board)', async () => {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    await page.addInitScript({ content: `localStorage.setItem('wg.work-view', 'board')` });
    await page.goto(server.url);
    const chosen = page.locator('.board-column[data-column="done"] .board-card[data-id="uploads-10"]');
    await chosen.click({ timeout: 60_000 });
    const inspector = page.getByRole('complementary', { name: 'Task inspector' });
    await expect.poll(() => inspector.getAttribute('data-task')).toBe('uploads-10');
    await page.getByRole('button', { name: 'Graph view' }).click();
    await expect.poll(async () => (await seenCards(page)).includes('uploads-10'), { timeout: 30_000 }).toBe(true);
    await graphAtRest(page);
    expect((await seenCards(page)).includes('uploads-10')).toBe(true);
    await context.close();
  }, 120_000);
});

describe('the person’s own filter', () => {
  const filterOf = async (page: Page) => ({
    tag: await page.getByRole('combobox', { name: 'Filter by tag' }).inputValue(),
    hideFinished: await page.getByLabel('Hide finished').isChecked(),
  });

  it('survives the graph, the board and W (opened on the board), and the keys work after Hide finished is ticked', async () => {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    await page.addInitScript({ content: `localStorage.setItem('wg.work-view', 'board')` });
    await page.goto(server.url);
    await page.locator('.board-column .board-card').first().waitFor({ timeout: 60_000 });
    await page.getByRole('combobox', { name: 'Filter by tag' }).selectOption('billing');
    await page.getByLabel('Hide finished').check();
    const onBoard = await page.locator('.board-card').count();
    expect(onBoard).toBeGreaterThan(3);
    // Keys work with the focus still on the checkbox just ticked: B shows the graph.
    await page.keyboard.press('b');
    await page.locator('.graph-canvas:not(.hidden) .react-flow__node').first().waitFor({ timeout: 60_000 });
    await graphAtRest(page);
    expect(await filterOf(page)).toEqual({ tag: 'billing', hideFinished: true });
    const onGraph = await cardIds(page);
    expect(onGraph.length).toBeGreaterThan(0);
    expect(onGraph.filter((id) => !id.startsWith('billing-'))).toEqual([]);
    await screenshot(page, 'work-lens-filter-graph-light');
    await page.getByRole('button', { name: 'Board', exact: true }).click();
    await page.locator('.board-card').first().waitFor();
    expect(await filterOf(page)).toEqual({ tag: 'billing', hideFinished: true });
    expect(await page.locator('.board-card').count()).toBe(onBoard);
    // W shows the graph's work, within what they chose.
    await page.locator('body').press('w');
    await page.locator('.graph-canvas:not(.hidden) .react-flow__node').first().waitFor();
    await graphAtRest(page);
    expect(await filterOf(page)).toEqual({ tag: 'billing', hideFinished: true });
    expect((await cardIds(page)).filter((id) => !id.startsWith('billing-'))).toEqual([]);
    await context.close();
  }, 120_000);

  it('survives W from the work lens: the work within the tag', async () => {
    const page = await openGraph();
    await page.getByRole('button', { name: 'Board', exact: true }).click();
    await page.getByRole('combobox', { name: 'Filter by tag' }).selectOption('onboarding');
    await page.getByRole('button', { name: 'Graph view' }).click();
    await page.getByRole('button', { name: /^Work: where/ }).click();
    await graphAtRest(page);
    expect(await page.getByRole('combobox', { name: 'Filter by tag' }).inputValue()).toBe('onboarding');
    const ids = await cardIds(page);
    expect(ids.filter((id) => !id.startsWith('onboarding-'))).toEqual([]);
    // Its work: the task that needs a person and the two ready ones.
    expect(['onboarding-11', 'onboarding-12', 'onboarding-13'].filter((id) => !ids.includes(id))).toEqual([]);
    await page.close();
  }, 120_000);
});
