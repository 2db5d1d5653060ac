import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConfigEntry } from '../../src/shared/config-types';
import { launchBrowser, screenshot } from './harness';
import { goTo } from './page-helpers';
import { startTestServer, type TestServer } from './test-server';

/**
 * The Settings page's form, saved again and again as a person does: a value put back to what it was is saved
 * (the form compares with what is saved now, not with what the page first read), an emptied field takes the
 * setting out of config.toml (the default applies again), and the form says "Saved" only when a save changed
 * something, "Nothing changed" otherwise.
 */
let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  server = await startTestServer();
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const saved = async (key: string) => ((await server.project.call('config:list', {})) as ConfigEntry[]).find((e) => e.key === key);
const cell = (page: Page, key: string) => page.locator(`tr[data-key="${key}"] td`).nth(1);
const form = (page: Page) => page.getByRole('form', { name: 'Change settings' });
const outcome = (page: Page) => form(page).getByRole('status');

async function openSettings(colorScheme: 'light' | 'dark', viewport = { width: 1440, height: 900 }): Promise<Page> {
  const page = await browser.newPage({ viewport, colorScheme });
  await page.goto(server.url);
  await page.locator('.react-flow').waitFor();
  await goTo(page, 'Settings');
  await page.getByLabel('Max parallel agents').waitFor();
  return page;
}

async function save(page: Page): Promise<void> {
  await form(page).getByRole('button', { name: 'Save settings' }).click();
}

describe('saving settings', () => {
  it('saves a value put back to what it was, and says when nothing changed', async () => {
    const page = await openSettings('light');
    const max = page.getByLabel('Max parallel agents');
    expect(await max.inputValue()).toBe('4');
    await max.fill('8');
    await save(page);
    await expect.poll(() => outcome(page).textContent()).toMatch(/^Saved/);
    await expect.poll(() => cell(page, 'coordinator.max_agents').textContent()).toBe('8');
    // Back to 4: the form compares with 8, what is saved now.
    await max.fill('4');
    await save(page);
    await expect.poll(() => cell(page, 'coordinator.max_agents').textContent()).toBe('4');
    expect(await outcome(page).textContent()).toMatch(/^Saved/);
    expect(await saved('coordinator.max_agents')).toMatchObject({ value: 4, source: 'local' });
    // Saving again with nothing changed says so, and calls nothing.
    const calls = server.project.calls.filter((c) => c.name === 'config:update').length;
    await save(page);
    await expect.poll(() => outcome(page).textContent()).toMatch(/^Nothing changed/);
    expect(server.project.calls.filter((c) => c.name === 'config:update').length).toBe(calls);
    // A reload shows what is saved (the window opens again on the page it was on).
    await page.reload();
    await expect.poll(() => page.getByLabel('Max parallel agents').inputValue()).toBe('4');
    await page.close();
  });

  it('an emptied field takes the setting out of config.toml: back to its default', async () => {
    const page = await openSettings('light');
    const retries = page.getByLabel('Max retries');
    await retries.fill('7');
    await page.getByLabel('Default model').selectOption('sonnet');
    await save(page);
    await expect.poll(() => cell(page, 'agent.max_retries').textContent()).toBe('7');
    expect(await saved('coordinator.model')).toMatchObject({ value: 'sonnet', source: 'local' });
    await retries.fill('');
    await page.getByLabel('Default model').selectOption('');
    await save(page);
    await expect.poll(() => outcome(page).textContent()).toMatch(/^Saved/);
    expect(await saved('agent.max_retries')).toMatchObject({ source: 'default' });
    expect(await saved('coordinator.model')).toMatchObject({ value: null, source: 'default' });
    // The form shows the value in force again: the default.
    const retriesDefault = String((await saved('agent.max_retries'))?.value);
    await expect.poll(() => retries.inputValue()).toBe(retriesDefault);
    expect(await page.getByLabel('Default model').inputValue()).toBe('');
    await screenshot(page, 'settings-cleared-light');
    // Emptying one not set in this project (its default applies already) changes nothing, and says so.
    await retries.fill('');
    await save(page);
    await expect
      .poll(() => outcome(page).textContent())
      .toBe(`Nothing changed: max retries stays ${retriesDefault}, the default (this project's config does not set it).`);
    await screenshot(page, 'settings-nothing-light');
    await page.close();
  });

  // At 1024 wide a squeezed "Write the global config" box is 9 px wide, and "Default model" and "On quit" cut their text.
  it('shows the checkbox whole and every dropdown its choice whole, at 1024, 1280 and 1440 wide', async () => {
    for (const width of [1024, 1280, 1440]) {
      const page = await openSettings('dark', { width, height: 800 });
      const box = await form(page).getByRole('checkbox').boundingBox();
      expect(box && Math.round(box.width) === Math.round(box.height) && box.width >= 12).toBe(true);
      const cut = await form(page)
        .locator('select')
        .evaluateAll((selects) => {
          const probe = document.body.appendChild(document.createElement('span'));
          probe.style.cssText = 'position: absolute; visibility: hidden; white-space: pre';
          const shown = selects.filter((select) => {
            const style = getComputedStyle(select as HTMLSelectElement);
            probe.style.font = style.font;
            probe.textContent = (select as HTMLSelectElement).selectedOptions[0]?.textContent ?? '';
            // The arrow is drawn inside the padding box, about 20 px of it.
            const room = select.clientWidth - Number.parseFloat(style.paddingLeft) - Number.parseFloat(style.paddingRight) - 20;
            return probe.getBoundingClientRect().width > room;
          });
          probe.remove();
          return shown.map((select) => (select as HTMLSelectElement).selectedOptions[0]?.textContent);
        });
      expect({ width, cut }).toEqual({ width, cut: [] });
      await screenshot(page, `settings-form-dark-${width}`);
      await page.close();
    }
  });

  it('reads in the dark', async () => {
    const page = await openSettings('dark');
    await page.getByLabel('Max parallel agents').fill('6');
    await save(page);
    await expect.poll(() => outcome(page).textContent()).toMatch(/^Saved/);
    await screenshot(page, 'settings-saved-dark');
    await save(page);
    await expect.poll(() => outcome(page).textContent()).toMatch(/^Nothing changed/);
    await screenshot(page, 'settings-nothing-dark');
    await page.close();
  });
});
