import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openApp, screenshot, startBrowserModeServer, type BrowserModeServer } from './harness';
import { card, goTo } from './page-helpers';

let server: BrowserModeServer;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  server = await startBrowserModeServer();
  await server.call('agency:init', {});
  // Paused: a real coordinator must not hand these to an AI agent.
  await server.call('task:add', { title: 'Build the parser', id: 'parser', paused: true });
  await server.call('task:add', { title: 'Write the docs', id: 'docs', paused: true, after: ['parser'] });
  await server.call('task:assign', { id: 'parser', agent: 'Careful Programmer' });
  await server.call('eval:record', {
    id: 'parser',
    score: 0.93,
    dim: { blocking_impact: 0.9, correctness: 0.95, intent_fidelity: 0.88 },
    evaluator: 'claude:haiku',
    notes: 'Clear, tested, cited.',
  });
  browser = await launchBrowser();
  page = (await openApp(browser, server.url)).page;
  await card(page, 'parser').waitFor();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('the agency in the window', () => {
  it("names the card's identity, links it from the inspector to the Agency page, and shows its scores", async () => {
    await expect.poll(() => card(page, 'parser').locator('.identity-label').textContent()).toBe('Careful Programmer 02e87968');
    await card(page, 'parser').click();
    const inspector = page.getByRole('complementary', { name: 'Task inspector' });
    await expect.poll(() => inspector.locator('.evaluation-notes').textContent()).toBe('Clear, tested, cited.');
    await screenshot(page, 'agency-inspector');
    await inspector.getByRole('button', { name: /Careful Programmer 02e87968/ }).click();
    const row = page.locator('tr.selected-row');
    await expect.poll(() => row.locator('strong').textContent()).toBe('Careful Programmer');
    await expect.poll(() => page.getByRole('meter', { name: 'blocking impact' }).getAttribute('value')).toBe('0.9');
    await screenshot(page, 'agency-page');
    await goTo(page, 'Graph');
  });
});
