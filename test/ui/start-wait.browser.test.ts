import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openApp, screenshot, startBrowserModeServer, type BrowserModeServer } from './harness';
import { axeFindings, card, cardState } from './page-helpers';

/*
 * A first run on a machine without the agent CLI: the ready task does not fail, and the window says over the graph what
 * it waits for and what to do, until the CLI is there; then the task starts by itself and the note goes.
 */
let server: BrowserModeServer;
let browser: Browser;
let page: Page;
let bin: string;
let claude: string;
let before: string | undefined;

beforeAll(async () => {
  bin = mkdtempSync(join(tmpdir(), 'wg-ui-start-wait-'));
  claude = join(bin, 'claude');
  // Where the coordinator is told Claude Code is (nothing there yet): npm test's PATH has the real one.
  before = process.env.WG_CLAUDE_BIN;
  process.env.WG_CLAUDE_BIN = claude;
  server = await startBrowserModeServer();
  await server.call('task:add', { title: 'Write the report', id: 'report' });
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  if (before === undefined) delete process.env.WG_CLAUDE_BIN;
  else process.env.WG_CLAUDE_BIN = before;
  rmSync(bin, { recursive: true, force: true });
});

describe('a task that waits for the agent CLI', () => {
  it('is said over the graph, with what to do, in light and dark; the note goes once the CLI is there and the task starts', async () => {
    const opened = await openApp(browser, server.url, { bypassCSP: true });
    page = opened.page;
    await card(page, 'report').waitFor();
    const banner = page.locator('.pause-banner');
    await banner.waitFor({ timeout: 30_000 });
    expect(await banner.innerText()).toBe(
      `Tasks of executor claude wait: WG_CLAUDE_BIN names ${claude}, where there is no claude: point WG_CLAUDE_BIN at the ` +
        'installed claude, or unset it to use claude on PATH. They start by themselves once that is done.',
    );
    expect((await server.call('task:show', { id: 'report' })).status).toBe('open');
    // The card says it too, in its own few words.
    await expect.poll(() => cardState(page, 'report')).toMatch(/^needs you: WG_CLAUDE_BIN names \/\S+/);
    // On the board it is with what needs a person, not with what starts by itself later (it sat in Waiting).
    await page.getByRole('button', { name: 'Board', exact: true }).click();
    const needsYou = page.locator('.board-column[data-column="needs-you"]');
    await needsYou.locator('.board-card[data-id="report"]').waitFor();
    expect(await page.locator('.board-column[data-column="waiting"] .board-card[data-id="report"]').count()).toBe(0);
    await page.getByRole('button', { name: 'Graph view', exact: true }).click();
    await card(page, 'report').waitFor();
    await screenshot(page, 'start-wait-light');
    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshot(page, 'start-wait-dark');
    expect(await axeFindings(page)).toEqual([]);
    // The Service page says it too, where it lists what could not start (not "None").
    await page.emulateMedia({ colorScheme: 'light' });
    const nav = page.getByRole('navigation', { name: 'Pages' });
    await nav.getByRole('button', { name: 'Service', exact: true }).click();
    const waiting = page.getByRole('list', { name: 'Waiting to start' });
    await waiting.waitFor({ timeout: 15_000 });
    expect(await waiting.innerText()).toBe(
      `Tasks of executor claude wait: WG_CLAUDE_BIN names ${claude}, where there is no claude: point WG_CLAUDE_BIN at the ` +
        'installed claude, or unset it to use claude on PATH. They start by themselves once that is done.',
    );
    expect(await page.getByRole('region', { name: 'Tasks that could not start' }).getByText('None.').count()).toBe(0);
    await screenshot(page, 'start-wait-service');
    await nav.getByRole('button', { name: 'Graph', exact: true }).click();

    // Claude Code installed (a stand-in: what is shown is asserted, not what the agent does).
    mkdirSync(bin, { recursive: true });
    writeFileSync(claude, '#!/bin/sh\ncat >/dev/null\nsleep 30\n');
    chmodSync(claude, 0o755);
    await banner.waitFor({ state: 'detached', timeout: 30_000 });
    expect((await server.call('task:show', { id: 'report' })).status).toBe('in-progress');
    expect(opened.problems).toEqual([]);
  });
});
