import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ArchivedTask } from '../../src/shared/cleanup';
import { Store } from '../../src/core/store/store';
import { DaemonProject } from '../service/helpers/daemon-project';
import { recordRun } from '../helpers/recorded-runs';
import { launchBrowser, screenshot } from './harness';
import { axeFindings, card, goTo } from './page-helpers';

/**
 * The Spend page (`wg spend` in the window: totals, cost by day and by model, the costliest tasks)
 * and the graph's Archived panel (`wg archive`: the archived tasks shown, archived from the window with
 * Undo, restored), against a real coordinator whose runs' costs are in its graph.db.
 */
let p: DaemonProject;
let url = '';
let browser: Browser;
const DAY = 86_400_000;
const today = new Date().toISOString().slice(0, 10);
const at = (daysAgo: number, hour: number) => {
  const d = new Date(Date.now() - daysAgo * DAY);
  d.setUTCHours(hour, 0, 0, 0);
  return d.toISOString();
};

beforeAll(async () => {
  p = new DaemonProject('wg-ui-spend-');
  await p.init();
  // Nothing starts by itself: the runs below are recorded, not run.
  await p.ok(['config', '--executor', 'manual']);
  await p.ok(['add', 'Design the schema', '--id', 'design']);
  await p.ok(['add', 'Build the API', '--id', 'api', '--after', 'design']);
  await p.ok(['add', 'Write the UI', '--id', 'ui', '--after', 'api']);
  await p.ok(['add', 'Spike on caching', '--id', 'spike']);
  for (const id of ['design', 'api']) {
    await p.ok(['claim', id, '--agent', 'someone']);
    await p.ok(['done', id]);
  }
  await p.ok(['abandon', 'spike']);
  const store = await Store.open(p.paths.db);
  await recordRun(store, {
    task: 'design',
    model: 'sonnet',
    startedAt: at(3, 9),
    endedAt: at(3, 10),
    cost: 0.84,
    tokensIn: 41000,
    tokensOut: 6200,
  });
  await recordRun(store, {
    task: 'api',
    model: 'opus',
    startedAt: at(1, 14),
    endedAt: at(1, 15),
    cost: 2.1,
    tokensIn: 88000,
    tokensOut: 12000,
  });
  await recordRun(store, {
    task: 'api',
    model: 'haiku',
    purpose: 'evaluate',
    startedAt: at(0, 0),
    endedAt: at(0, 0),
    cost: 0.02,
    tokensIn: 5200,
    tokensOut: 400,
  });
  await recordRun(store, {
    task: 'ui',
    model: 'sonnet',
    startedAt: at(0, 0),
    endedAt: at(0, 0),
    cost: 0.31,
    tokensIn: 16000,
    tokensOut: 2500,
  });
  await store.close();
  url = (await p.start()).url ?? '';
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await p?.remove();
});

async function open(colorScheme: 'light' | 'dark'): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, colorScheme, bypassCSP: true });
  await page.goto(url);
  await card(page, 'ui').waitFor({ timeout: 60_000 });
  return page;
}

