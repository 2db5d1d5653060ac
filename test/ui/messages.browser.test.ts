import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
  await server?.call('agent:kill', { all: true }).catch(() => undefined);
  await browser?.close();
  await server?.stop();
  rmSync(signals, { recursive: true, force: true });
});

/** Where the test tells the shell run below to go on (a file it waits for). */
const signals = mkdtempSync(join(tmpdir(), 'wg-ui-messages-'));

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

describe('a message to a shell run (issue 38: it promised "when it next checks" and stayed "not read yet")', () => {
  it('promises delivery when the run next runs wg log or wg msg read, and says read once its wg log has', async () => {
    const go = join(signals, 'go');
    // A shell command that logs once it is told to, as a script reports progress, then keeps running.
    await server.call('task:add', {
      title: 'Nightly export',
      id: 'export',
      executor: 'shell',
      exec: `until [ -e '${go}' ]; do sleep 0.2; done; "$WG_BIN" log "$WG_TASK_ID" 'halfway through'; sleep 300`,
    });
    await expect.poll(async () => (await server.call('task:show', { id: 'export' })).status, { timeout: 60_000 }).toBe('in-progress');
    await page.getByRole('combobox', { name: 'Search tasks' }).fill('Nightly export');
    // The window learns of the new task a moment after the store has it: Enter opens the match once it is offered.
    await page.getByRole('option', { name: /Nightly export/ }).waitFor();
    await page.getByRole('combobox', { name: 'Search tasks' }).press('Enter');
    const messages = page.getByRole('region', { name: 'Messages' });
    await expect
      .poll(() => messages.locator('.message-reach').textContent(), { timeout: 30_000 })
      .toBe('Delivered when it next runs wg log or wg msg read');
    const box = messages.getByRole('textbox', { name: 'Message to export' });
    await box.fill('Skip the archived projects');
    await box.press('Control+Enter');
    const sent = messages.locator('.message', { hasText: 'Skip the archived projects' });
    await expect.poll(() => sent.locator('.message-status').textContent(), { timeout: 20_000 }).toBe('not read yet');
    await screenshot(page, 'message-to-shell-run-sent-light');
    // The run logs: its wg log hands it the message (upstream's run_add), and the window says so.
    writeFileSync(go, '');
    await expect.poll(() => sent.locator('.message-status').textContent(), { timeout: 60_000 }).toBe('read by the agent');
    const stored = await server.call('msg:list', { task: 'export' });
    expect(stored.find((m) => m.body === 'Skip the archived projects')?.status).toBe('read');
    await screenshot(page, 'message-to-shell-run-read-light');
    await closeInspector(page);
  }, 120_000);
});
