import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectedDag } from '../bench/ui/big-graph';
import { makeTask } from '../renderer/support/fixtures';
import { screenshot, windowOnPlan } from './harness';
import { cutOrCovered, overviewFrame, recordOverviewFrame, restingBox, viewAtRest } from './page-helpers';
import { startTestServer, type TestServer } from './test-server';

/**
 * One connected 10,000-task plan (each task depending on up to three of the 100 before it), as
 * an imported plan looks: it opens without freezing the window (ELK overflowed the layout
 * worker's stack on it, and the page's thread then laid it out for minutes), the first view shows
 * the frontier, a failed layout worker gives a simpler layout with a notice, and a created task
 * is shown and selected.
 */
const shared = windowOnPlan(() => connectedDag(10_000));

/** The cards wholly on the canvas, clear of its panels (view controls, minimap), by state. */
const VISIBLE_STATES = `(() => {
  const pane = document.querySelector('.react-flow').getBoundingClientRect();
  const panels = [...document.querySelectorAll('.react-flow__panel')].map((p) => p.getBoundingClientRect());
  const overlaps = (a, b) => a.right > b.left && a.left < b.right && a.bottom > b.top && a.top < b.bottom;
  return [...document.querySelectorAll('.react-flow__node .task-card')].filter((card) => {
    const r = card.getBoundingClientRect();
    return r.left >= pane.left && r.right <= pane.right && r.top >= pane.top && r.bottom <= pane.bottom && !panels.some((p) => overlaps(r, p));
  }).map((card) => card.dataset.state);
})()`;

/** Records the page's long tasks (PerformanceObserver 'longtask') from the start, in `window.__longTasks`. */
const RECORD_LONG_TASKS = `window.__longTasks = [];
new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__longTasks.push({ start: e.startTime, duration: e.duration }); })
  .observe({ type: 'longtask', buffered: true });`;

/** The page's errors and error-level console lines, as they come. */
function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  return errors;
}

/** The longest task since `since` (page time), and how many passed 100 ms: for the note, not a pass mark. */
async function longTasksSince(page: Page, since: number): Promise<{ longest: number; over100: number }> {
  const tasks = (await page.evaluate('window.__longTasks')) as Array<{ start: number; duration: number }>;
  const after = tasks.filter((task) => task.start >= since);
  return {
    longest: Math.round(Math.max(0, ...after.map((task) => task.duration))),
    over100: after.filter((task) => task.duration > 100).length,
  };
}

async function open(
  size: { width: number; height: number },
  colorScheme: 'light' | 'dark' = 'light',
  block = false,
  on = shared.server,
): Promise<Page> {
  const page = await shared.browser.newPage({ viewport: size, colorScheme });
  await page.addInitScript({ content: RECORD_LONG_TASKS });
  await page.addInitScript(recordOverviewFrame, { width: 232, height: 96 });
  if (block) await page.route('**/*layout.worker*', (route) => route.abort());
  await page.goto(`${on.origin}/#token=${on.token}`);
  await page.locator('.react-flow__node .task-card').first().waitFor({ timeout: 90_000 });
  await page.locator('.graph-status').waitFor({ state: 'detached', timeout: 90_000 });
  return page;
}

