import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { fanPlan } from '../bench/ui/plan-shapes';
import { screenshot, windowOnPlan } from './harness';
import { panAround } from '../bench/ui/page-probes';
import { viewAtRest } from './page-helpers';

/**
 * A fan (1 → 5,000 → 1): its first and last task have 5,000 edges each. The page holds a bounded
 * number of edge elements wherever the view is (a hub's edges beyond the cards around the screen
 * are drawn together), the edges reaching the cards a person sees stay elements of their own
 * (focusable, deletable), and the page answers: a click on a card opens its inspector.
 */
const shared = windowOnPlan(() => fanPlan(5000));

/** Far fewer than the fan's 10,000 edges (three elements each): the edges of the cards around the screen, and a bundle's four paths. */
const BOUNDED = 1000;

const edgeElements = (page: Page) => page.evaluate(() => document.querySelectorAll('.dep-edges, .dep-edges *').length);

async function openFan(colorScheme: 'light' | 'dark'): Promise<Page> {
  const page = await shared.browser.newPage({ viewport: { width: 1440, height: 900 }, colorScheme });
  await page.goto(`${shared.server.origin}/#token=${shared.server.token}`);
  await page.locator('.react-flow__node .task-card').first().waitFor({ timeout: 90_000 });
  await page.locator('.graph-status').waitFor({ state: 'detached', timeout: 120_000 });
  return page;
}

/** Shows a task found by the search, the view at rest around it. */
async function showFound(page: Page, words: string, id: string): Promise<void> {
  const search = page.getByRole('combobox', { name: 'Search tasks' });
  await search.fill(words);
  await search.press('Enter');
  await page.keyboard.press('Escape');
  await page.locator(`.react-flow__node[data-id="${id}"]`).waitFor({ timeout: 30_000 });
  await viewAtRest(page);
}

describe('a fan of 5,000', () => {
  it.each(['light', 'dark'] as const)(
    'keeps its edge elements bounded at the first view, its first task, its last, and while panning (%s)',
    async (theme) => {
      const page = await openFan(theme);
      await viewAtRest(page);
      const counts: Record<string, number> = { 'first view': await edgeElements(page) };
      await screenshot(page, `fan-first-view-${theme}`);

      await showFound(page, 'Split the archive', 'split');
      counts.split = await edgeElements(page);
      // The hub's edges are drawn (bundled) and those to the parts on screen are their own elements.
      expect(await page.locator('.dep-bundle').count()).toBe(1);
      // Its lines are in the page, cut in background slices after the cards came (use-bundle-bands.ts).
      await page.waitForFunction(() =>
        [...document.querySelectorAll('.dep-bundle path')].some((path) => (path.getAttribute('d') ?? '') !== ''),
      );
      const parts = await page.evaluate(() =>
        [...document.querySelectorAll<HTMLElement>('.react-flow__node')]
          .map((n) => n.dataset.id ?? '')
          .filter((id) => id.startsWith('part-')),
      );
      expect(parts.length).toBeGreaterThan(0);
      for (const part of parts.slice(0, 5)) expect(await page.locator(`.dep-edge[data-id="split->${part}"]`).count(), part).toBe(1);
      await screenshot(page, `fan-split-${theme}`);

      await panAround(page);
      await viewAtRest(page);
      counts['after panning'] = await edgeElements(page);

      await showFound(page, 'Join the converted', 'join');
      counts.join = await edgeElements(page);
      await screenshot(page, `fan-join-${theme}`);

      console.log(`fan (${theme}): edge elements in the page ${JSON.stringify(counts)}`);
      for (const [where, count] of Object.entries(counts)) expect(count, where).toBeLessThan(BOUNDED);
      await page.close();
    },
    240_000,
  );

  it('answers: a click on a part opens its inspector, and its edge can be focused and selected from the keyboard', async () => {
    const page = await openFan('light');
    await showFound(page, 'Convert file 2500 of', 'part-2500');
    await page.locator('.react-flow__node[data-id="part-2500"] .task-card').click();
    const inspector = page.getByRole('complementary', { name: 'Task inspector' });
    await expect
      .poll(() => inspector.getByRole('heading', { level: 2 }).textContent(), { timeout: 15_000 })
      .toBe('Convert file 2500 of the archive');
    const edge = page.locator('.dep-edge[data-id="part-2500->join"]');
    await edge.waitFor({ state: 'attached', timeout: 15_000 });
    await edge.focus();
    await page.keyboard.press('Enter');
    await page.locator('.dep-edge.selected[data-id="part-2500->join"]').waitFor({ state: 'attached' });
    await page.close();
  }, 240_000);
});