describe('the Spend page', () => {
  it('shows the totals, a bar for each day with spend, the models by cost and the costliest tasks, in light and dark', async () => {
    for (const theme of ['light', 'dark'] as const) {
      const page = await open(theme);
      await goTo(page, 'Spend');
      const totals = page.getByRole('definition');
      await expect.poll(() => totals.first().textContent()).toBe('$3.27');
      expect(await page.locator('.spend-totals').textContent()).toContain('Runs with usage4');
      const bar = page.locator(`rect.chart-bar[data-date="${today}"]`);
      expect(Number(await bar.getAttribute('height'))).toBeGreaterThan(0);
      expect(await bar.locator('title').textContent()).toBe(`${today}: $0.33, 2 tasks, 2 runs`);
      expect(Number(await page.locator(`rect.chart-bar[data-date="${at(2, 0).slice(0, 10)}"]`).getAttribute('height'))).toBe(0);
      const models = page.getByRole('list', { name: 'Cost by model' }).locator('.model-bar-name');
      expect(await models.allTextContents()).toEqual(['opus', 'sonnet', 'haiku']);
      const tasks = page.getByRole('table', { name: 'Costliest tasks' });
      expect(await tasks.locator('tbody tr td:first-child').allTextContents()).toEqual([
        'Build the API',
        'Design the schema',
        'Write the UI',
      ]);
      expect(await axeFindings(page)).toEqual([]);
      await screenshot(page, `spend-page-${theme}`);
      // A task's name leads to it in the graph.
      await tasks.getByRole('button', { name: 'Write the UI' }).click();
      await page.getByRole('complementary', { name: 'Task inspector' }).waitFor();
      await page.close();
    }
  }, 120_000);

  it("keeps the chart's labels readable in a window 1024 px wide (not 6 px, scaled down with the chart)", async () => {
    const page = await browser.newPage({ viewport: { width: 1024, height: 768 } });
    await page.goto(url);
    await card(page, 'ui').waitFor({ timeout: 60_000 });
    await goTo(page, 'Spend');
    await page.locator('.spend-chart text.chart-axis').first().waitFor();
    const heights = await page
      .locator('.spend-chart text.chart-axis')
      .evaluateAll((labels) => labels.map((l) => l.getBoundingClientRect().height));
    expect(heights.length).toBeGreaterThan(2);
    for (const height of heights) expect(height).toBeGreaterThanOrEqual(10);
    await screenshot(page, 'spend-page-1024');
    await page.close();
  });
});

describe('archived tasks in the graph', () => {
  it('archives finished work from the window (with Undo), shows it in the Archived panel, and restores a task', async () => {
    const page = await open('light');
    const toggle = page.getByRole('button', { name: /^Archived/ });
    expect(await toggle.getAttribute('aria-pressed')).toBe('false');
    await toggle.click();
    const panel = page.getByRole('complementary', { name: 'Archived tasks' });
    await panel.getByText('No archived tasks.').waitFor();
    await panel.getByRole('button', { name: 'Archive finished tasks…' }).click();
    const dialog = page.getByRole('dialog');
    // design (api after it is done) and the abandoned spike; api stays: ui after it is open.
    await dialog.getByText('Archive 2 finished tasks?').waitFor();
    await dialog.getByRole('button', { name: 'Archive' }).click();
    await page.getByText('Archived 2 tasks').waitFor();
    await panel.locator('[data-task="design"]').waitFor();
    await panel.locator('[data-task="spike"]').waitFor();
    await expect.poll(() => card(page, 'design').count()).toBe(0);
    expect(await toggle.textContent()).toBe('Archived (2)');
    // The graph moved clear of the panel when it opened: no card lies under it.
    const panelLeft = (await panel.boundingBox())?.x ?? 0;
    const rightmostCard = () =>
      page.locator('.react-flow__node').evaluateAll((nodes) => Math.max(...nodes.map((n) => n.getBoundingClientRect().right)));
    await expect.poll(rightmostCard).toBeLessThanOrEqual(panelLeft);
    const listed = await p.json<ArchivedTask[]>(['archive', '--list']);
    expect(listed.map((t) => t.id).sort()).toEqual(['design', 'spike']);
    await screenshot(page, 'archived-panel-light');
    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshot(page, 'archived-panel-dark');
    await page.emulateMedia({ colorScheme: 'light' });

    await panel.getByRole('searchbox', { name: 'Search archived tasks' }).fill('schema');
    await expect.poll(() => panel.locator('.archived-item').count()).toBe(1);
    await panel.locator('[data-task="design"]').getByRole('button', { name: 'Restore', exact: true }).click();
    await card(page, 'design').waitFor();
    expect((await p.task('design')).status).toBe('done');
    expect((await p.json<ArchivedTask[]>(['archive', '--list'])).map((t) => t.id)).toEqual(['spike']);
    // Escape closes the panel; the toggle says so.
    await page.keyboard.press('Escape');
    await expect.poll(() => panel.count()).toBe(0);
    expect(await toggle.getAttribute('aria-pressed')).toBe('false');
    await page.close();
  }, 120_000);
});