describe('one connected 10,000-task plan', () => {
  it.each([
    [{ width: 1440, height: 900 }, 'light'],
    [{ width: 1024, height: 700 }, 'dark'],
  ] as const)(
    'opens at %o on the frontier: running and failed cards in view, readable, none under a panel (%s)',
    async (size, theme) => {
      const page = await open(size, theme);
      await viewAtRest(page);
      const states = (await page.evaluate(VISIBLE_STATES)) as string[];
      const frontier = states.filter((state) => ['running', 'failed', 'needs-you', 'ready'].includes(state));
      expect(frontier.length).toBeGreaterThanOrEqual(3);
      expect(states).toContain('running');
      expect(await page.locator('.graph-notice').count()).toBe(0);
      await screenshot(page, `big-plan-first-view-${theme}-${size.width}`);
      await page.close();
    },
    120_000,
  );

  it('reopens as it was left: the layout worker keeps what it laid out, and the next session needs no worker', async () => {
    const context = await shared.browser.newContext({ viewport: { width: 1440, height: 900 } });
    const stored = `new Promise((resolve) => {
      const request = indexedDB.open('wg-layouts', 1);
      request.onsuccess = () => {
        const count = request.result.transaction('components').objectStore('components').count();
        count.onsuccess = () => resolve(count.result);
      };
      request.onerror = () => resolve(0);
    })`;
    const first = await context.newPage();
    await first.goto(`${shared.server.origin}/#token=${shared.server.token}`);
    await first.locator('.graph-status').waitFor({ state: 'detached', timeout: 90_000 });
    // Written by the worker a moment after it laid the plan out (not by the window's thread): the plan,
    // and the parts of the first view's lens (the work by itself).
    await first.getByText(/^Showing the work/).waitFor({ timeout: 60_000 });
    // The plan itself is laid out behind the lens (on a loaded machine, long after the lens's parts were
    // written): shown, once it is, and then kept.
    await first.getByRole('button', { name: 'Show all' }).click();
    await first.getByText(/^Showing the work/).waitFor({ state: 'detached' });
    await first.locator('.graph-status').waitFor({ state: 'detached', timeout: 90_000 });
    // Layouts are written in batches a moment after they are laid out, by the window and by each worker on its own
    // timer (layout-store.ts): the count is taken as settled once unchanged over three looks, longer than a batch's wait.
    const looks: number[] = [];
    await expect
      .poll(
        async () => {
          looks.push(Number(await first.evaluate(stored)));
          const last = looks.slice(-3);
          return last.length === 3 && last[0] !== undefined && last[0] >= 1 && last.every((count) => count === last[0]);
        },
        { timeout: 45_000, interval: 1500 },
      )
      .toBe(true);
    await first.close();
    const again = await context.newPage();
    await again.route('**/*layout.worker*', (route) => route.abort());
    await again.goto(`${shared.server.origin}/#token=${shared.server.token}`);
    await again.locator('.react-flow__node .task-card[data-state="running"]').first().waitFor({ timeout: 30_000 });
    await again.locator('.graph-status').waitFor({ state: 'detached', timeout: 30_000 });
    expect(await again.locator('.graph-notice').allTextContents()).toEqual([]);
    // The whole plan as it was left, without a worker (laid out again, 10,000 tasks would be in simpler columns, and say so).
    await again.getByRole('button', { name: 'Show all' }).click();
    await again.getByText(/^Showing the work/).waitFor({ state: 'detached' });
    await again.locator('.graph-status').waitFor({ state: 'detached', timeout: 30_000 });
    expect(await again.locator('.graph-notice').allTextContents()).toEqual([]);
    await context.close();
  }, 120_000);

  it('shows a simpler layout and says so when the layout worker cannot run, and the page still answers', async () => {
    const page = await open({ width: 1440, height: 900 }, 'light', true);
    // The first view shows the work by itself, its small parts laid out by the engine on the window's thread (the same
    // picture: nothing to say); the whole plan is laid out more simply, and says so.
    await page.locator('.react-flow__node .task-card[data-state="running"]').first().waitFor({ timeout: 30_000 });
    expect(await page.locator('.graph-notice').count()).toBe(0);
    await page.getByRole('button', { name: 'Show all' }).click();
    await expect
      .poll(() => page.locator('.graph-notice').textContent(), { timeout: 30_000 })
      .toMatch(/10,000 tasks are shown with a simpler layout/);
    // The window is not blocked: the search answers.
    await page.getByRole('combobox', { name: 'Search tasks' }).fill('Task 9999:');
    await page.getByRole('listbox', { name: 'Matching tasks' }).getByRole('option').first().waitFor();
    await screenshot(page, 'big-plan-fallback-light-1440');
    await page.close();
  }, 120_000);

  it.each([
    [{ width: 1440, height: 900 }, 'light'],
    [{ width: 1024, height: 700 }, 'dark'],
  ] as const)(
    'Fit shows the plan as a picture, every cluster inside the canvas: its stages, then by state and by tag, refitted (%o, %s)',
    async (size, theme) => {
      const page = await open(size, theme);
      const level = () => page.locator('.graph-flow').getAttribute('data-level');
      const clustersShown = async (name: string) => {
        await expect.poll(level, { timeout: 10_000 }).toBe('clusters');
        await viewAtRest(page);
        const frame = await overviewFrame(page);
        await screenshot(page, `big-plan-fit-${name}-${theme}-${size.width}`);
        expect(await cutOrCovered(page, frame.outlined), `${name}: clusters cut or under a panel`).toEqual([]);
        return frame;
      };
      await page.getByRole('button', { name: 'Fit view' }).click();
      // One connected plan is not one box: its stages, first to last, every one on the canvas.
      const stages = await clustersShown('stages');
      const named = new Set([...stages.texts.join(' ').matchAll(/Stage (\d+)/g)].map((match) => Number(match[1])));
      expect(named.size).toBeGreaterThanOrEqual(10);
      expect(Math.max(...named)).toBe(named.size);
      expect(stages.outlined).toHaveLength(named.size);
      // Another grouping while zoomed out is fitted again (it was left cut at the edges).
      await page.getByRole('combobox', { name: 'Group clusters by' }).selectOption('state');
      // Its states, one box each: needs you (the failures others wait on) among them, beside running, failed, blocked…
      expect((await clustersShown('by-state')).outlined).toHaveLength(7);
      await page.getByRole('combobox', { name: 'Group clusters by' }).selectOption('tag');
      expect((await clustersShown('by-tag')).outlined).toHaveLength(20);
      await page.getByRole('combobox', { name: 'Group clusters by' }).selectOption('connected');
      await page.close();
    },
    120_000,
  );

  it('puts a created task in view and selects it', async () => {
    const page = await open({ width: 1024, height: 700 });
    await page.getByRole('button', { name: /New task/ }).click();
    await page.getByLabel('Title').fill('A task made just now');
    await page.getByRole('button', { name: 'Create task' }).click();
    const inspector = page.getByRole('complementary', { name: 'Task inspector' });
    await expect.poll(() => inspector.textContent(), { timeout: 30_000 }).toContain('A task made just now');
    const made = page.locator('.react-flow__node[data-id="a-task-made"]');
    await made.waitFor({ timeout: 30_000 });
    // Wholly on the canvas, not under the inspector nor the view controls, once the view has moved.
    const placement = async () => {
      const [box, pane, panel, controls] = await Promise.all([
        made.boundingBox(),
        page.locator('.react-flow').boundingBox(),
        inspector.boundingBox(),
        page.locator('.wg-controls').boundingBox(),
      ]);
      if (!box || !pane || !panel || !controls) return 'not there';
      if (box.x < pane.x || box.y < pane.y || box.y + box.height > pane.y + pane.height) return 'cut by the canvas edge';
      if (box.x + box.width > panel.x) return 'under the inspector';
      if (box.y + box.height > controls.y && box.x < controls.x + controls.width) return 'under the controls';
      return 'in view';
    };
    await expect.poll(placement, { timeout: 10_000 }).toBe('in view');
    await expect.poll(() => page.evaluate(`document.activeElement?.closest('.react-flow__node')?.dataset.id`)).toBe('a-task-made');
    await screenshot(page, 'big-plan-created-light-1024');
    await page.close();
  }, 120_000);

  it('draws an edit that moves cards (t4003 after t4004, in its column): no stack overflow, the page answers', async () => {
    const page = await open({ width: 1440, height: 900 });
    const errors = collectErrors(page);
    const since = (await page.evaluate('performance.now()')) as number;
    await shared.server.project.call('task:addDep', { task: 't4003', dependency: 't4004' });
    // The page answers while the edit is laid out: the search finds the task and the view goes there.
    await page.getByRole('combobox', { name: 'Search tasks' }).fill('Task 4003:');
    await page.getByRole('combobox', { name: 'Search tasks' }).press('Enter');
    // The edge is drawn dashed at once, before the edit is laid out; the cards move when the layout is done.
    await page.locator('.dep-edge[data-id="t4004->t4003"]:not(.dep-unrouted)').waitFor({ timeout: 60_000 });
    // From the first view (the work by itself) the whole graph comes back first: its cards come into the page in steps.
    const [dependency, dependent] = await Promise.all([
      restingBox(page.locator('.react-flow__node[data-id="t4004"]')),
      restingBox(page.locator('.react-flow__node[data-id="t4003"]')),
    ]);
    expect(dependent.x).toBeGreaterThan(dependency.x + dependency.width);
    expect(await page.locator('.graph-notice').count()).toBe(0);
    expect(errors.filter((error) => /RangeError|call stack/.test(error))).toEqual([]);
    const long = await longTasksSince(page, since);
    console.log(`10,000-task connected plan, an edit that moves cards: longest task ${long.longest} ms, ${long.over100} over 100 ms`);
    await screenshot(page, 'big-plan-edit-moves-light-1440');
    await page.close();
  }, 120_000);
});

