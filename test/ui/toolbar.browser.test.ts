import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mixedProject, PERSON_EXECUTOR } from '../bench/ui/plan-shapes';
import { makeTask } from '../renderer/support/fixtures';
import { launchBrowser, screenshot } from './harness';
import { startTestServer, type TestServer } from './test-server';

/**
 * The graph page's toolbar at 1024×700 (the smallest window the app is made for): two lines at
 * most, on the graph (with the work's lens said in it) and on the board, in light and dark, and
 * every control a person uses in it, visible and whole. With a task in every one of the eleven
 * states, the keyboard shortcuts button keeps its place at the end of the first line, at 1024 and 1440.
 */
let browser: Browser;
let server: TestServer;
let everyState: TestServer;

/** The mixed project, with a task in each state it has none in: eleven state chips. */
function withEveryState() {
  const tasks = mixedProject();
  const later = new Date(Date.now() + 3 * 24 * 3600_000).toISOString();
  tasks.push(
    makeTask({ id: 'review-copy', title: 'Review the onboarding copy', status: 'pending-eval' }),
    makeTask({ id: 'tune-cache', title: 'Tune the cache sizes', paused: true }),
    makeTask({ id: 'nightly-report', title: 'Nightly usage report', not_before: later }),
    makeTask({ id: 'old-importer', title: 'Port the old importer', status: 'abandoned' }),
    makeTask({ id: 'broken-step', title: 'Migrate the ledger', status: 'failed', failure_reason: 'exit 1' }),
    makeTask({ id: 'after-broken', title: 'Reconcile the ledger', after: ['broken-step'] }),
    // A failure nothing waits on: one others wait on needs the person (shared/needs-you.ts).
    makeTask({ id: 'lone-failure', title: 'Compress the old logs', status: 'failed', failure_reason: 'exit 1' }),
  );
  return tasks;
}

beforeAll(async () => {
  browser = await launchBrowser();
  server = await startTestServer(async (project) => {
    await project.call('executor:add', { name: PERSON_EXECUTOR.name, type: PERSON_EXECUTOR.type });
    await project.seed(mixedProject());
  });
  everyState = await startTestServer(async (project) => {
    await project.call('executor:add', { name: PERSON_EXECUTOR.name, type: PERSON_EXECUTOR.type });
    // The coordinator evaluates (its engine paused, it does not yet): what awaits an evaluation is evaluating, not the person's.
    await project.call('config:update', { autoEvaluate: true });
    await project.seed(withEveryState());
  });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await everyState?.close();
});

type Control = { name: string; top: number; bottom: number; right: number; visible: boolean; cut: boolean };

