import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Workgraph } from '../renderer/support/workgraph';
import { launchBrowser, screenshot } from './harness';
import { goTo } from './page-helpers';
import { startTestServer, type TestServer } from './test-server';

/**
 * The Run output page follows a run's tail (review finding): a run of ~400 events opened "scrolled back" though
 * nobody had scrolled, because the page's own scroll to the end, landing short while its rows were measured, was read
 * as the person leaving the tail. Only the person scrolling up leaves it; End or "Jump to live" returns to it.
 *
 * The run is a real shell run of the project's coordinator (its engine started for it), so its output reaches the
 * window as any run's does, told over the window's event stream as it grows. It prints a batch of lines each time the
 * test asks (a file per batch in `signals`): line k says `event k`, and one to four lines long once wrapped, as a real
 * run's rows differ, so measuring them moves the end the page scrolls to.
 */
const OPENING = 400;
const signals = mkdtempSync(join(tmpdir(), 'wg-ui-run-output-'));
const SCRIPT = `emit() { awk -v from="$1" -v n="$2" 'BEGIN { for (k = from; k < from + n; k++) { s = "event " k; for (j = 0; j < (k * 7 % 4) * 28; j++) s = s " detail"; print s } }'; }
printed=0; batch=0
while :; do
  if [ -e '${signals}/'$batch ]; then n=$(cat '${signals}/'$batch); emit $printed $n; printed=$((printed + n)); batch=$((batch + 1)); else sleep 0.05; fi
done`;

let browser: Browser;
let server: TestServer;
let project: Workgraph;
let agent: string;
let batches = 0;

/** Asks the run for `count` more lines (the file written whole, so the run never reads half of it). */
function print(count: number): void {
  const file = join(signals, String(batches++));
  writeFileSync(`${file}.tmp`, String(count));
  renameSync(`${file}.tmp`, file);
}

const printed = async () => (await project.call('run:events', { agent, offset: 0, limit: 1 })).total;

beforeAll(async () => {
  server = await startTestServer(async (opened) => {
    await opened.call('task:add', { title: 'A long run', id: 'long', executor: 'shell', exec: SCRIPT });
  });
  project = server.project;
  await project.coordinator.control.resume();
  agent = await vi.waitFor(
    async () => {
      const [run] = await project.call('agent:list', { alive: true });
      if (!run) throw new Error('the run has not started');
      return run.id;
    },
    { timeout: 60_000, interval: 100 },
  );
  print(OPENING);
  await vi.waitFor(async () => expect(await printed()).toBe(OPENING), { timeout: 60_000, interval: 100 });
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  rmSync(signals, { recursive: true, force: true });
});

