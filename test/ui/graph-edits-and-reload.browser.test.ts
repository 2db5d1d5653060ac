import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeAgent, makeTask } from '../renderer/support/fixtures';
import { dragLink, graphAtRest, launchBrowser, openApp, screenshot, type AppPage } from './harness';
import { card, goTo } from './page-helpers';
import { startTestServer, type TestServer } from './test-server';

/*
 * What the window says about a dependency dragged on the canvas (added, with Undo; onto a done task; refused), and
 * that a reload keeps the page and the open task.
 */

const ago = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();
const task = (id: string, title: string, fields: Parameters<typeof makeTask>[0] | object = {}) =>
  makeTask({ id, title, created_at: ago(1000), ...fields });

let server: TestServer;
let browser: Browser;
let app: AppPage;
let page: Page;

beforeAll(async () => {
  server = await startTestServer({
    tasks: [
      task('schema', 'Design the schema', { status: 'done', completed_at: ago(400) }),
      task('migrate', 'Write the migration', { status: 'done', after: ['schema'], completed_at: ago(300) }),
      task('api', 'Add the API endpoints', { status: 'in-progress', after: ['migrate'], started_at: ago(5), assigned: 'agent-1' }),
      task('docs', 'Document the API', { after: ['schema'] }),
      task('release', 'Release to everyone', { after: ['api'] }),
    ],
    agents: [makeAgent({ id: 'agent-1', task_id: 'api', started_at: ago(5) })],
  });
  browser = await launchBrowser();
  app = await openApp(browser, server.url);
  page = app.page;
  await card(page, 'release').waitFor();
  await graphAtRest(page);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const dependenciesOf = async (id: string) => [...((await server.project.task(id))?.after ?? [])].sort();
const toast = (title: string) => page.locator('.toasts .toast', { hasText: title });
const fitAll = () => page.getByRole('button', { name: /^Fit view/ }).click();

describe('a dependency dragged on the canvas', () => {
  it('is said, with an Undo reached from the keyboard', async () => {
    await dragLink(page, 'docs', 'release');
    const added = toast('Added a dependency');
    await added.waitFor();
    expect(await added.textContent()).toBe('Added a dependency“Release to everyone” now waits for “Document the API”.Undo×');
    expect(await dependenciesOf('release')).toEqual(['api', 'docs']);
    await screenshot(page, 'dependency-added');
    await page.keyboard.press('Control+z');
    await page.locator('.dep-edge[data-id="docs->release"]').waitFor({ state: 'detached' });
    expect(await dependenciesOf('release')).toEqual(['api']);
    await added.waitFor({ state: 'detached' });
  });

  it('onto a done task, says it will not run again for it; the task stays done, and Undo takes the dependency away', async () => {
    await fitAll();
    await dragLink(page, 'docs', 'migrate');
    const done = toast('is already done');
    await done.waitFor();
    expect(await done.textContent()).toBe(
      '“Write the migration” is already doneIt now depends on “Document the API”, but it will not run again for it: a done task stays done.Undo×',
    );
    expect((await server.project.task('migrate'))?.status).toBe('done');
    await screenshot(page, 'dependency-onto-done');
    await done.getByRole('button', { name: 'Undo' }).click();
    await expect.poll(() => dependenciesOf('migrate')).toEqual(['schema']);
  });

  it('refuses a loop in titles, in the arrows’ direction, in a notice: the canvas does not move down for it', async () => {
    await fitAll();
    await graphAtRest(page);
    const canvas = page.getByTestId('graph-canvas');
    const top = (await canvas.boundingBox())?.y;
    await dragLink(page, 'release', 'migrate');
    const refused = toast('Not added');
    await refused.waitFor();
    expect(await refused.textContent()).toBe(
      'Not added: “Release to everyone” already waits for “Write the migration”' +
        'Write the migration → Add the API endpoints → Release to everyone: “Write the migration” cannot also wait for “Release to everyone”, or each would wait for the other.×',
    );
    expect(await page.getByRole('alert').count()).toBe(0);
    expect((await canvas.boundingBox())?.y).toBe(top);
    expect(await dependenciesOf('migrate')).toEqual(['schema']);
    await screenshot(page, 'dependency-loop-refused');
    await refused.getByRole('button', { name: 'Close notification' }).click();
  });
});

describe('a reload', () => {
  const inspector = () => page.getByRole('complementary', { name: 'Task inspector' });

  it('keeps the open task, its card in view beside the inspector', async () => {
    await card(page, 'docs').click();
    await expect.poll(() => inspector().getAttribute('data-task')).toBe('docs');
    await page.reload();
    await expect.poll(() => inspector().getAttribute('data-task'), { timeout: 30_000 }).toBe('docs');
    await graphAtRest(page);
    const shown = await card(page, 'docs').boundingBox();
    const panel = await inspector().boundingBox();
    expect(shown && panel && shown.x + shown.width <= panel.x).toBe(true);
    await screenshot(page, 'reload-keeps-task');
  });

  it('keeps the open page', async () => {
    await goTo(page, 'Agents');
    await page.reload();
    await page
      .getByRole('navigation', { name: 'Pages' })
      .getByRole('button', { name: /^Agents/ })
      .and(page.locator('[aria-current="page"]'))
      .waitFor();
    await goTo(page, 'Graph');
  });

  it('shows a notice beside the open inspector, not over its foot', async () => {
    await expect.poll(() => inspector().getAttribute('data-task')).toBe('docs');
    // A notice that changes nothing in the project (Delete on a done card says it is not abandoned), so the tests
    // after this one find the project as they left it.
    await page.locator('.react-flow__node[data-id="schema"]').focus();
    await page.keyboard.press('Delete');
    const said = toast('is done: it is not abandoned');
    await said.waitFor();
    const notice = await said.boundingBox();
    const panel = await inspector().boundingBox();
    expect(notice && panel && notice.x + notice.width <= panel.x).toBe(true);
    await screenshot(page, 'toast-beside-inspector');
    await said.getByRole('button', { name: 'Close notification' }).click();
  });

  it('drops, quietly, a task removed meanwhile', async () => {
    await expect.poll(() => inspector().getAttribute('data-task')).toBe('docs');
    await server.project.remove('docs');
    // Only what the reload brings (the loop refused above was a 409 in the console, as a refused request is): counted
    // from the reload's navigation, as the page before it may still be answering the removal (its inspector's reads of
    // the task, a 404 each) until it goes. The browser reports its console and its navigation in the order they came.
    let seen = Number.POSITIVE_INFINITY;
    page.once('framenavigated', () => {
      seen = app.problems.length;
    });
    await page.reload();
    await card(page, 'release').waitFor();
    await graphAtRest(page);
    expect(await inspector().count()).toBe(0);
    expect(seen, 'the reload navigated').toBeLessThan(Number.POSITIVE_INFINITY);
    expect(app.problems.slice(seen)).toEqual([]);
  });
});
