import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeAgent, makeTask } from '../renderer/support/fixtures';
import { PID_MAX_LIMIT } from '../renderer/support/workgraph';
import { launchBrowser, openApp, screenshot } from './harness';
import { card, cardState } from './page-helpers';
import { startTestServer, type TestServer } from './test-server';

/** Review finding M2: an agent's unanswered question shows on its card and under Needs you, on the graph and the board. */
let server: TestServer;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  const startedAt = new Date().toISOString();
  server = await startTestServer({
    tasks: [
      makeTask({ id: 'region', title: 'Choose deploy region', status: 'in-progress', assigned: 'agent-1', started_at: startedAt }),
      makeTask({ id: 'build', title: 'Build the app', status: 'in-progress', assigned: 'agent-2', started_at: startedAt }),
    ],
    agents: [
      makeAgent({ id: 'agent-1', task_id: 'region', started_at: startedAt, pid: PID_MAX_LIMIT + 1 }),
      makeAgent({ id: 'agent-2', task_id: 'build', started_at: startedAt, pid: PID_MAX_LIMIT + 2 }),
    ],
  });
  await server.project.callAsAgent('agent-1', 'msg:send', { task: 'region', message: 'Which region: eu-west or us-east?' });
  browser = await launchBrowser();
  page = (await openApp(browser, server.url)).page;
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('an agent asks the person', () => {
  it('says so on the card and counts it as needing you, in light and dark', async () => {
    await expect.poll(() => cardState(page, 'region')).toBe('asks you: Which region: eu-west or us-east?');
    await card(page, 'build').waitFor();
    await page.getByRole('button', { name: /1 needs you/ }).waitFor();
    await screenshot(page, 'agent-question-graph-light');
    await page.getByRole('button', { name: 'Board', exact: true }).click();
    const needsYou = page.getByRole('list', { name: /^Needs you: 1 tasks$/ });
    await expect.poll(() => needsYou.textContent()).toContain('Choose deploy region');
    await screenshot(page, 'agent-question-board-light');
    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshot(page, 'agent-question-board-dark');
  });
});
