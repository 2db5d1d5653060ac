import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openProjectStore } from '../../src/core/opening/open-store';
import { makeAgent, makeTask } from '../renderer/support/fixtures';
import { PID_MAX_LIMIT } from '../renderer/support/workgraph';
import { launchBrowser, openApp, screenshot } from './harness';
import { card, cardState } from './page-helpers';
import { startTestServer, type TestServer } from './test-server';

/**
 * Review finding H1: the coordinator serving the window stops (`wg service start`'s daemon gone, its API and event
 * stream with it). The window says so in its own words within seconds, stops the running times where they were, an
 * action says why it was not done, and once the coordinator answers on its address again the notice and that error
 * go and the view shows what changed meanwhile.
 */
let server: TestServer;
let browser: Browser;
let page: Page;

const startedAt = new Date(Date.now() - 40_000).toISOString();

beforeAll(async () => {
  server = await startTestServer({
    tasks: [
      makeTask({ id: 'build', title: 'Build the app', status: 'in-progress', assigned: 'agent-1', started_at: startedAt }),
      makeTask({ id: 'lint', title: 'Lint the app', status: 'failed', failure_reason: 'exit code 1: lint errors' }),
    ],
    // No process of this machine has the pid: the window shows a live run, and nothing of the test is killed.
    agents: [makeAgent({ id: 'agent-1', task_id: 'build', started_at: startedAt, pid: PID_MAX_LIMIT + 7 })],
  });
  browser = await launchBrowser();
  page = (await openApp(browser, server.url)).page;
  await card(page, 'build').waitFor();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const notice = () => page.locator('.coordinator-lost-banner[role="alert"]');

describe('the coordinator stops answering', () => {
  it('says so, stops the running time, words a failed action, and recovers when it is back', async () => {
    await expect.poll(() => cardState(page, 'build')).toMatch(/^running \d/);
    await card(page, 'lint').click();
    const retry = page.locator('aside.inspector').getByRole('button', { name: 'Retry', exact: true });
    await retry.waitFor();
    // The inspector's own loads are in before the coordinator goes (one cut short would rightly say it could not load).
    await page.locator('aside.inspector').getByText('No messages yet.').waitFor();

    await server.project.stopCoordinator();
    await notice().waitFor({ timeout: 10_000 });
    await expect.poll(() => cardState(page, 'build')).toMatch(/^last seen running \d/);
    const frozen = await cardState(page, 'build');
    await screenshot(page, 'coordinator-lost-light');
    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshot(page, 'coordinator-lost-dark');
    await page.emulateMedia({ colorScheme: 'light' });

    await retry.click();
    const refusal = page.locator('aside.inspector .task-actions .error-alert');
    await expect.poll(() => refusal.textContent()).toContain('the coordinator is not answering');
    const words = (await page.locator('main').textContent()) ?? '';
    expect(words).not.toContain('Failed to fetch');
    expect(words).not.toContain('daemon');
    // Nothing else in the inspector turned into an error for it: what was loaded stays, under the notice.
    expect(await page.locator('aside.inspector .error-alert').count()).toBe(1);
    // Over a second of the card's clock (the wait is the point): the elapsed time stays where it was last heard of.
    await page.waitForTimeout(1100);
    expect(await cardState(page, 'build')).toBe(frozen);

    // Meanwhile another tool changes the graph, as `wg` does with the coordinator stopped.
    const opened = await openProjectStore(server.project.coordinator.paths);
    const build = await opened.store.get('build');
    const { rev: _rev, worktree: _worktree, extra, ...fields } = build;
    await opened.store.importJsonl(JSON.stringify({ ...extra, ...fields, title: 'Build the app (renamed meanwhile)' }));
    await opened.store.close();

    await server.project.startCoordinatorAgain();
    await notice().waitFor({ state: 'detached', timeout: 15_000 });
    await expect.poll(() => card(page, 'build').locator('.task-card-title').textContent()).toBe('Build the app (renamed meanwhile)');
    await expect.poll(() => refusal.count()).toBe(0);
  });

  it('a page whose code cannot be fetched meanwhile says so inside the window, and shows on Retry once it is back', async () => {
    // The Agents page, not visited yet, opened while the coordinator serving the window is stopped: its failed load
    // must not empty the whole window (no sidebar, no banner, no way back).
    const nav = page.getByRole('navigation', { name: 'Pages' });
    await server.project.stopCoordinator();
    await notice().waitFor({ timeout: 10_000 });
    // Its name carries the count of working agents ("Agents 1").
    await nav.getByRole('button', { name: /^Agents\b/ }).click();
    const failed = page.locator('main .page .error-alert[role="alert"]');
    await expect
      .poll(() => failed.textContent(), { timeout: 15_000 })
      .toBe(
        'The Agents page could not be loaded. If the coordinator that serves this window stopped, start it again (wg service start), then retry.',
      );
    // The rest of the window is still there, and works.
    expect(await nav.getByRole('button').count()).toBeGreaterThan(5);
    await notice().waitFor();
    await screenshot(page, 'page-not-loaded-light');
    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshot(page, 'page-not-loaded-dark');
    await page.emulateMedia({ colorScheme: 'light' });

    await server.project.startCoordinatorAgain();
    await notice().waitFor({ state: 'detached', timeout: 15_000 });
    // Chromium 150 keeps the failed import for the document's life: Retry then reloads the window (load-anew.ts), which
    // opens on the Agents page again. A Chromium that fetches anew shows it without the reload.
    await page.locator('main .page').getByRole('button', { name: 'Retry', exact: true }).click();
    await page.getByRole('heading', { name: 'Agents' }).waitFor({ timeout: 15_000 });
    expect(await failed.count()).toBe(0);
  });

  it('a part of the graph page whose code cannot be fetched meanwhile (the form, the board) says so in place, and loads on Retry', async () => {
    // N or B while the coordinator is stopped must not replace the whole Graph page with an error that the page's
    // Retry cannot undo (React keeps a lazy component's failed load for good).
    const nav = page.getByRole('navigation', { name: 'Pages' });
    await nav.getByRole('button', { name: 'Graph', exact: true }).click();
    await card(page, 'build').waitFor();
    await server.project.stopCoordinator();
    await notice().waitFor({ timeout: 10_000 });
    const said = (what: string) =>
      `${what} could not be loaded. If the coordinator that serves this window stopped, start it again (wg service start), then retry.`;

    let fetches = 0;
    page.on('request', (request) => {
      if (request.url().includes('/TaskForm-')) fetches++;
    });
    await page.getByRole('button', { name: '+ New task' }).click();
    const form = page.getByRole('dialog', { name: 'The task form' });
    await expect.poll(() => form.getByRole('alert').textContent(), { timeout: 15_000 }).toBe(said('The task form'));
    await screenshot(page, 'part-not-loaded-form-light');
    // Fetched once for the one opening, not again and again.
    await page.waitForTimeout(500);
    expect(fetches).toBe(1);
    await form.getByRole('button', { name: 'Close', exact: true }).click();
    await form.waitFor({ state: 'detached' });
    expect(await card(page, 'build').count()).toBe(1);

    await page.getByRole('button', { name: 'Board', exact: true }).click();
    const failed = page.locator('.part-load-failed');
    await expect.poll(() => failed.getByRole('alert').textContent(), { timeout: 15_000 }).toBe(said('The board'));
    await screenshot(page, 'part-not-loaded-board-light');

    await server.project.startCoordinatorAgain();
    await notice().waitFor({ state: 'detached', timeout: 15_000 });
    await failed.getByRole('button', { name: 'Retry', exact: true }).click();
    await page.locator('.board-column').first().waitFor({ timeout: 15_000 });
    expect(await failed.count()).toBe(0);
    // The form, closed while it could not load, is fetched anew when opened again.
    await page.getByRole('button', { name: '+ New task' }).click();
    await page.getByRole('dialog', { name: /task/i }).getByRole('textbox').first().waitFor({ timeout: 15_000 });
    expect(await page.locator('.error-alert', { hasText: 'could not be loaded' }).count()).toBe(0);
    await page.keyboard.press('Escape');
  });
});
