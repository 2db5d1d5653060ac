import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeAgent, makeTask } from '../renderer/support/fixtures';
import { launchBrowser, screenshot } from './harness';
import { goTo } from './page-helpers';
import { startTestServer, type TestServer } from './test-server';

/**
 * Review finding: a button disabled while its action runs lost the keyboard's focus for good in Chromium, which
 * blurs a control the moment it is disabled (happy-dom does not, so the unit tests of the Stop dialog passed): Escape
 * in the Agents page's Stop dialog, or Enter on the Service page's Pause, left the focus on <body>, and the next Tab
 * started again at the top of the window.
 */
let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  server = await startTestServer({
    tasks: [makeTask({ id: 'build', title: 'Build the site', status: 'in-progress', assigned: 'agent-1' })],
    agents: [makeAgent({ id: 'agent-1', task_id: 'build', started_at: new Date().toISOString() })],
  });
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** What has the focus, as a person's screen reader would name it. */
const focused = (page: Page) =>
  page.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? document.activeElement?.textContent ?? '');

describe('a button busy with its action keeps the focus', () => {
  for (const scheme of ['light', 'dark'] as const) {
    it(`Escape in the Agents page's Stop dialog gives the focus back to Stop… (${scheme})`, async () => {
      const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, colorScheme: scheme });
      await page.goto(server.url);
      await page.locator('.react-flow').waitFor();
      await goTo(page, 'Agents');
      const stop = page.getByRole('button', { name: 'Stop agent-1…' });
      await stop.focus();
      await page.keyboard.press('Enter');
      const dialog = page.getByRole('dialog', { name: 'Stop agent-1?' });
      await dialog.waitFor();
      await screenshot(page, `busy-focus-stop-dialog-${scheme}`);
      await page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'detached' });
      await expect.poll(() => focused(page)).toBe('Stop agent-1…');
      await screenshot(page, `busy-focus-stop-cancelled-${scheme}`);
      await page.close();
    });
  }

  it('Enter on the Service page’s Pause leaves the focus on it (now Resume)', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(server.url);
    await page.locator('.react-flow').waitFor();
    await goTo(page, 'Service');
    const toggle = page.locator('.page-head button');
    await toggle.waitFor();
    const before = (await toggle.textContent()) ?? '';
    await toggle.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => toggle.textContent()).not.toBe(before);
    await expect.poll(() => focused(page)).toBe(before === 'Pause' ? 'Resume' : 'Pause');
    await page.close();
  });
});
