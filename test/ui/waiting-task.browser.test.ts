import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openApp, screenshot, startBrowserModeServer, type BrowserModeServer } from './harness';
import { card, cardState, closeInspector } from './page-helpers';
import { seedProject } from './seed';

/** A task parked by `wg wait`: the window says what it waits for, in words, on its card and in the inspector. */
let server: BrowserModeServer;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  server = await startBrowserModeServer();
  await seedProject(server);
  // Held by someone outside (no run of ours), then parked until the UI is written or a person answers.
  await server.call('task:claim', { id: 'docs', agent: 'writer', force: true });
  await server.call('task:wait', { id: 'docs', until: 'task:ui=done|human-input', checkpoint: 'Outline written' });
  browser = await launchBrowser();
  page = (await openApp(browser, server.url)).page;
  await card(page, 'docs').waitFor();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('a parked task in the window', () => {
  it('says its condition in words, in light and dark', async () => {
    // A reply releases it: it needs the person (shared/needs-you.ts), and its whole condition is said beside that.
    const words = "waiting until 'ui' is done or a person sends it a message";
    await expect.poll(() => cardState(page, 'docs')).toBe(`waits for your reply: ${words}`);
    await card(page, 'docs').click();
    await page.getByText(words).first().waitFor();
    await screenshot(page, 'waiting-task-light');
    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshot(page, 'waiting-task-dark');
    await closeInspector(page);
  });
});
