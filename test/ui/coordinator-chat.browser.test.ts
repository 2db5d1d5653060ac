import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claudeEnv, isolatedHostEnv } from '../fixtures/claude-env';
import { bash, type FakeAnthropic, type ScriptTurn, startFakeAnthropic, text } from '../fixtures/fake-anthropic';
import { launchBrowser, openApp, screenshot, startBrowserModeServer, type BrowserModeServer } from './harness';
import { axeFindings, card, goTo } from './page-helpers';

/**
 * The coordinator chat in the window (issue 78): the real daemon in browser mode hosting the coordinator agent, which
 * is the real Claude Code CLI against a scripted model (fake-anthropic.ts). A message written in the panel beside the
 * graph is answered; the tasks the agent's own `wg` made and changed are listed under the answer, marked in the graph,
 * and undone in one Undo.
 */

let fake: FakeAnthropic;
let server: BrowserModeServer;
let browser: Browser;
let page: Page;
let problems: string[] = [];
const claudeHome = mkdtempSync(join(tmpdir(), 'wg-ui-chat-claude-'));

type Message = { role: string; content: unknown };

/** What the agent has done since the person's message, as the conversation's text. */
function sinceTheMessage(body: Record<string, unknown>): string {
  const messages = (body.messages ?? []) as Message[];
  let at = -1;
  messages.forEach((m, i) => {
    if (m.role === 'user' && JSON.stringify(m.content).includes('Message from the person')) at = i;
  });
  return JSON.stringify(messages.slice(at + 1));
}

/** The scripted coordinator: a plan of two linked tasks, the existing docs task tagged for it, then its answer. */
function coordinator(body: Record<string, unknown>): ScriptTurn {
  const done = sinceTheMessage(body);
  if (!done.includes('--id login-design'))
    return [bash('wg add "Design the login page" --id login-design -d "Fields, errors, layout."', 'Add the design task')];
  if (!done.includes('--id login-build'))
    return [bash('wg add "Build the login page" --id login-build --after login-design', 'Add the build task after it')];
  if (!done.includes('--add-tag login')) return [bash('wg edit docs --add-tag login', 'Tag the docs task for the login work')];
  return [text('Planned: login-design, then login-build after it; docs tagged login.')];
}

beforeAll(async () => {
  fake = await startFakeAnthropic([], { respond: (body) => coordinator(body) });
  server = await startBrowserModeServer({ ...isolatedHostEnv(), ...claudeEnv(fake.url, claudeHome) });
  // The tasks the coordinator plans are not started: this test is about the chat, not their runs.
  await server.call('config:update', { executor: 'manual' });
  await server.call('task:add', { title: 'Write docs', id: 'docs', tags: ['docs'], paused: true });
  browser = await launchBrowser();
  // axe-core is put in the page as a script: the page's CSP would refuse it.
  ({ page, problems } = await openApp(browser, server.url, { bypassCSP: true }));
  await card(page, 'docs').waitFor();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await fake?.close();
  rmSync(claudeHome, { recursive: true, force: true });
});

const chat = () => page.getByRole('region', { name: 'Coordinator chat' });

describe('the coordinator chat beside the graph', () => {
  it('opens with C, sends with Enter, shows the coordinator at work, then its answer and the tasks it made, marked', async () => {
    await page.keyboard.press('c');
    const box = chat().getByRole('textbox', { name: 'Message to the coordinator' });
    await expect.poll(() => box.evaluate((el) => el === document.activeElement)).toBe(true);
    await box.fill('plan: a login page');
    // Shift+Enter is a new line, not a send.
    await box.press('Shift+Enter');
    await expect.poll(() => box.inputValue()).toBe('plan: a login page\n');
    await box.press('Enter');
    await chat().getByRole('status').filter({ hasText: 'The coordinator is thinking' }).waitFor();
    await screenshot(page, 'chat-thinking-light');
    const answer = chat().getByText('Planned: login-design, then login-build after it; docs tagged login.');
    await answer.waitFor({ timeout: 120_000 });
    const batch = chat().locator('.chat-batch');
    await expect
      .poll(() => batch.getByRole('button').allTextContents())
      .toEqual(['Design the login page', 'Build the login page', 'Write docs', 'Undo all 3']);
    // Made by the agent's own wg, linked as it said.
    expect((await server.call('task:show', { id: 'login-build' })).after).toEqual(['login-design']);
    for (const id of ['login-design', 'login-build', 'docs'])
      await expect.poll(() => card(page, id).getAttribute('data-chat-made'), { timeout: 30_000 }).toBe('');
    await screenshot(page, 'chat-answer-light');
    expect(await axeFindings(page)).toEqual([]);
    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshot(page, 'chat-answer-dark');
    expect(await axeFindings(page)).toEqual([]);
    await page.emulateMedia({ colorScheme: 'light' });
    // The window took the answer without an error (an effect that returned scrollIntoView's promise took the graph down).
    expect(problems).toEqual([]);
  }, 180_000);

  it('shows a task of the answer in the graph from its link', async () => {
    await chat().locator('.chat-batch').getByRole('button', { name: 'Build the login page' }).click();
    await page.locator('.inspector').getByText('Build the login page').first().waitFor();
    await page.keyboard.press('Escape');
  });

  it('undoes the whole batch at once: the new tasks off the graph, the changed one as it was', async () => {
    await chat().getByRole('button', { name: 'Undo all 3' }).click();
    await chat().getByText('Undone.').waitFor();
    await expect.poll(async () => (await server.call('task:show', { id: 'docs' })).tags).toEqual(['docs']);
    const left = (await server.call('task:list', {})) as Array<{ id: string }>;
    expect(left.map((t) => t.id)).toEqual(['docs']);
    await card(page, 'login-design').waitFor({ state: 'detached' });
    // Named, no longer linked: there is no card to show.
    await chat().getByText('Design the login page (archived)').waitFor();
    expect(await card(page, 'docs').getAttribute('data-chat-made')).toBeNull();
  });

  it('keeps the exchange on a page of its own, read from the chat history', async () => {
    await goTo(page, 'Coordinator chat');
    const log = chat().getByRole('list', { name: 'Messages' });
    await log.getByText('plan: a login page').waitFor();
    await log.getByText('Planned: login-design').waitFor();
    await screenshot(page, 'chat-page-light');
    expect(await axeFindings(page)).toEqual([]);
    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshot(page, 'chat-page-dark');
    expect(await axeFindings(page)).toEqual([]);
    await page.emulateMedia({ colorScheme: 'light' });
    expect(problems).toEqual([]);
  });
});
