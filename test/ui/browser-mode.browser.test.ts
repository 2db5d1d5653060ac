import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dragLink, launchBrowser, openApp, screenshot, startBrowserModeServer, type AppPage, type BrowserModeServer } from './harness';
import { card, closeInspector, edgeMidpoint, goTo } from './page-helpers';
import { seedProject } from './seed';

let server: BrowserModeServer;
let browser: Browser;
let app: AppPage;
let page: Page;

beforeAll(async () => {
  server = await startBrowserModeServer();
  await seedProject(server);
  browser = await launchBrowser();
  app = await openApp(browser, server.url);
  page = app.page;
  await card(page, 'release').waitFor();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('browser mode', () => {
  it('renders the graph: a card per task, edges, minimap and controls', async () => {
    for (const id of ['design', 'api', 'ui', 'docs', 'release']) await card(page, id).waitFor();
    expect(await card(page, 'design').getAttribute('data-status')).toBe('done');
    expect(await card(page, 'api').textContent()).toContain('Build the API');
    await page.locator('.dep-edge[data-id="design->api"]').waitFor({ state: 'attached' });
    await page.locator('.wg-minimap').waitFor();
    await page.getByRole('button', { name: 'Fit view' }).waitFor();
    // Left to right: a dependency sits left of its dependent.
    const design = await card(page, 'design').boundingBox();
    const api = await card(page, 'api').boundingBox();
    expect(design && api && design.x < api.x).toBe(true);
    await screenshot(page, 'graph');
  });

  it('filters by state and tag, and searches by title or id', async () => {
    const shown = () => page.locator('.react-flow__node-task').count();
    // A state chip frames its tasks (issue 38); it hides nothing.
    const states = page.getByRole('group', { name: 'Show tasks by state' });
    await states.getByRole('button', { name: '1 done' }).click();
    await card(page, 'design').waitFor();
    expect(await shown()).toBe(5);
    await page.getByLabel('Filter by tag').selectOption('backend');
    await expect.poll(shown).toBe(1);
    await page.getByLabel('Filter by tag').selectOption('');
    await expect.poll(shown).toBe(5);
    await page.getByLabel('Search tasks').fill('write');
    await expect.poll(() => page.getByRole('listbox', { name: 'Matching tasks' }).getByRole('option').count()).toBe(2);
    await page.getByLabel('Search tasks').fill('');
    await page.getByRole('button', { name: 'Fit view' }).click();
  });

  it('adds a dependency by dragging from one task to another', async () => {
    await closeInspector(page);
    await dragLink(page, 'docs', 'release');
    await page.locator('.dep-edge[data-id="docs->release"]').waitFor({ state: 'attached' });
    expect((await server.call('task:show', { id: 'release' })).after).toContain('docs');
  });

  it('refuses a cycle and names it', async () => {
    await page.getByRole('button', { name: 'Fit view' }).click();
    await dragLink(page, 'release', 'design');
    // In titles and in the direction of the graph's arrows (dependency → dependent), as a notice, not a bar over the canvas.
    const refusal = page.locator('.toasts .toast', { hasText: 'Not added' });
    await refusal.waitFor();
    expect(await refusal.textContent()).toBe(
      'Not added: “Release” already waits for “Design the schema”Design the schema → Build the API → Write the UI → Release: “Design the schema” cannot also wait for “Release”, or each would wait for the other.×',
    );
    expect(await page.getByRole('alert').count()).toBe(0);
    expect((await server.call('task:show', { id: 'design' })).after).toEqual([]);
    await refusal.getByRole('button', { name: 'Close notification' }).click();
  });

  it('removes a dependency when its edge is selected and Delete is pressed', async () => {
    const middle = await edgeMidpoint(page, 'docs->release');
    await page.mouse.click(middle.x, middle.y);
    await page.locator('.dep-edge.selected[data-id="docs->release"]').waitFor({ state: 'attached' });
    await page.keyboard.press('Delete');
    await page.locator('.dep-edge[data-id="docs->release"]').waitFor({ state: 'detached' });
    expect((await server.call('task:show', { id: 'release' })).after).not.toContain('docs');
  });

  it('says so when a new dependency is given to a task that already runs: its run goes on', async () => {
    await server.call('task:claim', { id: 'docs', actor: 'someone', force: true });
    await page.locator('.react-flow__node[data-id="docs"] .task-card[data-status="in-progress"]').waitFor();
    await page.getByRole('button', { name: 'Fit view' }).click();
    await dragLink(page, 'ui', 'docs');
    await page.locator('.dep-edge[data-id="ui->docs"]').waitFor({ state: 'attached' });
    const notice = page.locator('.toasts .toast', { hasText: 'is already running' });
    await notice.waitFor();
    expect(await notice.textContent()).toBe(
      '“Write docs” is already runningIt now waits for “Write the UI” too, but its run goes on: the dependency holds it from its next start (stop its agent to wait now).Undo×',
    );
    expect((await server.call('task:show', { id: 'docs' })).after).toContain('ui');
    await notice.getByRole('button', { name: 'Close notification' }).click();
    await notice.waitFor({ state: 'detached' });
  });

  it('shows the log and the evaluation in the inspector', async () => {
    await card(page, 'api').click();
    const inspector = page.getByRole('complementary', { name: 'Task inspector' });
    await inspector.waitFor();
    const log = inspector.getByRole('list', { name: 'Task log' });
    expect(await log.textContent()).toContain('Endpoints sketched: /tasks, /agents');
    expect(await log.textContent()).toContain('Validation added with zod');
    const meters = inspector.getByRole('meter');
    expect(await meters.evaluateAll((els) => els.map((e) => `${e.getAttribute('aria-label')}=${e.getAttribute('value')}`))).toEqual([
      'overall=0.82',
      'correctness=0.9',
      'style=0.6',
      'tests=0.75',
    ]);
    expect(await inspector.getByRole('list', { name: 'Depends on' }).textContent()).toContain('Design the schema');
    await screenshot(page, 'inspector');
    await closeInspector(page);
  });

  it('turns a running shell task done on screen without a reload', async () => {
    await page.evaluate(() => Reflect.set(window, '__sameDocument', true));
    await server.call('task:add', {
      title: 'Run the smoke test',
      id: 'smoke',
      exec: 'echo "building"; sleep 1; echo "smoke test: 12 passing"',
    });
    await card(page, 'smoke').waitFor();
    await page.locator('.react-flow__node[data-id="smoke"] .task-card[data-status="done"]').waitFor({ timeout: 30_000 });
    expect(await page.evaluate(() => Reflect.get(window, '__sameDocument'))).toBe(true);
  });

  it('shows agents and their run output', async () => {
    await goTo(page, 'Agents');
    await page.getByRole('table', { name: 'Agents' }).waitFor();
    expect(await page.getByRole('table', { name: 'Agents' }).textContent()).toContain('Run the smoke test');
    await screenshot(page, 'agents');
    await page.getByRole('table', { name: 'Agents' }).locator('tbody tr').first().getByRole('button').first().click();
    await page.getByText('smoke test: 12 passing').waitFor();
    // A terminal: monospace, a time on every line.
    expect(await page.locator('.output-scroll').evaluate((el) => getComputedStyle(el).fontFamily)).toMatch(/mono/i);
    expect(await page.locator('.term-line .term-time').first().textContent()).toMatch(/^\d\d:\d\d:\d\d$/);
    await screenshot(page, 'output');
  });

  it('shows the models, executors, evaluations and settings pages', async () => {
    await goTo(page, 'Models');
    await page.getByRole('table', { name: 'Models' }).waitFor();
    await screenshot(page, 'models');
    await goTo(page, 'Executors');
    await page.getByRole('table', { name: 'Executor profiles' }).waitFor();
    await screenshot(page, 'executors');
    await goTo(page, 'Evaluations');
    await page.getByRole('table', { name: 'Scores by task' }).waitFor();
    await screenshot(page, 'evaluations');
    await goTo(page, 'Settings');
    await page.getByRole('table', { name: 'Config entries' }).waitFor();
    await screenshot(page, 'settings');
    await goTo(page, 'Service');
    await page.getByRole('heading', { name: 'Service' }).waitFor();
    await screenshot(page, 'service');
  });

  it('logged no console errors and no CSP violations', () => {
    // The refused cycle is a 409 answer, which Chromium logs; anything else is a problem.
    const unexpected = app.problems.filter((text) => !text.includes('status of 409'));
    expect(unexpected).toEqual([]);
  });
});
