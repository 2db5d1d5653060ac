import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { Task } from '../../src/shared/task';
import { makeTask } from '../renderer/support/fixtures';
import { EXAMPLE_TASKS } from './example-project';
import { screenshot, windowOnPlan } from './harness';
import { cutOrCovered, overviewFrame, recordOverviewFrame, type ScreenRect, viewAtRest } from './page-helpers';

/**
 * Issue 29: "Fit crops 31 tasks; All cuts titles to 'Write the…'". On the 35-task plan (the 26-task
 * example and nine more), Fit shows every task whole on the canvas, clear of the view controls and
 * the overview map, at 1440×900 and 1024×700; where the cards are drawn compact, each title is
 * written whole when its card has room for it, never cut to its first words.
 */
const EXTRA = [
  ['api-docs', 'Write the API reference', 'api-invoices'],
  ['sdk', 'Publish the JS SDK', 'api-docs'],
  ['refunds', 'Refund flow', 'api-payments'],
  ['emails', 'Receipt emails', 'ui-receipts'],
  ['metrics', 'Billing metrics dashboard', 'release'],
  ['support', 'Train the support team', 'beta'],
  ['pricing', 'Pricing page copy', 'spec'],
  ['legal', 'Terms of service update', 'pricing'],
  ['faq', 'Billing FAQ', 'legal'],
] as const;
const DONE = new Set(['spec', 'schema', 'migrations', 'ui-shell', 'currency', 'feature-flag']);
const started = new Date(Date.now() - 60_000).toISOString();
const plan: Task[] = [
  ...EXAMPLE_TASKS.map(({ id, title, after }) =>
    makeTask({
      id,
      title,
      after: after ?? [],
      status: DONE.has(id) ? 'done' : id === 'tax' ? 'failed' : id.startsWith('api-') ? 'in-progress' : 'open',
      started_at: id.startsWith('api-') ? started : null,
    }),
  ),
  ...EXTRA.map(([id, title, after]) => makeTask({ id, title, after: [after] })),
];

const shared = windowOnPlan(() => plan);

/** Every card's box on screen: the cards in the page at card zoom, else those the canvas drew. */
async function cardBoxes(page: Page): Promise<{ level: string; boxes: ScreenRect[]; texts: string[] }> {
  const level = (await page.locator('.graph-flow').getAttribute('data-level')) ?? '';
  if (level === 'cards') {
    const boxes = await page.locator('.react-flow__node').evaluateAll((nodes) =>
      nodes.map((node) => {
        const r = node.getBoundingClientRect();
        return { x: r.x, y: r.y, width: r.width, height: r.height };
      }),
    );
    return { level, boxes, texts: [] };
  }
  const frame = await overviewFrame(page);
  return { level, boxes: frame.filled, texts: frame.texts };
}

describe('Fit on the 35-task plan', () => {
  it.each([
    [{ width: 1440, height: 900 }, 'light'],
    [{ width: 1024, height: 700 }, 'dark'],
    [{ width: 1440, height: 900 }, 'dark'],
    [{ width: 1024, height: 700 }, 'light'],
  ] as const)(
    'shows every task whole, clear of the panels, at %o (%s)',
    async (size, theme) => {
      const page = await shared.browser.newPage({ viewport: size, colorScheme: theme });
      await page.addInitScript(recordOverviewFrame, { width: 232, height: 96 });
      await page.goto(`${shared.server.origin}/#token=${shared.server.token}`);
      await page.locator('.react-flow__node .task-card').first().waitFor({ timeout: 30_000 });
      await page.getByRole('button', { name: 'Fit view' }).click();
      await viewAtRest(page);
      await screenshot(page, `fit-35-${theme}-${size.width}`);
      const { level, boxes, texts } = await cardBoxes(page);
      expect(boxes).toHaveLength(plan.length);
      expect(await cutOrCovered(page, boxes)).toEqual([]);
      // Titles where the compact cards hold them: whole, not "Write the…"; at 1440×900 every one is written.
      if (level === 'compact') {
        expect(texts.filter((text) => text.endsWith('…'))).toEqual([]);
        const words = new Set(texts.join(' ').split(/\s+/));
        const missing = size.width === 1440 ? plan.filter((task) => task.title.split(' ').some((word) => !words.has(word))) : [];
        expect(missing.map((task) => task.title)).toEqual([]);
      }
      await page.close();
    },
    60_000,
  );
});
