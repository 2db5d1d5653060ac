import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mixedProject, PERSON_EXECUTOR } from '../bench/ui/plan-shapes';
import type { Workgraph } from '../renderer/support/workgraph';
import { launchBrowser, screenshot } from './harness';
import { card, cardState } from './page-helpers';
import { startTestServer, type TestServer } from './test-server';

/**
 * Issue 38 item 5, words that are true, on the 200-task project shaped like an upstream import: no
 * escape code in a reason on a card, a toast or the inspector; a task held by a failure is blocked,
 * in the failed colour family and counted apart from waiting; a score coloured by the project's
 * evaluation threshold; dates in the person's locale; the New task dialog whole at 1024×700.
 */
let browser: Browser;
let server: TestServer;
let project: Workgraph;

beforeAll(async () => {
  server = await startTestServer(async (opened) => {
    await opened.call('executor:add', { name: PERSON_EXECUTOR.name, type: PERSON_EXECUTOR.type });
    await opened.seed(mixedProject());
  });
  project = server.project;
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function open(size = { width: 1440, height: 900 }, colorScheme: 'light' | 'dark' = 'light', locale?: string): Promise<Page> {
  const page = await browser.newPage({ viewport: size, colorScheme, locale });
  await page.goto(`${server.origin}/#token=${server.token}`);
  await page.locator('.react-flow__node .task-card').first().waitFor({ timeout: 60_000 });
  return page;
}

/** The text the page shows a person, less the terminal view's (where colour codes are drawn as colours). */
const shownText = (page: Page) => page.evaluate(() => document.body.innerText);

describe('words that are true', () => {
  it.each([
    ['light', { width: 1440, height: 900 }],
    ['dark', { width: 1024, height: 700 }],
  ] as const)(
    'says failures without escape codes on cards, in the inspector and in a toast (%s)',
    async (theme, size) => {
      const page = await open(size, theme);
      // Tasks wait on it: it needs the person (shared/needs-you.ts), its reason beside that.
      await expect
        .poll(() => cardState(page, 'audit-log'))
        .toMatch(/^failed; \d+ tasks? waits? on it: POST \/audit\/events returned 404 \(expected 201\)$/);
      await card(page, 'i18n-settings').click();
      const inspector = page.getByRole('complementary', { name: 'Task inspector' });
      await expect.poll(() => inspector.textContent()).toContain('exit code 1: warning: 14 strings untranslated');
      // A task that fails while the window is open: its toast says why in words.
      await project.update('exports', {
        status: 'failed',
        failure_reason: 'exit code 2: \u001b[1m\u001b[31mE2BIG\u001b[0m argument list too long',
      });
      const toast = page.getByRole('status').filter({ hasText: 'Task failed: CSV and PDF exports' });
      await expect.poll(() => toast.textContent(), { timeout: 20_000 }).toContain('exit code 2: E2BIG argument list too long');
      const text = await shownText(page);
      expect(text.includes('\u001b')).toBe(false);
      expect(text).not.toMatch(/\[\d+(;\d+)*m/);
      await screenshot(page, `true-words-failures-${theme}-${size.width}`);
      await project.update('exports', { status: 'in-progress', failure_reason: null });
      await page.close();
    },
    120_000,
  );

  it('shows a task held by a failure as blocked, in the failed colour family, counted apart from waiting', async () => {
    const page = await open({ width: 1440, height: 900 }, 'light');
    // The review follows the failed Internationalise task.
    await page.getByRole('combobox', { name: 'Search tasks' }).fill('Internationalisation review');
    await page.getByRole('combobox', { name: 'Search tasks' }).press('Enter');
    await expect.poll(() => cardState(page, 'qa-i18n'), { timeout: 20_000 }).toBe('blocked by failed Internationalise the settings page');
    expect(await card(page, 'qa-i18n').getAttribute('data-state')).toBe('blocked');
    const colours = await page.evaluate(() => {
      const style = getComputedStyle(document.documentElement);
      const rgb = (value: string) => {
        const probe = document.createElement('div');
        probe.style.color = value;
        document.body.append(probe);
        const computed = getComputedStyle(probe).color;
        probe.remove();
        return computed.match(/\d+/g)?.slice(0, 3).map(Number) ?? [];
      };
      const border = getComputedStyle(document.querySelector('.react-flow__node[data-id="qa-i18n"] .task-card') as Element)
        .borderLeftColor.match(/\d+/g)
        ?.slice(0, 3)
        .map(Number);
      return { border, blocked: rgb(style.getPropertyValue('--state-blocked')), waiting: rgb(style.getPropertyValue('--state-waiting')) };
    });
    expect(colours.border).toEqual(colours.blocked);
    // Red leads: the failed family, not the grey of waiting.
    const [r = 0, g = 0, b = 0] = colours.blocked;
    expect(r).toBeGreaterThan(g + 40);
    expect(r).toBeGreaterThan(b + 20);
    expect(colours.blocked).not.toEqual(colours.waiting);
    const chips = page.getByRole('group', { name: 'Show tasks by state' });
    // The plan's own tasks (upstream's system tasks behind the failures are folded away with them).
    expect(await chips.getByRole('button', { name: / blocked$/ }).textContent()).toBe('1 blocked');
    expect(await chips.getByRole('button', { name: / waiting$/ }).textContent()).toBe('27 waiting');
    await page.close();
  }, 120_000);

  it('colours scores by the evaluation threshold: a passing 78% green, a failing 55% red', async () => {
    const page = await open({ width: 1440, height: 900 }, 'light');
    await page.getByRole('combobox', { name: 'Search tasks' }).fill('Write the migrations');
    await page.getByRole('combobox', { name: 'Search tasks' }).press('Enter');
    const passing = card(page, 'migrations').locator('.badge-eval');
    await expect.poll(() => passing.textContent(), { timeout: 20_000 }).toBe('78%');
    expect(await passing.getAttribute('data-passes')).toBe('true');
    expect(await passing.getAttribute('style')).toContain('var(--state-done)');
    await page.getByRole('combobox', { name: 'Search tasks' }).fill('Sketch the settings');
    await page.getByRole('combobox', { name: 'Search tasks' }).press('Enter');
    const failing = card(page, 'design-ui').locator('.badge-eval');
    await expect.poll(() => failing.textContent(), { timeout: 20_000 }).toBe('55%');
    expect(await failing.getAttribute('style')).toContain('var(--state-failed)');
    await screenshot(page, 'true-words-scores-light-1440');
    await page.close();
  }, 120_000);

  it('writes dates in the person’s locale', async () => {
    const page = await open({ width: 1440, height: 900 }, 'light', 'de-DE');
    await page.getByRole('combobox', { name: 'Search tasks' }).fill('Write the migrations');
    await page.getByRole('combobox', { name: 'Search tasks' }).press('Enter');
    const inspector = page.getByRole('complementary', { name: 'Task inspector' });
    const evaluated = inspector.locator('.evaluation-by');
    // "by reviewer · 02.06.2025, 09:00" (German: day first, dots, a 24-hour clock; not "Jun 2, 2025, 9:00 AM").
    await expect.poll(() => evaluated.textContent(), { timeout: 20_000 }).toMatch(/\d{2}\.\d{2}\.\d{4}, \d{2}:\d{2}$/);
    const relative = await inspector.locator('time').first().textContent();
    expect(relative).toMatch(/^vor |^gerade/);
    await page.close();
  }, 120_000);

  it('fits the New task dialog in a 1024×700 window: its Create button in reach', async () => {
    const page = await open({ width: 1024, height: 700 }, 'dark');
    await page.getByRole('button', { name: /New task/ }).click();
    const create = page.getByRole('button', { name: 'Create task' });
    await create.waitFor();
    const box = await create.boundingBox();
    expect(box && box.y + box.height <= 700 && box.y >= 0).toBe(true);
    // Clickable where it is, nothing over it.
    const covered = await create.evaluate((button) => {
      const r = button.getBoundingClientRect();
      return document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2) !== button;
    });
    expect(covered).toBe(false);
    await screenshot(page, 'new-task-dark-1024');
    await page.keyboard.press('Escape');
    await page.close();
  }, 120_000);
});
