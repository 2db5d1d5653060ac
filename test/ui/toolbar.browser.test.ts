import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mixedProject, PERSON_EXECUTOR } from '../bench/ui/plan-shapes';
import { launchBrowser, screenshot } from './harness';
import { startTestServer, type TestServer } from './test-server';

/**
 * The graph page's toolbar at 1024×700 (the smallest window the app is made for): two lines at
 * most, on the graph (with the work's lens said in it) and on the board, in light and dark, and
 * every control a person uses in it, visible and whole.
 */
let browser: Browser;
let server: TestServer;

beforeAll(async () => {
  browser = await launchBrowser();
  server = await startTestServer(async (project) => {
    await project.call('executor:add', { name: PERSON_EXECUTOR.name, type: PERSON_EXECUTOR.type });
    project.seed(mixedProject());
  });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** The toolbar's controls: each one's name, and the top and the bottom of its box. */
async function controls(page: Page): Promise<Array<{ name: string; top: number; bottom: number; right: number; visible: boolean }>> {
  return (await page.evaluate(`(() => {
    const bar = document.querySelector('[role="toolbar"][aria-label="Graph filters"]');
    const right = bar.getBoundingClientRect().right;
    return [...bar.querySelectorAll('button, input, select')].map((el) => {
      const box = el.getBoundingClientRect();
      const name = el.getAttribute('aria-label') || el.textContent.trim() || el.getAttribute('placeholder') || el.tagName;
      const label = el.closest('label');
      const shown = !el.closest('[hidden]') && getComputedStyle(el).visibility !== 'hidden' && box.width > 0 && box.height > 0;
      return { name: label && el.tagName !== 'BUTTON' ? label.textContent.trim() : name, top: Math.round(box.top), bottom: Math.round(box.bottom), right: Math.round(box.right - right), visible: shown };
    });
  })()`)) as Array<{ name: string; top: number; bottom: number; right: number; visible: boolean }>;
}

/** How many lines the boxes lie on: a box starting below every line so far starts a new one. */
function lines(boxes: ReadonlyArray<{ top: number; bottom: number }>): number {
  const sorted = [...boxes].sort((a, b) => a.top - b.top);
  let count = 0;
  let bottom = -Infinity;
  for (const box of sorted) {
    if (box.top >= bottom - 2) {
      count++;
      bottom = box.bottom;
    } else bottom = Math.max(bottom, box.bottom);
  }
  return count;
}

describe('the toolbar at 1024×700', () => {
  for (const colorScheme of ['light', 'dark'] as const) {
    it(`is two lines at most, on the graph and on the board, every control whole in it (${colorScheme})`, async () => {
      const page = await browser.newPage({ viewport: { width: 1024, height: 700 }, colorScheme });
      try {
        await page.goto(`${server.origin}/#token=${server.token}`);
        await page.locator('.react-flow__node .task-card').first().waitFor({ timeout: 60_000 });
        // The first view shows the work by itself: the toolbar says so, with Show all.
        await page.getByRole('button', { name: 'Show all' }).waitFor({ timeout: 30_000 });
        const graph = (await controls(page)).filter((control) => control.visible);
        const names = graph.map((control) => control.name).join(' | ');
        for (const wanted of [
          'Graph view',
          'Board',
          '+ New task',
          'Search tasks',
          'Filter by tag',
          'Group',
          'Hide finished',
          'Archived',
          'running',
          'failed',
          'Show all',
          'Keyboard shortcuts',
        ])
          expect(names, names).toContain(wanted);
        expect(lines(graph), JSON.stringify(graph)).toBeLessThanOrEqual(2);
        // Nothing runs off the toolbar's right edge.
        expect(graph.filter((control) => control.right > 0)).toEqual([]);
        await screenshot(page, `toolbar-1024-graph-${colorScheme}`);

        await page.getByRole('button', { name: 'Board', exact: true }).click();
        await page.locator('.board-column').first().waitFor({ timeout: 30_000 });
        const board = (await controls(page)).filter((control) => control.visible);
        expect(lines(board), JSON.stringify(board)).toBeLessThanOrEqual(2);
        expect(board.filter((control) => control.right > 0)).toEqual([]);
        await screenshot(page, `toolbar-1024-board-${colorScheme}`);
      } finally {
        await page.close();
      }
    }, 120_000);
  }
});
