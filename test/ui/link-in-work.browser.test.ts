import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PERSON_EXECUTOR } from '../bench/ui/plan-shapes';
import { makeTask } from '../renderer/support/fixtures';
import { dragLink, launchBrowser, screenshot } from './harness';
import { cardState } from './page-helpers';
import { startTestServer, type TestServer } from './test-server';

/**
 * Issue 75 item 3: on the first view (the work by itself, a lens), a link dragged from one card that needs the person
 * to another made the target vanish: the link made it wait, the work let it go, and the lens had no room left for it
 * as a neighbour. It stays, saying it now waits, with its new edge, until the person moves on (Work asked for again).
 *
 * The plan: a chain of 60 finished tasks (too long to show whole and readable), and ten tasks for a person, each after
 * another part of the chain: the work is those ten, and the lens just holds them at 1024 × 700.
 */
let server: TestServer;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  const long = '2025-01-01T00:00:00Z';
  const chain = Array.from({ length: 60 }, (_, i) =>
    makeTask({ id: `step-${i + 1}`, title: `Step ${i + 1}`, status: 'done', completed_at: long, after: i === 0 ? [] : [`step-${i}`] }),
  );
  const people = Array.from({ length: 10 }, (_, i) =>
    makeTask({ id: `person-${i + 1}`, title: `Sign off part ${i + 1}`, executor: PERSON_EXECUTOR.name, after: [`step-${6 * i + 3}`] }),
  );
  server = await startTestServer(async (project) => {
    await project.call('executor:add', { name: PERSON_EXECUTOR.name, type: PERSON_EXECUTOR.type });
    await project.seed([...chain, ...people]);
  });
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1024, height: 700 } });
  await page.goto(`${server.origin}/#token=${server.token}`);
  await page.getByText(/^Showing the work/).waitFor({ timeout: 90_000 });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('a link drawn on the first view', () => {
  it('keeps the task it made wait on screen, with its new edge, until the person moves on', async () => {
    await expect.poll(() => cardState(page, 'person-1')).toBe('yours to do');
    await expect.poll(() => cardState(page, 'person-10')).toBe('yours to do');
    await dragLink(page, 'person-10', 'person-1');
    await expect.poll(async () => (await server.project.call('task:show', { id: 'person-1' })).after).toContain('person-10');
    // The lens follows the work a moment later (drawn small now: the new edge needs room). The task stays in it: found
    // by search, it is shown where it is, in the lens (a task the lens left out brings every task back instead).
    await page.waitForTimeout(3000);
    const search = page.getByRole('combobox', { name: 'Search tasks' });
    await search.fill('Sign off part 1');
    await search.press('Enter');
    await expect.poll(() => page.getByRole('complementary', { name: 'Task inspector' }).getAttribute('data-task')).toBe('person-1');
    await page.waitForTimeout(1000);
    expect(await page.getByText(/^Showing the work: \d+ of 70 tasks$/).count()).toBe(1);
    await expect.poll(() => cardState(page, 'person-1')).toBe('waiting on Sign off part 10');
    await page.locator('.dep-edge[data-id="person-10->person-1"]').waitFor({ state: 'attached' });
    await screenshot(page, 'link-in-work-1024-light');
    // The person moves on (Work asked for): the work without it; found again, every task comes back to show it.
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: 'Work: where work happens, readable' }).click();
    await page.waitForTimeout(1000);
    await search.fill('Sign off part 1');
    await search.press('Enter');
    await expect.poll(() => page.getByText(/^Showing the work: /).count()).toBe(0);
  });
});
