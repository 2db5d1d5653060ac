import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshot } from './harness';
import { openEditDialog } from './page-helpers';
import { startTestServer, type TestServer } from './test-server';

/**
 * Editing a task in its dialog can take a field back to nothing: the model and executor ("default (…)"), the
 * shell command, the schedule (a scheduled job is unscheduled) and the retry budget. The dialog sends what
 * `wg edit` takes for it (`--clear FIELD`, `--cron ""`), and closes only once the task says so.
 */
let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  server = await startTestServer(async (project) => {
    await project.call('task:add', {
      title: 'Nightly invoice run',
      id: 'nightly',
      model: 'sonnet',
      executor: 'shell',
      exec: 'make invoices',
      schedule: '0 3 * * *',
      maxRetries: 2,
    });
  });
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const openEdit = (colorScheme: 'light' | 'dark'): Promise<Page> => openEditDialog(browser, server.url, 'nightly', colorScheme);

describe("clearing a task's fields in the edit dialog", () => {
  it('clears the model, executor, shell command, schedule and max retries', async () => {
    const page = await openEdit('light');
    const dialog = page.getByRole('dialog', { name: 'Edit nightly' });
    expect(await dialog.getByLabel('Schedule').inputValue()).toBe('0 3 * * *');
    await dialog.getByLabel('Model').selectOption('');
    await dialog.getByLabel('Executor').selectOption('');
    await dialog.getByLabel('Shell command').fill('');
    await dialog.getByLabel('Schedule').fill('');
    await dialog.getByLabel('Max retries').fill('');
    await screenshot(page, 'task-form-cleared-light');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'detached' });
    expect(await server.project.task('nightly')).toMatchObject({
      model: null,
      executor: null,
      exec: null,
      schedule: null,
      not_before: null,
      max_retries: null,
    });
    // The inspector no longer shows a schedule or a command.
    const inspector = page.getByRole('complementary', { name: 'Task inspector' });
    await expect.poll(() => inspector.getByText('Schedule', { exact: true }).count()).toBe(0);
    expect(await inspector.getByText('Command', { exact: true }).count()).toBe(0);
    await screenshot(page, 'task-form-cleared-inspector-light');
    await page.close();
  });

  it('reads in the dark', async () => {
    await server.project.call('task:edit', { id: 'nightly', exec: 'make invoices', schedule: '09:00' });
    const page = await openEdit('dark');
    const dialog = page.getByRole('dialog', { name: 'Edit nightly' });
    await dialog.getByLabel('Schedule').fill('');
    await screenshot(page, 'task-form-cleared-dark');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'detached' });
    expect(await server.project.task('nightly')).toMatchObject({ schedule: null, exec: 'make invoices' });
    await page.close();
  });
});
