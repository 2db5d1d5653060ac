import { mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openProjectHost, type LocalProjectHost } from '../../src/core/host';
import { launchBrowser, openApp, screenshot } from './harness';
import { axeFindings } from './page-helpers';

/*
 * The window beside upstream's wg, on a project whose graph.jsonl git left mid-merge: the person using the window is
 * told, at the top of the main area and in the sync's own words (what to do included), for as long as the file stays
 * so, and the note goes once a sync succeeds. The project is coordinated in this process as the app coordinates one
 * (browser mode: the coordinator's API serves the built window).
 */

let root: string;
let file: string;
let host: LocalProjectHost;
let browser: Browser;

const line = (id: string, title: string) =>
  JSON.stringify({ kind: 'task', id, title, status: 'open', created_at: '2026-01-01T00:00:00+00:00' });

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'wg-ui-sync-problem-'));
  process.env.WG_HOME = join(root, 'home');
  const dir = join(root, '.wg');
  mkdirSync(dir);
  file = join(dir, 'graph.jsonl');
  writeFileSync(file, `${line('write-report', 'Write the report')}\n${line('review-report', 'Review the report')}\n`);
  host = await openProjectHost(root, { createIfMissing: false });
  // Before its first turn: no agent starts.
  await host.pause();
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await host?.close({ stopAgents: true });
  rmSync(root, { recursive: true, force: true });
});

describe('a sync problem beside upstream wg', () => {
  it('is shown at the top of the main area while graph.jsonl has a conflict marker, and goes once it is mended', async () => {
    for (const colorScheme of ['light', 'dark'] as const) {
      // bypassCSP: axe-core is added as a script of its own (page-helpers.ts).
      const { page, problems } = await openApp(browser, (await host.status()).url ?? '', { bypassCSP: true });
      await page.emulateMedia({ colorScheme });
      const banner = page.locator('.sync-problem-banner');
      await page.locator('.task-card', { hasText: 'Write the report' }).waitFor();
      expect(await banner.count()).toBe(0);

      // Two people each added a task; git's merge stopped at graph.jsonl.
      const text = readFileSync(file, 'utf8');
      const marker = text.split('\n').length;
      const ours = line(`ours-${colorScheme}`, `Ours ${colorScheme}`);
      const theirs = line(`theirs-${colorScheme}`, `Theirs ${colorScheme}`);
      writeFileSync(file, `${text}<<<<<<< HEAD\n${ours}\n=======\n${theirs}\n>>>>>>> feature\n`);
      await banner.waitFor({ timeout: 15_000 });
      const said = await banner.innerText();
      expect(said).toContain("Not in step with upstream's wg");
      expect(said).toContain(`line ${marker} of graph.jsonl is a merge conflict marker (<<<<<<<): finish the merge`);
      // Announced as it appears, the whole of it.
      expect(await page.getByRole('alert').filter({ hasText: 'merge conflict marker' }).count()).toBe(1);
      expect(await banner.getAttribute('role')).toBe('alert');
      // At the top of the main area, above the page.
      const bannerBox = await banner.boundingBox();
      const mainBox = await page.locator('main.content').boundingBox();
      expect(bannerBox && mainBox && Math.abs(bannerBox.y - mainBox.y)).toBeLessThan(2);
      // Readable in both schemes, and told apart from the paused coordinator's banner beneath it (this project is paused).
      expect(await page.locator('.pause-banner').count()).toBe(1);
      const backgrounds = await page.evaluate(() =>
        ['.sync-problem-banner', '.pause-banner'].map((selector) => {
          const element = document.querySelector(selector);
          return element ? getComputedStyle(element).backgroundColor : '';
        }),
      );
      expect(backgrounds[0]).not.toBe(backgrounds[1]);
      expect(await axeFindings(page)).toEqual([]);
      await screenshot(page, `sync-problem-${colorScheme}-1440`);

      // The person keeps both sides; saved in place a while ago (it has stood still: graph-file.ts's QUIET_MS).
      writeFileSync(file, `${text}${ours}\n${theirs}\n`);
      const then = new Date(Date.now() - 60_000);
      utimesSync(file, then, then);
      await banner.waitFor({ state: 'detached', timeout: 15_000 });
      await page.locator('.task-card', { hasText: `Theirs ${colorScheme}` }).waitFor();
      expect((await host.status()).sync_problem).toBeUndefined();
      expect(problems).toEqual([]);
      await page.close();
    }
  }, 120_000);
});
