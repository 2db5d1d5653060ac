import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTask } from '../renderer/support/fixtures';
import { graphAtRest, launchBrowser, openApp, screenshot } from './harness';
import { card } from './page-helpers';
import { startTestServer, type TestServer } from './test-server';

/*
 * Delete on the edge dump → deploy, with the coordinator running, starts deploy within two seconds, and an Undo then
 * would put the dependency back under a running deploy. A removal that frees a task to start asks first, and Cancel
 * leaves the dependency as it was.
 */
let server: TestServer;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  server = await startTestServer({
    tasks: [
      // Held (paused), so that nothing of the test's own starts; deploy waits for it alone.
      makeTask({ id: 'dump', title: 'Dump the database', paused: true }),
      makeTask({ id: 'deploy', title: 'Deploy to production', after: ['dump'], executor: 'manual' }),
    ],
  });
  await server.project.call('service:resume', {});
  browser = await launchBrowser();
  page = (await openApp(browser, server.url)).page;
  await card(page, 'deploy').waitFor();
  await graphAtRest(page);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('removing the dependency a task waits for alone, with the coordinator running', () => {
  it('asks first, says the task starts at once, and Cancel keeps the dependency', async () => {
    const edge = page.locator('.dep-edge[data-id="dump->deploy"]');
    await edge.waitFor({ state: 'attached' });
    await edge.focus();
    await edge.press('Delete');
    const dialog = page.getByRole('dialog', { name: 'Remove the dependency and start “Deploy to production” now?' });
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain('the coordinator starts its agent at once');
    await screenshot(page, 'dependency-removal-asks');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });
    expect((await server.project.task('deploy'))?.after).toEqual(['dump']);

    await edge.focus();
    await edge.press('Delete');
    await dialog.getByRole('button', { name: 'Remove and start' }).click();
    await expect.poll(async () => (await server.project.task('deploy'))?.after).toEqual([]);
    const toast = page.getByRole('status').filter({ hasText: 'Removed a dependency' });
    await toast.waitFor();
    // The toast stands above the minimap in the same corner, which it covered.
    const map = await page.locator('.wg-minimap').boundingBox();
    const said = await toast.boundingBox();
    expect(map).not.toBeNull();
    expect(said).not.toBeNull();
    if (map && said) expect(said.y + said.height).toBeLessThanOrEqual(map.y);
    await screenshot(page, 'toast-above-minimap');
  });
});
