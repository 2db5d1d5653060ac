import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshot } from './harness';
import { card, openEditDialog } from './page-helpers';
import { startTestServer, type TestServer } from './test-server';

/**
 * The task form keeps what a person could lose in it: a description changed in a terminal while the form was
 * open is shown, not overwritten; text in "Depends on" that matches no task, or names one that would make a cycle,
 * says so; closing a changed form asks first. Each in light and dark, by keyboard.
 */
let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  server = await startTestServer(async (project) => {
    await project.call('task:add', { title: 'Log login events for support', id: 'login-10' });
    await project.call('task:add', {
      title: 'Fix the flaky login test',
      id: 'login-13',
      after: ['login-10'],
      description: 'Root cause: the test clock.',
    });
    await project.call('task:add', { title: 'Translate the login strings', id: 'login-16', after: ['login-13'] });
  });
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const openEdit = (colorScheme: 'light' | 'dark'): Promise<Page> => openEditDialog(browser, server.url, 'login-13', colorScheme);

describe('the task form', () => {
  for (const scheme of ['light', 'dark'] as const) {
    it(`shows a description changed meanwhile, names a cycle, and asks before discarding (${scheme})`, async () => {
      const page = await openEdit(scheme);
      const dialog = page.getByRole('dialog', { name: 'Edit login-13' });
      const description = dialog.getByLabel('Description');
      await description.fill(`Root cause: the test clock. Flakes on Tuesdays (${scheme}).`);
      const terminal = `Root cause: the test clock. See PR 812 (terminal, ${scheme}).`;
      await server.project.call('task:edit', { id: 'login-13', description: terminal });
      await page.getByRole('complementary', { name: 'Task inspector' }).getByText(terminal).waitFor();
      await dialog.getByRole('button', { name: 'Save' }).click();
      await dialog.getByText('Description was changed since you opened this form').waitFor();
      await expect.poll(() => dialog.locator('.changed-meanwhile blockquote').textContent()).toBe(terminal);
      await screenshot(page, `task-form-changed-meanwhile-${scheme}`);

      // The dependency box, by keyboard: a task that would make a cycle is named, and Enter does not submit.
      const depends = dialog.getByRole('combobox', { name: /^Depends on/ });
      await depends.focus();
      await page.keyboard.type('login-16');
      await dialog.getByText('login-16 depends on this task; it cannot also be before it').waitFor();
      await page.keyboard.press('Enter');
      await screenshot(page, `task-form-cycle-named-${scheme}`);
      expect(await dialog.isVisible()).toBe(true);

      // Escape asks; the focus is on Keep editing; Escape again keeps the form.
      await page.keyboard.press('Escape');
      const keep = dialog.getByRole('button', { name: 'Keep editing' });
      await expect.poll(() => keep.evaluate((el) => el === document.activeElement)).toBe(true);
      await screenshot(page, `task-form-discard-ask-${scheme}`);
      await page.keyboard.press('Escape');
      await expect.poll(() => keep.count()).toBe(0);
      expect(await depends.evaluate((el) => el === document.activeElement)).toBe(true);
      // Discarded by keyboard: Escape, then Tab back to Discard.
      await page.keyboard.press('Escape');
      await page.keyboard.press('Shift+Tab');
      await page.keyboard.press('Enter');
      await dialog.waitFor({ state: 'detached' });
      expect((await server.project.task('login-13'))?.description).toBe(terminal);
      expect((await server.project.task('login-13'))?.after).toEqual(['login-10']);
      await page.close();
    });
  }

  it('says when a New task dependency matches nothing, and does not create the task without it', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.goto(server.url);
    await card(page, 'login-13').waitFor();
    await page.getByRole('button', { name: '+ New task' }).click();
    const dialog = page.getByRole('dialog', { name: 'New task' });
    await dialog.getByLabel('Title').fill('Announce the billing release');
    await dialog.getByRole('combobox', { name: /^Depends on/ }).fill('billing-26');
    await page.keyboard.press('Enter');
    await dialog.getByRole('button', { name: 'Create task' }).click();
    await expect.poll(() => dialog.getByRole('combobox', { name: /^Depends on/ }).getAttribute('aria-invalid')).toBe('true');
    expect(await dialog.getByText("no task matches 'billing-26'").count()).toBe(1);
    await screenshot(page, 'task-form-unmatched-dependency-light');
    expect((await server.project.allTasks()).some((t) => t.title === 'Announce the billing release')).toBe(false);
    await page.close();
  });
});
