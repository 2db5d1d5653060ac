import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTask } from '../renderer/support/fixtures';
import { launchBrowser, openApp, screenshot } from './harness';
import { card, cardState } from './page-helpers';
import { startTestServer, type TestServer } from './test-server';

/**
 * Issue 75 items 1, 2 and 5: a project with one task in each kind of "needs you" (a human-input wait, an approval, an
 * evaluation nothing runs, a manual task ready, a failure another task waits on) shows each on the first view and in
 * the Board's Needs you column in needs-you.ts's words, with its action; and the action does what `wg` does (the
 * task's state after it read as `wg show` reads it).
 */
let server: TestServer;
let browser: Browser;
let page: Page;

const LABELS = {
  ask: 'waits for your reply',
  review: 'awaits your approval',
  scored: 'no evaluation will run',
  pilot: 'yours to do',
  broke: 'failed; 1 task waits on it: expected 200, got 503',
} as const;

beforeAll(async () => {
  server = await startTestServer({
    tasks: [
      makeTask({ id: 'ask', title: 'Pick the product name' }),
      makeTask({ id: 'review', title: 'Review the landing copy', status: 'pending-validation' }),
      makeTask({ id: 'review-2', title: 'Review the pricing page', status: 'pending-validation' }),
      makeTask({ id: 'scored', title: 'Write the onboarding guide', status: 'pending-eval' }),
      makeTask({ id: 'pilot', title: 'Sign the hosting contract', executor: 'manual' }),
      makeTask({ id: 'broke', title: 'Migrate the user table', status: 'failed', failure_reason: 'exit code 2: expected 200, got 503' }),
      makeTask({ id: 'after', title: 'Announce the migration', after: ['broke'] }),
    ],
  });
  // Held by someone outside (no run of ours, whose working run would hold the wait), then parked until a person answers.
  await server.project.call('task:claim', { id: 'ask', agent: 'writer', force: true });
  await server.project.call('task:wait', { id: 'ask', until: 'human-input' });
  browser = await launchBrowser();
  page = (await openApp(browser, server.url)).page;
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const shown = async (id: string) => (await server.project.call('task:show', { id })).status;
const boardCard = (id: string): Locator => page.locator(`.board-row:has(.board-card[data-id="${id}"])`);
const needsYouColumn = () => page.getByRole('list', { name: /^Needs you: \d+ tasks$/ });

async function answerDialog(text: string, confirm: string): Promise<void> {
  const dialog = page.getByRole('dialog');
  await dialog.getByRole('textbox').fill(text);
  await dialog.getByRole('button', { name: confirm }).click();
  await dialog.waitFor({ state: 'detached' });
}

async function shots(name: string): Promise<void> {
  for (const width of [1440, 1024]) {
    await page.setViewportSize({ width, height: 900 });
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await screenshot(page, `needs-you-${name}-${width}-${scheme}`);
    }
  }
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.emulateMedia({ colorScheme: 'light' });
}

describe('every kind of needs you, with its action', () => {
  it('shows each on the first view in its words, with its buttons on the card', async () => {
    for (const [id, label] of Object.entries(LABELS)) await expect.poll(() => cardState(page, id), { message: id }).toBe(label);
    await expect.poll(() => card(page, 'after').getAttribute('data-state')).toBe('blocked');
    await page.getByRole('button', { name: /6 needs you/ }).waitFor();
    await expect.poll(() => card(page, 'review').getByRole('button').allTextContents()).toEqual(['Approve', 'Reject…']);
    await expect.poll(() => card(page, 'ask').getByRole('button').allTextContents()).toEqual(['Reply…']);
    await expect.poll(() => card(page, 'scored').getByRole('button').allTextContents()).toEqual(['Evaluate', 'Score…', 'Skip']);
    await expect.poll(() => card(page, 'pilot').getByRole('button').allTextContents()).toEqual(['Mark done']);
    await expect.poll(() => card(page, 'broke').getByRole('button').allTextContents()).toEqual(['Retry', 'Abandon…']);
    await screenshot(page, 'needs-you-graph-1440-light');
  });

  it('lists each under the Board’s Needs you, with its buttons, reachable by Tab from the card', async () => {
    await page.getByRole('button', { name: 'Board', exact: true }).click();
    await expect.poll(() => needsYouColumn().getAttribute('aria-label')).toBe('Needs you: 6 tasks');
    for (const id of Object.keys(LABELS)) await boardCard(id).waitFor();
    await expect.poll(() => boardCard('review').getByRole('button', { name: 'Approve' }).count()).toBe(1);
    await expect.poll(() => boardCard('broke').locator('.task-card-state').textContent()).toBe(LABELS.broke);
    // The failure others wait on is not in Failed any more; what it blocks still is.
    await expect.poll(() => page.getByRole('list', { name: /^Failed:/ }).textContent()).toContain('Announce the migration');
    await shots('board');
    // From the card the board's Tab reaches, Tab goes to its first action.
    const first = needsYouColumn().locator('.board-card').first();
    await first.click();
    await first.focus();
    await page.keyboard.press('Tab');
    await expect.poll(() => page.evaluate(() => document.activeElement?.closest('.board-card-actions') !== null)).toBe(true);
    await page.keyboard.press('Escape');
  });

  it('approves from the Board, and the task is done', async () => {
    await boardCard('review').getByRole('button', { name: 'Approve' }).click();
    await expect.poll(() => shown('review')).toBe('done');
    await page.locator('.toast', { hasText: 'Approved' }).waitFor();
  });

  it('records a score from the Board for the evaluation nothing runs, and it passes', async () => {
    await boardCard('scored').getByRole('button', { name: 'Score…' }).click();
    await answerDialog('0.95', 'Record score');
    await expect.poll(() => shown('scored')).toBe('done');
  });

  it('marks the manual task done from its Board card', async () => {
    await boardCard('pilot').getByRole('button', { name: 'Mark done' }).click();
    await expect.poll(() => shown('pilot')).toBe('done');
  });

  it('rejects from the inspector with feedback, sent as the reason', async () => {
    await boardCard('review-2').locator('.board-card').click();
    const inspector = page.getByRole('complementary', { name: 'Task inspector' });
    await expect.poll(() => inspector.locator('.inspector-state').textContent()).toBe('awaits your approval');
    await expect.poll(() => inspector.getByRole('button', { name: 'Mark done' }).count()).toBe(0);
    await shots('inspector-approval');
    await inspector.getByRole('button', { name: 'Reject…' }).click();
    await answerDialog('Say the monthly price first', 'Reject');
    await expect.poll(() => shown('review-2')).toBe('open');
    const detail = await server.project.call('task:show', { id: 'review-2' });
    expect(detail.log.some((entry) => entry.message.includes('Say the monthly price first'))).toBe(true);
  });

  it('retries the failure others wait on from the inspector, its reason in view', async () => {
    await boardCard('broke').locator('.board-card').click();
    const inspector = page.getByRole('complementary', { name: 'Task inspector' });
    await expect.poll(() => inspector.locator('.inspector-state').textContent()).toBe('failed; 1 task waits on it');
    expect(await inspector.textContent()).toContain('expected 200, got 503');
    await shots('inspector-failure');
    await inspector.getByRole('button', { name: 'Retry' }).click();
    await expect.poll(() => shown('broke')).toBe('open');
  });

  it('replies to the human-input wait, which releases it as `wg msg send` does', async () => {
    await page.keyboard.press('Escape');
    await boardCard('ask').getByRole('button', { name: 'Reply…' }).click();
    await answerDialog('Call it Lumen', 'Send reply');
    // Sent once the dialog has closed (NeedsYouActions.tsx's reply): read until it is there.
    const bodies = async () => (await server.project.call('msg:list', { task: 'ask' })).map((m) => m.body);
    await expect.poll(bodies).toContain('Call it Lumen');
    // The coordinator's next turn releases it (its engine paused: no agent starts, waits are still looked at).
    await expect.poll(() => shown('ask'), { timeout: 30_000 }).toBe('open');
  });
});
