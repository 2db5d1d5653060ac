import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bigGraph } from '../bench/ui/big-graph';
import { launchBrowser } from './harness';
import { startTestServer, type TestServer } from './test-server';

/**
 * The first picture of a graph bigger than the screen, in Chromium: only the cards on screen are
 * built for it (they appear sooner), and the cards around the screen follow at once.
 */
let server: TestServer;
let browser: Browser;
let page: Page;

/** In the page (a function's source): how many of `cards` lie wholly outside the canvas. */
const OUTSIDE = `((cards) => {
  const pane = document.querySelector('.react-flow').getBoundingClientRect();
  return [...cards].filter((card) => {
    const r = card.getBoundingClientRect();
    return r.right <= pane.left || r.left >= pane.right || r.bottom <= pane.top || r.top >= pane.bottom;
  }).length;
})`;

/** Records, when the first cards enter the page, how many there are and how many lie outside the canvas. */
const FIRST_PICTURE = `
  new MutationObserver((_, observer) => {
    const cards = document.querySelectorAll('.react-flow__node-task');
    if (cards.length === 0) return;
    observer.disconnect();
    window.__wgFirstPicture = { cards: cards.length, outside: ${OUTSIDE}(cards) };
  }).observe(document, { childList: true, subtree: true });
`;

beforeAll(async () => {
  // Nothing running: what is ready next (more than a screen holds) is framed where it lies in the
  // graph, the picture this test is about (running tasks few enough for one screen are shown by themselves).
  server = await startTestServer({
    tasks: bigGraph(400).map((task) => (task.status === 'in-progress' ? { ...task, status: 'open' as const, started_at: null } : task)),
  });
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  await page.addInitScript({ content: FIRST_PICTURE });
  await page.goto(`${server.origin}/#token=${server.token}`);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('the first picture of a 400-task graph', () => {
  it('builds only the cards on screen, then those around it', async () => {
    await expect.poll(() => page.evaluate('window.__wgFirstPicture !== undefined'), { timeout: 60_000 }).toBe(true);
    const first = (await page.evaluate('window.__wgFirstPicture')) as { cards: number; outside: number };
    expect(first.cards).toBeGreaterThan(10);
    expect(first.outside).toBe(0);
    // Then the cards just beyond the screen are in the page too, ready to be panned to.
    await expect
      .poll(() => page.evaluate(`${OUTSIDE}(document.querySelectorAll('.react-flow__node-task'))`), { timeout: 10_000 })
      .toBeGreaterThan(0);
  });
});