/**
 * A 10,000-task chain with a side path: "c1 after x" moves every card of the chain (the recursion
 * that did so overflowed the page's stack: "Laying out 10,007 tasks…" for good, the edge never drawn).
 */
describe('a 10,000-task chain edited', () => {
  let chain: TestServer;
  beforeAll(async () => {
    const tasks = Array.from({ length: 10_000 }, (_, i) =>
      makeTask({ id: `c${i}`, title: `Step ${i}`, after: i > 0 ? [`c${i - 1}`] : [], status: i < 3 ? 'done' : 'open' }),
    );
    for (let k = 1; k <= 6; k++) tasks.push(makeTask({ id: `y${k}`, title: `Side ${k}`, after: [k === 1 ? 'c0' : `y${k - 1}`] }));
    tasks.push(makeTask({ id: 'x', title: 'Side task', after: ['y6'] }));
    chain = await startTestServer({ tasks });
  }, 120_000);
  afterAll(async () => {
    await chain?.close();
  });

  it('moves the whole chain after the new dependency and draws the new edge; no stack overflow, no endless "Laying out"', async () => {
    const page = await open({ width: 1440, height: 900 }, 'light', false, chain);
    const errors = collectErrors(page);
    const since = (await page.evaluate('performance.now()')) as number;
    await chain.project.call('task:addDep', { task: 'c1', dependency: 'x' });
    await page.getByRole('combobox', { name: 'Search tasks' }).fill('Side task');
    await page.getByRole('combobox', { name: 'Search tasks' }).press('Enter');
    await page.locator('.dep-edge[data-id="x->c1"]').waitFor({ timeout: 60_000 });
    await page.locator('.graph-status').waitFor({ state: 'detached', timeout: 60_000 });
    expect(errors.filter((error) => /RangeError|call stack/.test(error))).toEqual([]);
    const long = await longTasksSince(page, since);
    console.log(`10,000-task chain, an edit that moves every card: longest task ${long.longest} ms, ${long.over100} over 100 ms`);
    await page.close();
  }, 120_000);
});
