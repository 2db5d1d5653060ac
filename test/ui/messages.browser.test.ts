import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openApp, screenshot, startBrowserModeServer, type BrowserModeServer } from './harness';
import { card, closeInspector } from './page-helpers';
import { seedProject } from './seed';

/** The inspector's message box in Chromium against the daemon: what a person types is stored as `wg msg send` stores it. */
let server: BrowserModeServer;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  server = await startBrowserModeServer();
  await seedProject(server);
  await server.call('msg:send', { task: 'api', message: 'Keep the endpoints under /v2', from: 'coordinator' });
  browser = await launchBrowser();
  page = (await openApp(browser, server.url)).page;
  await card(page, 'api').waitFor();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('messages in the task inspector', () => {
  it('lists the task’s messages and sends one with Ctrl+Enter, in light and dark', async () => {
    await card(page, 'api').click();
    const messages = page.getByRole('region', { name: 'Messages' });
    await messages.getByText('Keep the endpoints under /v2').waitFor();
    const box = messages.getByRole('textbox', { name: 'Message to api' });
    await box.fill('Use the existing auth helper in src/auth.ts');
    await messages.getByRole('checkbox', { name: 'Urgent' }).check();
    await box.press('Control+Enter');
    await messages.getByText('Use the existing auth helper in src/auth.ts').waitFor();
    // Cleared once the send and the window's refresh are over (the list may show it a moment before).
    await expect.poll(() => box.inputValue()).toBe('');
    const stored = await server.call('msg:list', { task: 'api' });
    expect(stored.map((m) => [m.id, m.sender, m.body, m.priority])).toEqual([
      [1, 'coordinator', 'Keep the endpoints under /v2', 'normal'],
      [2, 'user', 'Use the existing auth helper in src/auth.ts', 'urgent'],
    ]);
    await messages.scrollIntoViewIfNeeded();
    await screenshot(page, 'inspector-messages-light');
    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshot(page, 'inspector-messages-dark');
    await closeInspector(page);
  });
});