/** The toolbar's controls: each one's name, the top and the bottom of its box, and whether its words are cut. */
async function controls(page: Page): Promise<Control[]> {
  return (await page.evaluate(`(() => {
    const bar = document.querySelector('[role="toolbar"][aria-label="Graph filters"]');
    const right = bar.getBoundingClientRect().right;
    return [...bar.querySelectorAll('button, input, select')].map((el) => {
      const box = el.getBoundingClientRect();
      const name = el.getAttribute('aria-label') || el.textContent.trim() || el.getAttribute('placeholder') || el.tagName;
      const label = el.closest('label');
      const shown = !el.closest('[hidden]') && getComputedStyle(el).visibility !== 'hidden' && box.width > 0 && box.height > 0;
      const cut = el.tagName === 'BUTTON' && el.scrollWidth > el.clientWidth + 1;
      return { name: label && el.tagName !== 'BUTTON' ? label.textContent.trim() : name, top: Math.round(box.top), bottom: Math.round(box.bottom), right: Math.round(box.right - right), visible: shown, cut };
    });
  })()`)) as Control[];
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
          // Its failures others wait on are under needs you (shared/needs-you.ts); what they hold up is blocked.
          'needs you',
          'blocked',
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

describe('the toolbar with a task in every state', () => {
  for (const width of [1024, 1440]) {
    for (const colorScheme of ['light', 'dark'] as const) {
      it(`keeps two lines, the shortcuts button at the end of the chips' line, every chip and control whole (${width}, ${colorScheme})`, async () => {
        const page = await browser.newPage({ viewport: { width, height: width === 1024 ? 700 : 900 }, colorScheme });
        try {
          await page.goto(`${everyState.origin}/#token=${everyState.token}`);
          await page.locator('.react-flow__node .task-card').first().waitFor({ timeout: 60_000 });
          await page.getByRole('button', { name: 'Show all' }).waitFor({ timeout: 30_000 });
          // The chips in the row and those behind "+N": eleven in all.
          const inRow = await page.locator('.state-counts > .state-chip').allTextContents();
          const summary = page.locator('summary.state-more-summary');
          const more = (await summary.count()) > 0 ? Number((await summary.textContent())?.slice(1)) : 0;
          expect(inRow.length + more).toBe(11);
          // What needs a person or went wrong stays in sight.
          for (const wanted of ['needs you', 'failed', 'running', 'blocked']) expect(inRow.join(' | ')).toContain(wanted);
          const shown = (await controls(page)).filter((control) => control.visible);
          expect(lines(shown), JSON.stringify(shown)).toBeLessThanOrEqual(2);
          const help = shown.find((control) => control.name === 'Keyboard shortcuts');
          const running = shown.find((control) => /running$/.test(control.name));
          // In its place: last, on the chips' line.
          expect(shown.at(-1)?.name).toBe('Keyboard shortcuts');
          expect(Math.abs((help?.top ?? 0) - (running?.top ?? -99)), JSON.stringify(shown)).toBeLessThanOrEqual(4);
          expect(shown.filter((control) => control.right > 0 || control.cut)).toEqual([]);
          await screenshot(page, `toolbar-every-state-${width}-${colorScheme}`);

          if (more > 0) {
            // "+N" opens the rest; Escape closes it, back on "+N"; so does a click elsewhere.
            await summary.click();
            await page.locator('.state-more-list').waitFor();
            await page.keyboard.press('Escape');
            await page.locator('.state-more-list').waitFor({ state: 'detached' });
            expect(await summary.evaluate((element) => element === document.activeElement)).toBe(true);
            await summary.click();
            await page.locator('.state-more-list').waitFor();
            await page
              .locator('.page-head, .pause-banner')
              .first()
              .click({ position: { x: 5, y: 5 } });
            await page.locator('.state-more-list').waitFor({ state: 'detached' });
            // One chosen frames its tasks as a chip in the row does, and the menu closes.
            await summary.click();
            const last = page.locator('.state-more-list > .state-chip').last();
            await last.waitFor();
            expect(await page.locator('.state-more-list > .state-chip').count()).toBe(more);
            await screenshot(page, `toolbar-every-state-more-${width}-${colorScheme}`);
            const name = (await last.textContent()) ?? '';
            await last.click();
            await page.locator('.state-more-list').waitFor({ state: 'hidden' });
            // Pressed now, it takes a place in the row.
            await page.locator('.state-counts > .state-chip[aria-pressed="true"]', { hasText: name }).waitFor();
            await page.getByRole('button', { name: 'Show all' }).click();
          }

          // Focused on a task: its title whole beside the chips, the shortcuts button in its place.
          await page.getByRole('combobox', { name: 'Search tasks' }).fill('Reconcile the ledger');
          await page.getByRole('combobox', { name: 'Search tasks' }).press('Enter');
          const inspector = page.getByRole('complementary', { name: 'Task inspector' });
          await inspector.getByRole('button', { name: 'Focus', exact: true }).click();
          const chip = page.locator('.focus-chip-title');
          await chip.waitFor();
          expect(await chip.textContent()).toBe('Around Reconcile the ledger');
          expect(await chip.evaluate((element) => element.scrollWidth <= element.clientWidth)).toBe(true);
          const focused = (await controls(page)).filter((control) => control.visible);
          expect(lines(focused), JSON.stringify(focused)).toBeLessThanOrEqual(2);
          expect(focused.at(-1)?.name).toBe('Keyboard shortcuts');
          expect(focused.filter((control) => control.right > 0 || control.cut)).toEqual([]);
          await screenshot(page, `toolbar-every-state-focus-${width}-${colorScheme}`);
        } finally {
          await page.close();
        }
      }, 120_000);
    }
  }
});