async function openOutput(colorScheme: 'light' | 'dark'): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, colorScheme });
  await page.goto(`${server.origin}/#token=${server.token}`);
  await page.locator('.react-flow').waitFor();
  // Whether the page ever said "scrolled back", even for a moment: nobody scrolls in the opening, so it must not.
  await page.evaluate(() => {
    const seen = () => {
      if (document.querySelector('.output-bar')?.textContent?.includes('scrolled back')) Reflect.set(window, '__scrolledBack', true);
    };
    new MutationObserver(seen).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
  await goTo(page, 'Run output');
  await page.getByRole('combobox', { name: 'Agent' }).selectOption(agent);
  return page;
}

/** Whether the row of `event N` is wholly inside the scrolled region. */
const rowShown = (page: Page, index: number) =>
  page.evaluate((n) => {
    const marker = new RegExp(`event ${n}(?!\\d)`);
    const scroller = document.querySelector('[data-testid="output-scroll"]');
    if (!scroller) return false;
    const frame = scroller.getBoundingClientRect();
    const row = [...scroller.querySelectorAll('.ev-row')].find((el) => marker.test(el.textContent ?? ''));
    if (!row) return false;
    const box = row.getBoundingClientRect();
    return box.top >= frame.top - 1 && box.bottom <= frame.bottom + 1;
  }, index);

const jump = (page: Page) => page.getByRole('button', { name: '↓ Jump to live' });

/** What a person sees of the tail: the bar's state, whether the run's last line `last` is on screen, and the jump button. */
async function tail(page: Page, last: number): Promise<{ state: string; lastShown: boolean; jump: boolean }> {
  return {
    state: (await page.locator('.output-bar [role="status"]').textContent())?.trim() ?? '',
    lastShown: await rowShown(page, last),
    jump: (await jump(page).count()) > 0,
  };
}

const FOLLOWING = { state: 'following live output', lastShown: true, jump: false };
const scrollTop = (page: Page) => page.getByTestId('output-scroll').evaluate((el) => el.scrollTop);
const everScrolledBack = (page: Page) => page.evaluate(() => Reflect.get(window, '__scrolledBack') === true);

/** The run prints `count` more lines; waits until the page counts them. */
async function grow(page: Page, from: number, count: number): Promise<number> {
  print(count);
  const total = from + count;
  await page
    .getByTestId('event-count')
    .filter({ hasText: `${total} events` })
    .waitFor();
  return total;
}

/**
 * Rows settle over a few frames (their pages fetched, "loading…" lines replaced, rows measured): waits until no row is
 * loading and the scroll position and height hold for three looks.
 */
async function settled(page: Page): Promise<void> {
  let last = '';
  for (let still = 0, looks = 0; still < 2; looks++) {
    if (looks === 100) throw new Error('the output kept moving for 10 s');
    await page.waitForTimeout(100);
    const now = JSON.stringify(
      await page.getByTestId('output-scroll').evaluate((el) => [el.scrollTop, el.scrollHeight, el.querySelector('.term-loading') !== null]),
    );
    still = now === last && !now.endsWith('true]') ? still + 1 : 0;
    last = now;
  }
}

/** The page opened on the run, once it counts all its lines and they have settled. */
async function opened(colorScheme: 'light' | 'dark'): Promise<{ page: Page; total: number }> {
  const page = await openOutput(colorScheme);
  const total = await printed();
  await page
    .getByTestId('event-count')
    .filter({ hasText: `${total} events` })
    .waitFor();
  await page.locator('.ev-row').first().waitFor();
  await settled(page);
  return { page, total };
}

describe('run output follows the tail', () => {
  it('opens a run of 400 events at its end, following, and stays there as output arrives', async () => {
    const { page, total: opening } = await opened('light');
    expect(opening).toBe(OPENING);
    expect(await tail(page, opening - 1)).toEqual(FOLLOWING);
    // Not even for a moment while its rows were measured: nobody scrolled.
    expect(await everScrolledBack(page)).toBe(false);
    await screenshot(page, 'run-output-tail-light');
    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshot(page, 'run-output-tail-dark');

    let total = opening;
    for (const count of [1, 25, 60]) {
      total = await grow(page, total, count);
      await expect.poll(() => tail(page, total - 1)).toEqual(FOLLOWING);
      await settled(page);
      expect(await tail(page, total - 1)).toEqual(FOLLOWING);
    }
    // The view itself shorter (the window made smaller, the run's messages loaded below it): still at the end.
    await page.setViewportSize({ width: 1440, height: 700 });
    await expect.poll(() => tail(page, total - 1)).toEqual(FOLLOWING);
    await settled(page);
    expect(await tail(page, total - 1)).toEqual(FOLLOWING);
    expect(await everScrolledBack(page)).toBe(false);
    await page.close();
  });

  it('leaves the tail when the person scrolls up with the wheel; End and Jump to live return to it', async () => {
    const { page, total: opening } = await opened('light');
    let total = opening;
    expect(await tail(page, total - 1)).toEqual(FOLLOWING);

    const box = await page.getByTestId('output-scroll').boundingBox();
    if (!box) throw new Error('the output is not on screen');
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.wheel(0, -1500);
    const SCROLLED_BACK = { state: 'scrolled back', lastShown: false, jump: true };
    await expect.poll(() => tail(page, total - 1)).toEqual(SCROLLED_BACK);
    await settled(page);
    await screenshot(page, 'run-output-scrolled-back');

    // Output arriving while the person reads further up leaves them where they are.
    const readingAt = await scrollTop(page);
    total = await grow(page, total, 20);
    await settled(page);
    expect(await tail(page, total - 1)).toEqual(SCROLLED_BACK);
    expect(Math.abs((await scrollTop(page)) - readingAt)).toBeLessThan(2);

    await jump(page).click();
    await expect.poll(() => tail(page, total - 1)).toEqual(FOLLOWING);
    total = await grow(page, total, 10);
    await expect.poll(() => tail(page, total - 1)).toEqual(FOLLOWING);

    // The keyboard: Page Up in the focused output leaves the tail, End comes back to it.
    await page.getByTestId('output-scroll').focus();
    await page.keyboard.press('PageUp');
    await expect.poll(() => tail(page, total - 1)).toEqual(SCROLLED_BACK);
    await page.keyboard.press('End');
    await expect.poll(() => tail(page, total - 1)).toEqual(FOLLOWING);
    total = await grow(page, total, 10);
    await expect.poll(() => tail(page, total - 1)).toEqual(FOLLOWING);
    await settled(page);
    expect(await tail(page, total - 1)).toEqual(FOLLOWING);
    await page.close();
  });
});
